"""Progress: the dashboard's figures, the article map and the exports (pure arithmetic: unit/)."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.enums import AttemptEnding, MemoryState, Rating
from quizzes.models import Question
from quizzes.rules.article import sentences
from tests.factories import (
    CardHoldFactory,
    CardStateFactory,
    CategoryFactory,
    QuestionFactory,
    QuizAttemptFactory,
    ReviewLogFactory,
    UserFactory,
)
from tests.helpers import reviews_store
from tests.html import find, input_value
from tests.support.schedules import DEFAULT_SCHEDULE

LEARNING, REVIEW, RELEARNING = MemoryState.LEARNING, MemoryState.REVIEW, MemoryState.RELEARNING
NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def dates_and_people(db):
    dates = CategoryFactory.create(slug="dates", name="Dates")
    people = CategoryFactory.create(slug="people", name="People")
    return [QuestionFactory.create(category=dates) for _ in range(6)] + [
        QuestionFactory.create(category=people) for _ in range(4)
    ]


def card(user, question, *, state=MemoryState.REVIEW, due_in=5, last=2, stability=30.0, lapses=0):
    return CardStateFactory.create(
        user=user,
        question=question,
        state=state,
        step=None if state == MemoryState.REVIEW else 0,
        stability=stability,
        due=NOW + timedelta(days=due_in),
        last_review=NOW - timedelta(days=last),
        lapses=lapses,
        now=NOW,
    )


def log(user, question, when, rating=Rating.GOOD, state_before=MemoryState.REVIEW):
    return ReviewLogFactory.create(
        user=user, question=question, rating=rating, reviewed_at=when, state_before=state_before
    )


@pytest.mark.django_db
def test_a_new_learners_dashboard_is_friendly_and_empty(learner_client, dates_and_people, frozen):
    response = learner_client.get(reverse("quizzes:progress"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have not reviewed any cards yet." in html
    assert "New: 10" in html
    assert "no reviews of learned cards yet" in html
    assert "No finished quizzes yet." in html
    assert "0 reviews on 0 days in the last year." in html


@pytest.mark.django_db
def test_the_new_cards_on_progress_and_in_the_card_browser_reconcile(
    learner_client, user, dates_and_people, frozen
):
    card(user, dates_and_people[0])
    card(user, dates_and_people[1], state=LEARNING)
    CardHoldFactory(user=user, question=dates_and_people[1])
    CardHoldFactory(user=user, question=dates_and_people[2])  # a new card, suspended
    CardHoldFactory(user=user, question=dates_and_people[3], buried=True)  # and one buried
    progress = learner_client.get(reverse("quizzes:progress"))
    summary = progress.context["s"]
    browser_new = learner_client.get(reverse("quizzes:cards"), {"state": "new"})
    searched_new = learner_client.get(reverse("quizzes:cards"), {"q": "is:new"})
    assert browser_new.context["total"] == searched_new.context["total"] == 8
    assert summary.by_state["new"] == 6
    assert summary.held_by_state == {"new": 2, "learning": 1}
    # The page says so beside its New: 6 listed, 2 more held, as the card browser's 8.
    legend = find(progress.content.decode(), "ul", cls="legend").text
    assert "New: 6 (2 more held: suspended or buried)" in legend
    assert "Learning: 0 (1 more held: suspended or buried)" in legend
    assert "Review: 1 Relearning: 0" in legend


@pytest.mark.django_db
def test_dashboard_figures_from_a_known_history(learner_client, user, dates_and_people, frozen):
    card(user, dates_and_people[0], due_in=0)  # due today
    card(user, dates_and_people[1], due_in=-3)  # overdue: counts today
    card(user, dates_and_people[2], due_in=1)  # tomorrow
    card(user, dates_and_people[3], state=MemoryState.LEARNING, due_in=0)  # learning, due today
    card(user, dates_and_people[6], state=MemoryState.RELEARNING, due_in=2, lapses=2)  # relearning
    # Reviews on 10, 9, 8 June (current streak 3) and 1–5 May (longest 5).
    for n in (0, 1, 2):
        log(user, dates_and_people[0], NOW - timedelta(days=n, hours=1))
    for n in range(5):
        log(
            user,
            dates_and_people[1],
            datetime(2026, 5, 1 + n, 9, tzinfo=UTC),
            rating=Rating.AGAIN if n == 0 else Rating.GOOD,
        )
    log(
        user, dates_and_people[2], NOW - timedelta(days=20), state_before=None
    )  # a first review: not retention
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "New: 5" in html
    assert "Learning: 1" in html
    assert "Review: 3" in html
    assert "Relearning: 1" in html
    assert "<dt>Due today</dt><dd>3</dd>" in html
    assert "<dt>Due tomorrow</dt><dd>1</dd>" in html
    assert "<dt>Current streak</dt><dd>3 days</dd>" in html
    assert "<dt>Longest streak</dt><dd>5 days</dd>" in html
    # Last 30 days: three reviews of review cards in June, none rated Again -> 100% of 3.
    assert "100%</dd>" in html
    assert "of 3 reviews of learned cards" in html
    assert "9 reviews on 9 days in the last year." in html


@pytest.mark.django_db
def test_retention_counts_again_as_a_failure(learner_client, user, dates_and_people, frozen):
    for n, rating in enumerate((3, 1, 3, 3)):
        log(user, dates_and_people[0], NOW - timedelta(days=n + 1), rating=rating)
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "75%</dd>" in html
    assert "of 4 reviews" in html


@pytest.mark.django_db
def test_mastery_and_readiness_count_unseen_cards_as_zero(
    learner_client, user, dates_and_people, frozen
):
    from quizzes.progress import selectors as progress_selectors
    from quizzes.rules import scheduling

    states = [card(user, q, last=0, stability=100) for q in dates_and_people[:5]]
    schedule = DEFAULT_SCHEDULE  # the learner saved no settings
    summary = progress_selectors.progress_summary(user=user, now=NOW, schedule=schedule)
    recall = scheduling.retrievability(states[0].values(), now=NOW, schedule=schedule)
    dates = next(m for m in summary.mastery if m.slug == "dates")
    assert dates.seen == 5
    assert dates.total == 6
    assert dates.mean_recall == pytest.approx(5 * recall / 6)
    assert dates.review_share == pytest.approx(5 / 6)
    assert summary.readiness == pytest.approx(5 * recall / 10)


def test_the_two_recall_means_say_which_cards_they_average(
    learner_client, user, dates_and_people, frozen
):
    """The dashboard's mastery counts an unstudied card as 0 while the statistics' average is
    over studied cards only: each says so, so a learner does not read one against the other."""
    for q in dates_and_people[:5]:
        card(user, q, last=0, stability=100)
    page = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert find(page, "table", cls="mastery").attrs["aria-describedby"] == "mastery-note"
    assert "Recall now (mean, all cards)" in find(page, "table", cls="mastery").text
    note = find(page, id="mastery-note").text
    assert "not studied counting 0%" in note
    stats = learner_client.get(reverse("quizzes:progress_statistics")).content.decode()
    assert "Average over the cards you have studied" in stats


@pytest.mark.django_db
def test_streak_uses_the_site_time_zone_for_the_day_boundary(
    learner_client, user, dates_and_people, frozen, settings
):
    settings.TIME_ZONE = "Asia/Tokyo"  # UTC+9: NOW (15:00 UTC) is already 11 June there
    log(
        user, dates_and_people[0], NOW - timedelta(hours=7)
    )  # 08:00 UTC = 17:00 on 10 June in Tokyo
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "<dt>Current streak</dt><dd>1 day</dd>" in html


@pytest.mark.django_db
def test_quiz_scores_chart_lists_the_last_attempts(learner_client, user, dates_and_people, frozen):
    for n in range(3):
        QuizAttemptFactory.create(
            user=user,
            started_at=NOW - timedelta(days=n),
            finished=True,
            finished_at=NOW,
            score=n + 2,
            ending=AttemptEnding.COMPLETED,
        )
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "Scores of your last 3 quizzes" in html
    assert "4 / 5 (80%)" in html
    assert "2 / 5 (40%)" in html
    assert "The latest quiz scored 40%." in html


@pytest.mark.django_db
def test_charts_are_svg_with_titles_and_text_alternatives(
    learner_client, user, dates_and_people, frozen
):
    card(user, dates_and_people[0])
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert html.count('role="img"') >= 3
    for title in (
        "Cards by state",
        "Cards due each day for the next 30 days",
        "Reviews per day over the last year",
    ):
        assert f">{title}</title>" in html
    assert "<desc" in html
    assert "As a table" in html
    assert "<script" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_dashboard_stays_within_fifteen_queries_at_twenty_thousand_reviews(
    learner_client, user, dates_and_people, frozen, django_assert_max_num_queries
):
    for q in dates_and_people:
        card(user, q)
    reviews_store(user, dates_and_people, before=NOW, count=20_000)
    with django_assert_max_num_queries(15):
        response = learner_client.get(reverse("quizzes:progress"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reviews per day over the last year" in html
    # Every 37 minutes for 20,000 reviews: 515 calendar days in a row, today included.
    assert "<dt>Longest streak</dt><dd>515 days</dd>" in html


# --- the article map --------------------------------------------------------------------------


@pytest.fixture
def passages(db):
    """Two questions on the sentence about the 27 February crossing, one on the formation."""
    from quizzes.rules.article import article_body

    body = article_body()
    category = CategoryFactory.create(slug="dates", name="Dates")
    crossing = "on 27 February 2022"
    formed = "It was formed in March 2022"
    made = [
        QuestionFactory.create(
            category=category, source_passage=crossing, passage_offset=body.index(crossing)
        ),
        QuestionFactory.create(
            category=category, source_passage=crossing, passage_offset=body.index(crossing)
        ),
        QuestionFactory.create(
            category=category, source_passage=formed, passage_offset=body.index(formed)
        ),
    ]
    index = {
        "crossing": next(s.index for s in sentences() if crossing in s.text),
        "formed": next(s.index for s in sentences() if formed in s.text),
    }
    return made, index


def mark_of(html, index):
    start = html.index(f'id="s-{index}"')
    tag_start = html.rindex("<span", 0, start)
    return html[tag_start : html.index(">", start)]


@pytest.mark.django_db
def test_the_article_marks_passages_by_the_learners_mastery(learner_client, user, passages, frozen):
    made, index = passages
    card(user, made[2], last=0, stability=200)  # formation: strong
    html = learner_client.get(reverse("quizzes:article")).content.decode()
    assert "mark-unseen" in mark_of(html, index["crossing"])
    assert "mark-strong" in mark_of(html, index["formed"])
    assert "2 questions · not seen yet" in html
    assert reverse("quizzes:study_passage", args=[index["crossing"]]) in html
    # A sentence without questions is plain text.
    plain = next(s.index for s in sentences() if s.index not in index.values())
    assert "passage-mark" not in mark_of(html, plain)

    # One of the crossing's two questions seen and known well: learning, not weak for the
    # other one still to come (its fact's siblings wait a day), with the recall of the one seen.
    crossing = card(user, made[0], last=0, stability=200)
    html = learner_client.get(reverse("quizzes:article")).content.decode()
    assert "mark-learning" in mark_of(html, index["crossing"])
    assert re.search(r"2 questions · 1 seen · your recall (9\d|100)%", html)
    crossing.delete()

    card(
        user, made[0], state=MemoryState.RELEARNING, last=1, lapses=1
    )  # one of the crossing questions relearning
    html = learner_client.get(reverse("quizzes:article")).content.decode()
    assert "mark-weak" in mark_of(html, index["crossing"])
    assert "Weak (1 sentence)" in html


@pytest.mark.django_db
def test_studying_a_passage_offers_only_its_questions(learner_client, user, passages, frozen):
    made, index = passages
    html = learner_client.get(
        reverse("quizzes:study_passage", args=[index["crossing"]])
    ).content.decode()
    assert made[0].prompt in html or made[1].prompt in html
    assert made[2].prompt not in html


@pytest.mark.django_db
def test_a_passage_goes_through_all_its_cards_whatever_the_daily_limits(
    learner_client, user, passages, frozen
):
    from quizzes.enums import Rating
    from tests.factories import StudyProfileFactory
    from tests.helpers import rate

    # The day's new cards and reviews are used up: the passage's cards come all the same.
    StudyProfileFactory.create(user=user, new_per_day=0, max_reviews_per_day=1)
    made, index = passages
    url = reverse("quizzes:study_passage", args=[index["crossing"]])
    html = learner_client.get(url).content.decode()
    seen = set()
    for _ in range(2):
        seen.add(next(q.slug for q in made[:2] if q.prompt in html))
        html = rate(learner_client, html, Rating.EASY).content.decode()
    assert seen == {made[0].slug, made[1].slug}
    assert "That was all of them" in html
    # The limits still hold everywhere else.
    everything = learner_client.get(reverse("quizzes:study"))
    assert everything.context["side"] == "done"
    assert everything.context["queue"].review_limit_reached


@pytest.mark.django_db
def test_a_passage_without_questions_is_404(learner_client, passages):
    _made, index = passages
    empty = next(s.index for s in sentences() if s.index not in index.values())
    assert learner_client.get(reverse("quizzes:study_passage", args=[empty])).status_code == 404


@pytest.mark.django_db
def test_the_back_of_a_card_links_to_its_passage(learner_client, passages, frozen):
    made, index = passages
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    back = learner_client.post(
        reverse("quizzes:study_answer"), {"token": input_value(front, "token")}
    )
    shown = Question.objects.get(pk=back.context["question"].id)
    back = back.content.decode()
    key = "formed" if shown == made[2] else "crossing"
    assert f"{reverse('quizzes:article')}#s-{index[key]}" in back


# --- exports ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_review_log_export_is_the_learners_own_csv(learner_client, user, dates_and_people, frozen):
    log(user, dates_and_people[0], NOW - timedelta(days=1), rating=Rating.EASY)
    other = UserFactory.create()
    log(other, dates_and_people[1], NOW, rating=Rating.AGAIN)
    response = learner_client.get(reverse("quizzes:export_reviews"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["question"] == dates_and_people[0].slug
    assert rows[0]["rating_name"] == "Easy"
    # The state before, in words too, as the cards' download says it (an outside audit).
    assert (rows[0]["state_before"], rows[0]["state_before_name"]) == ("2", "review")


@pytest.mark.django_db
def test_review_log_export_calls_a_first_review_new(learner_client, user, dates_and_people):
    log(user, dates_and_people[0], NOW, state_before=None)
    response = learner_client.get(reverse("quizzes:export_reviews"))
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert (row["state_before"], row["state_before_name"]) == ("", "new")


@pytest.mark.django_db
def test_card_export_is_the_learners_own_json(learner_client, user, dates_and_people, frozen):
    card(user, dates_and_people[0])
    card(UserFactory.create(), dates_and_people[1])
    response = learner_client.get(reverse("quizzes:export_cards"))
    data = json.loads(response.content)
    assert data["user"] == user.username
    assert [c["question"] for c in data["cards"]] == [dates_and_people[0].slug]
    assert data["cards"][0]["state"] == "review"


@pytest.mark.django_db
def test_exports_need_a_log_in(client):
    for name in (
        "progress",
        "export_reviews",
        "export_cards",
        "export_account",
        "article",
        "progress_export",
    ):
        assert client.get(reverse(f"quizzes:{name}")).status_code == 302


@pytest.mark.django_db
def test_past_days_counts_are_cached_but_notice_a_change_before_today(
    learner_client, user, dates_and_people, frozen, django_assert_max_num_queries
):
    yesterday = log(user, dates_and_people[0], NOW - timedelta(days=1))
    # The card that review made (it was its first): Undo of a first review deletes both.
    first_card = CardStateFactory.create(user=user, question=dates_and_people[0], reps=1)
    log(user, dates_and_people[1], NOW - timedelta(days=1, minutes=5))
    log(user, dates_and_people[2], NOW - timedelta(minutes=5))
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "3 reviews on 2 days in the last year." in html

    # A second visit reads the past days from the cache: only today's reviews are counted.
    log(user, dates_and_people[3], NOW - timedelta(minutes=1))
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "4 reviews on 2 days in the last year." in html

    # An undo that reaches back before midnight changes the key, so the cache is not trusted:
    # as Undo of a first review does (quizzes.study.services), its log and card are deleted.
    yesterday.delete()
    first_card.delete()
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "3 reviews on 2 days in the last year." in html


# --- scales on the charts, the forecast's range ---------------------------------------------


@pytest.mark.django_db
def test_the_forecast_and_score_charts_show_their_y_axis_values(
    learner_client, user, dates_and_people, frozen
):
    for n, q in enumerate(dates_and_people[:7]):
        card(user, q, due_in=n % 2)  # 4 due today, 3 tomorrow
    response = learner_client.get(reverse("quizzes:progress"))
    chart = response.context["forecast_chart"]
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    html = response.content.decode()
    assert 'class="tick y-tick">4</text>' in html
    assert ">Cards due</text>" in html


@pytest.mark.django_db
def test_the_heatmap_names_its_months(learner_client, user, dates_and_people, frozen):
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    heat = html[html.index('class="heatmap"') :]
    assert 'class="tick month">Jun</text>' in heat
    assert 'class="tick month">Jan</text>' in heat


@pytest.mark.django_db
@pytest.mark.parametrize("days", [30, 90, 365])
def test_the_forecast_reaches_as_far_as_the_learner_asks(
    learner_client, user, dates_and_people, frozen, days
):
    card(user, dates_and_people[0], due_in=80)
    card(user, dates_and_people[1], due_in=300)
    response = learner_client.get(reverse("quizzes:progress"), {"days": days})
    forecast = response.context["s"].forecast
    assert len(forecast) == days
    assert forecast[-1].day == TODAY + timedelta(days=days - 1)
    assert sum(n for _day, n in forecast) == sum(1 for due in (80, 300) if due < days)
    assert f"Due in the next {days} days" in response.content.decode()


@pytest.mark.django_db
def test_htmx_gets_only_the_forecast_for_another_range(
    learner_client, user, dates_and_people, frozen
):
    response = learner_client.get(
        reverse("quizzes:progress"), {"days": 365}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="forecast"')
    assert "Due in the next 365 days" in html
    assert "Reviews over the last year" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["7", "x", "36500"])
def test_an_unknown_forecast_range_is_a_clear_400(learner_client, dates_and_people, days):
    response = learner_client.get(reverse("quizzes:progress"), {"days": days})
    assert response.status_code == 400
    assert "a month, 3 months or a year" in response.content.decode()
