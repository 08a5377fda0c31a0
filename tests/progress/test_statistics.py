"""The statistics panel counts a small hand-computed history as Anki's statistics would.

Anki's definitions (rslib/src/stats/graphs/, read at ankitects/anki c32cb29):
- buttons.rs: a review is *learning* if the card was in learning or relearning (a new card's
  first review is a learning review), else *young* if its last interval was under 21 days,
  else *mature*; windows start 30, 90 or 365 days before the start of the next day.
- retention.rs ("true retention"): reviews of cards in review only; Again fails, Hard, Good and
  Easy pass; young/mature by last interval < 21; periods today, yesterday, 7, 30, 365 days back
  from the next day's start, and all time.
- hours.rs: every review counts in the hour of the learner's clock; correct = button > 1.
- reviews.rs (time mode): the time taken by each day's reviews.
- intervals.rs: cards in review by interval in days; stability rounded to whole days.
- eases.rs: difficulty as (D - 1) / 9 in percent bins (100% in the last bin); median shown.
- retrievability.rs: recall now of every card with a memory state; the mean shown.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.enums import MemoryState, Rating
from quizzes.models import CardState, ReviewLog
from quizzes.rules import scheduling
from quizzes.rules.ankistats import CardKind
from quizzes.rules.scheduling import CardValues
from tests.factories import CardStateFactory, QuestionFactory, StudyProfileFactory
from tests.helpers import reviews_store
from tests.html import elements

NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
LEARNING, REVIEW, RELEARNING = MemoryState.LEARNING, MemoryState.REVIEW, MemoryState.RELEARNING
AGAIN, HARD, GOOD, EASY = Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def review(user, question, when, rating, *, before=None, interval=None, duration_ms=None):
    """A review of a card that was `before` (None: new) with a last interval of `interval` days
    (its due time that many days after its last review, as the log's previous card keeps it)."""
    previous = None
    if before is not None:
        last = when - timedelta(days=interval or 0, hours=3)
        due = last + timedelta(days=interval) if interval is not None else when
        previous = {
            **CardValues(
                state=before,
                step=None if before == REVIEW else 0,
                stability=5.0,
                difficulty=5.0,
                due=due,
                last_review=last,
                reps=3,
            ).as_dict(),
            "leech": False,
        }
    return ReviewLog.objects.create(
        user=user,
        question=question,
        rating=rating,
        reviewed_at=when,
        state_before=before,
        previous_card=previous,
        duration_ms=duration_ms,
    )


@pytest.fixture
def history(user, db):
    """Eleven reviews whose Anki figures are worked out in each test below."""
    q = [QuestionFactory.create() for _ in range(8)]
    review(user, q[0], at(2026, 6, 10, 9), GOOD, duration_ms=4000)  # first review: learning
    review(user, q[0], at(2026, 6, 10, 9, 10), AGAIN, before=LEARNING, duration_ms=6000)
    review(user, q[1], at(2026, 6, 10, 10, 30), GOOD, before=REVIEW, interval=5, duration_ms=2000)
    review(user, q[2], at(2026, 6, 9, 10), AGAIN, before=REVIEW, interval=20)  # young
    review(user, q[3], at(2026, 6, 9, 22), HARD, before=REVIEW, interval=21)  # mature
    review(user, q[4], at(2026, 6, 5, 8), AGAIN, before=REVIEW, interval=45)
    review(user, q[5], at(2026, 5, 20, 8), EASY, before=REVIEW, interval=30)
    review(user, q[1], at(2026, 5, 20, 8, 30), GOOD, before=RELEARNING)
    review(user, q[6], at(2025, 9, 1, 10), GOOD, before=REVIEW, interval=3)
    review(user, q[6], at(2024, 1, 1, 10), AGAIN, before=REVIEW, interval=10)
    review(user, q[7], at(2026, 6, 9, 23, 30), AGAIN)  # first review, on 9 June
    return q


def panel(client, range_value="30", **headers):
    response = client.get(
        reverse("quizzes:progress_statistics"), {"range": range_value}, headers=headers
    )
    assert response.status_code == 200
    return response


def buttons(response):
    return {row.kind: row.counts for row in response.context["st"].log.buttons}


@pytest.mark.django_db
def test_answer_buttons_are_counted_by_card_type_as_anki_does(learner_client, history, frozen):
    # Learning: two first reviews (Good, Again), a learning step (Again), a relearning step
    # (Good). Young (interval < 21): 5 d Good, 20 d Again; 3 d Good (2025), 10 d Again (2024).
    # Mature (>= 21): 21 d Hard, 45 d Again, 30 d Easy.
    assert buttons(panel(learner_client, "all")) == {
        CardKind.LEARNING: (2, 0, 2, 0),
        CardKind.YOUNG: (2, 0, 2, 0),
        CardKind.MATURE: (1, 1, 0, 1),
    }
    month = buttons(panel(learner_client, "30"))  # from 12 May: the 2025 and 2024 reviews go
    assert month[CardKind.YOUNG] == (1, 0, 1, 0)
    assert month[CardKind.LEARNING] == (2, 0, 2, 0)
    assert buttons(panel(learner_client, "365"))[CardKind.YOUNG] == (1, 0, 2, 0)


@pytest.mark.django_db
def test_true_retention_by_period_counts_only_cards_in_review(learner_client, history, frozen):
    table = {r.period.name: r for r in panel(learner_client).context["st"].log.retention}

    def counts(name):
        r = table[name]
        return (r.young_passed, r.young_failed, r.mature_passed, r.mature_failed)

    assert counts("today") == (1, 0, 0, 0)  # 10 June: the 5-day card passed
    assert counts("yesterday") == (0, 1, 1, 0)  # 9 June: 20 d failed (young), 21 d passed
    assert counts("week") == (1, 1, 1, 1)  # from 4 June: and the 45-day card failed
    assert counts("month") == (1, 1, 2, 1)  # from 12 May: and the 30-day card passed
    assert counts("year") == (2, 1, 2, 1)  # from 11 June 2025: the 3-day card passed
    assert counts("all") == (2, 2, 2, 1)  # and the 10-day card failed in 2024
    assert table["all"].young == 0.5
    assert table["all"].total == pytest.approx(4 / 7)
    assert table["today"].mature is None  # nothing to divide: shown as a dash
    html = panel(learner_client).content.decode()
    assert "<td>57.1%</td>" in html  # all time, total: 4 of 7


@pytest.mark.django_db
def test_reviews_and_success_by_hour_of_the_learners_clock(learner_client, history, frozen):
    hours = {
        h.hour: (h.total, h.correct) for h in panel(learner_client, "all").context["st"].log.hours
    }
    assert hours[9] == (2, 1)
    assert hours[10] == (4, 2)
    assert hours[8] == (3, 2)
    assert hours[22] == (1, 1)
    assert hours[23] == (1, 0)
    assert sum(total for total, _ in hours.values()) == 11
    assert len(hours) == 24


@pytest.mark.django_db
def test_hours_follow_the_learners_time_zone(learner_client, history, frozen, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # UTC+9: 09:00 UTC is 18:00
    hours = {h.hour: h.total for h in panel(learner_client, "all").context["st"].log.hours}
    assert hours[18] == 2
    assert hours[9] == 0


@pytest.mark.django_db
def test_time_spent_and_cards_introduced_per_day(learner_client, history, frozen):
    days = {d.day: d for d in panel(learner_client).context["st"].log.days}
    assert len(days) == 30  # 12 May (30 days before the next day starts) to 10 June
    today, yesterday = days[date(2026, 6, 10)], days[date(2026, 6, 9)]
    assert (today.reviews, today.seconds, today.introduced) == (3, 12.0, 1)
    assert (yesterday.reviews, yesterday.seconds, yesterday.introduced) == (3, 0.0, 1)
    assert days[date(2026, 5, 20)].reviews == 2


@pytest.mark.django_db
def test_card_distributions_as_anki_shows_them(learner_client, user, frozen):
    profile = StudyProfileFactory.create(user=user, desired_retention=0.85)
    cards = [
        # interval 15 days; stability 12.5 rounds (half up) to 13; difficulty 5.5 is 50%
        CardStateFactory.create(
            user=user,
            stability=12.5,
            difficulty=5.5,
            due=NOW + timedelta(days=10),
            last_review=NOW - timedelta(days=5),
        ),
        # interval 21 days; difficulty 1 is 0%
        CardStateFactory.create(
            user=user,
            stability=30.0,
            difficulty=1.0,
            due=NOW + timedelta(days=1),
            last_review=NOW - timedelta(days=20),
        ),
        # relearning: no interval yet; difficulty 10 is 100%, in the last bin
        CardStateFactory.create(
            user=user,
            state=RELEARNING,
            step=0,
            stability=2.4,
            difficulty=10.0,
            due=NOW + timedelta(minutes=10),
            last_review=NOW - timedelta(minutes=10),
        ),
        CardStateFactory.create(user=user, learning=True, difficulty=7.0, now=NOW),
    ]
    c = panel(learner_client).context["st"].cards

    def counted(bins):
        return {b.label: b.count for b in bins if b.count}

    assert counted(c.intervals) == {"14–20": 1, "21–29": 1}
    assert (c.interval_mean, c.interval_max, c.relearning) == (18.0, 21, 1)
    assert counted(c.stability) == {"0–1": 1, "2": 1, "7–13": 1, "30–59": 1}
    assert counted(c.difficulty) == {"0–10%": 1, "50–60%": 1, "60–70%": 1, "90–100%": 1}
    assert c.difficulty_median == pytest.approx((0.5 + 6 / 9) / 2)
    recalls = [
        scheduling.retrievability(
            CardState.objects.get(pk=card.pk).values(), now=NOW, schedule=profile.schedule
        )
        for card in cards
    ]
    assert c.recall_mean == pytest.approx(sum(recalls) / 4)
    assert sum(b.count for b in c.recall) == 4


@pytest.mark.django_db
def test_a_card_due_before_its_last_review_has_an_interval_of_0_in_the_chart_and_the_mean(
    learner_client, user, frozen
):
    """A card whose due day "Set due date" moved before its last review: the intervals chart left
    it out while the mean beside it counted it as a negative interval (an outside test). Both
    count it, as 0 days."""
    StudyProfileFactory.create(user=user)
    CardStateFactory.create(
        user=user, due=NOW + timedelta(days=9), last_review=NOW - timedelta(days=1)
    )
    CardStateFactory.create(
        user=user, due=NOW - timedelta(days=3), last_review=NOW - timedelta(days=1)
    )
    c = panel(learner_client).context["st"].cards
    assert {b.label: b.count for b in c.intervals if b.count} == {"0–1": 1, "7–13": 1}
    assert (c.interval_mean, c.interval_max) == (5.0, 10)


@pytest.mark.django_db
def test_every_chart_has_y_axis_values_and_a_table(learner_client, history, frozen):
    response = panel(learner_client)
    for name, chart in response.context["charts"].items():
        assert chart.y_ticks, name
        assert chart.y_title, name
    html = response.content.decode()
    assert html.count("<details>") == 9
    # Ten charts, the five of a few bars drawn a second time for a phone.
    phone = {name for name, chart in response.context["charts"].items() if chart.phone}
    assert phone == {"buttons", "intervals", "stability", "difficulty", "recall"}
    assert html.count('role="img"') == 10 + len(phone)


@pytest.mark.django_db
def test_htmx_gets_the_panel_and_a_plain_request_the_page(learner_client, history, frozen):
    fragment = panel(learner_client, HX_Request="true").content.decode()
    assert fragment.lstrip().startswith('<section id="statistics"')
    page = panel(learner_client).content.decode()
    assert "<h1>Statistics</h1>" in page
    assert "Back to your progress" in page


def headings(html: str) -> list[tuple[str, str]]:
    """The page's headings in order, as (tag, text)."""
    return [(e.tag, e.text) for e in elements(html) if e.tag in {"h1", "h2", "h3", "h4"}]


@pytest.mark.django_db
def test_the_statistics_are_named_once_on_their_page_and_in_the_dashboard(
    learner_client, history, frozen
):
    """The page said "Statistics" twice, an h1 and then the panel's h2 (an outside test): the
    page names it once and its parts are h2s; the dashboard's panel keeps its h2, parts h3."""
    url = reverse("quizzes:progress_statistics")
    on_page = headings(panel(learner_client).content.decode())
    assert on_page[0] == ("h1", "Statistics")
    assert [text for _tag, text in on_page].count("Statistics") == 1
    assert ("h2", "Answer buttons") in on_page
    assert not any(tag == "h3" for tag, _text in on_page)
    # The range changed on the page itself (htmx): the panel as the page shows it.
    changed = panel(learner_client, "90", HX_Request="true", HX_Current_URL=f"http://x{url}")
    assert headings(changed.content.decode())[0] == ("h2", "Answer buttons")
    # Loaded into the dashboard, the panel is named by its own h2.
    dashboard = reverse("quizzes:progress")
    in_dashboard = panel(learner_client, HX_Request="true", HX_Current_URL=f"http://x{dashboard}")
    assert headings(in_dashboard.content.decode())[:2] == [
        ("h2", "Statistics"),
        ("h3", "Answer buttons"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("current", ["http://[::1", "http://[x]/progress/", "", "\x7f" * 5000])
def test_a_current_url_no_browser_sends_gives_the_dashboards_panel(
    learner_client, history, frozen, current
):
    """HX-Current-URL is the client's to send: one urlsplit refuses was a 500 (a review)."""
    response = panel(learner_client, HX_Request="true", HX_Current_URL=current)
    assert response.status_code == 200
    assert headings(response.content.decode())[0] == ("h2", "Statistics")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["7", "year", "-1", "3650000"])
def test_an_unknown_range_is_a_clear_400(learner_client, value):
    response = learner_client.get(reverse("quizzes:progress_statistics"), {"range": value})
    assert response.status_code == 400
    assert "a month, 3 months, a year or all time" in response.content.decode()


def test_the_statistics_need_a_log_in(client, db):
    response = client.get(reverse("quizzes:progress_statistics"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_todays_reviews_count_at_once_and_an_undo_past_midnight_is_noticed(
    learner_client, user, history, frozen
):
    assert buttons(panel(learner_client))[CardKind.YOUNG] == (1, 0, 1, 0)
    # The days before today are cached now; a review today still counts at once.
    review(user, history[0], NOW - timedelta(minutes=5), AGAIN, before=REVIEW, interval=4)
    assert buttons(panel(learner_client))[CardKind.YOUNG] == (2, 0, 1, 0)
    # Undo today's reviews, then one from yesterday (the 20-day card's Again).
    ReviewLog.objects.filter(user=user, reviewed_at__gte=at(2026, 6, 10, 10)).delete()
    assert buttons(panel(learner_client))[CardKind.YOUNG] == (1, 0, 0, 0)
    ReviewLog.objects.filter(user=user, reviewed_at=at(2026, 6, 9, 10)).delete()
    assert buttons(panel(learner_client))[CardKind.YOUNG] == (0, 0, 0, 0)


@pytest.mark.django_db
def test_the_panel_stays_within_its_query_budget_at_twenty_thousand_reviews(
    learner_client, user, frozen, django_assert_max_num_queries
):
    questions = [QuestionFactory.create() for _ in range(10)]
    for question in questions:
        CardStateFactory.create(user=user, question=question, now=NOW)
    reviews_store(user, questions, before=NOW, count=20_000)
    # Session, user, profile; the mark of the days before today and their four counts
    # (buttons, retention, hours, days); today's reviews; the cards.
    with django_assert_max_num_queries(10):
        response = panel(learner_client, "all")
    all_time = response.context["st"].log
    assert sum(sum(row.counts) for row in all_time.buttons) == 20_000
    # The days before today come from the cache until one of their reviews is undone.
    with django_assert_max_num_queries(6):
        panel(learner_client, "all")


@pytest.mark.django_db
def test_todays_reviews_counted_in_python_agree_with_the_sql_for_past_days(
    learner_client, user, history, frozen, settings
):
    settings.TIME_ZONE = "America/New_York"  # hours and days on a clock that is not UTC's
    review(user, history[3], NOW - timedelta(hours=1), GOOD, before=REVIEW, interval=21)
    review(user, history[4], NOW - timedelta(hours=2), AGAIN, before=REVIEW, interval=20)
    review(user, history[5], NOW - timedelta(hours=3), EASY)  # a first review
    today = panel(learner_client, "all").context["st"].log  # today's counted as rows
    frozen.move_to(NOW + timedelta(days=1))  # the same reviews, all in past days: SQL
    tomorrow = panel(learner_client, "all").context["st"].log
    assert today.buttons == tomorrow.buttons
    assert today.hours == tomorrow.hours
    assert [(d.day, d.reviews, d.seconds, d.introduced) for d in today.days] == [
        (d.day, d.reviews, d.seconds, d.introduced) for d in tomorrow.days[:-1]
    ]
    all_time = next(r for r in today.retention if r.period.name == "all")
    assert next(r for r in tomorrow.retention if r.period.name == "all") == replace(
        all_time, period=tomorrow.retention[-1].period
    )
