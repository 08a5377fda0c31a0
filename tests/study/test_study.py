"""The study page: FSRS-scheduled cards, one at a time, with HTMX and without JavaScript."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from learnfrl.accounts.users import User
from quizzes.bank.cache import bank_current
from quizzes.enums import LeechAction, MemoryState, QuestionKind, Rating, ReviewOrigin
from quizzes.models import CardState, Question, ReviewLog, StudyProfile
from quizzes.rules.scheduling import interval_label
from quizzes.study import services as study_services
from quizzes.study.notices import CARD_WITHDRAWN
from quizzes.study.selectors import study_profile
from tests.factories import (
    CardStateFactory,
    CategoryFactory,
    QuestionFactory,
    StudyProfileFactory,
    UserFactory,
)
from tests.helpers import (
    HX,
    queue_plan_statements,
    rate,
    rating_write_statements,
    shown_slug,
    token_of,
)
from tests.html import find

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
COUNTS = ("new", "learning", "review", "reviewed")


@pytest.fixture
def study_questions(db):
    dates = CategoryFactory.create(slug="dates", name="Dates")
    people = CategoryFactory.create(slug="people", name="People")
    # Each back quotes a passage of its own: the factory's, "on 27 February 2022", would show
    # d-typed-1's answer on every back, which orders the cards (siblings.new_card_first).
    questions = [
        QuestionFactory.create(category=dates, slug="d-typed-1", answer="27 February 2022"),
        QuestionFactory.create(
            category=dates,
            slug="d-mc-1",
            kind=QuestionKind.MULTIPLE_CHOICE,
            answer="10 March 2022",
            source_passage="on 10 March 2022",
        ),
        QuestionFactory.create(
            category=people, slug="p-typed-1", answer="Ilya Ponomarev", source_passage="Ponomarev"
        ),
        QuestionFactory.create(
            category=dates,
            slug="d-tf-1",
            kind=QuestionKind.TRUE_FALSE,
            answer="True",
            source_passage="The Legion has not publicly identified its leaders",
        ),
        QuestionFactory.create(
            category=people, slug="p-typed-2", answer="Caesar", source_passage="Caesar"
        ),
        QuestionFactory.create(
            category=dates, slug="d-typed-2", answer="14 July 2022", source_passage="14 July 2022"
        ),
    ]
    return questions


def counts_of(html: str) -> dict[str, int]:
    return {name: int(find(html, "dd", id=f"count-{name}").text) for name in COUNTS}


def study(client, htmx=False, path=None):
    return client.get(path or reverse("quizzes:study"), headers=HX if htmx else {})


# --- the queue --------------------------------------------------------------------------------


def test_a_new_learner_sees_the_first_card_in_bank_order_and_todays_counts(
    learner_client, study_questions
):
    html = study(learner_client).content.decode()
    assert shown_slug(html) == "d-typed-1"
    new = min(20, len(study_questions))
    assert counts_of(html) == {"new": new, "learning": 0, "review": 0, "reviewed": 0}
    assert "Your day starts at 4:00, UTC time" in html


def test_the_most_overdue_due_card_comes_before_new_cards(learner_client, user, study_questions):
    for question, overdue in (
        (study_questions[2], 1),
        (study_questions[4], 5),
        (study_questions[5], 3),
    ):
        CardStateFactory.create(
            user=user,
            question=question,
            stability=3,
            due=NOW - timedelta(days=overdue),
            last_review=NOW - timedelta(days=10),
            now=NOW,
        )
    html = study(learner_client).content.decode()
    assert shown_slug(html) == "p-typed-2"
    assert counts_of(html)["review"] == 3


def test_new_cards_stop_at_the_daily_limit_and_the_page_says_when_the_next_is_due(
    learner_client, user, study_questions
):
    StudyProfileFactory.create(user=user, new_per_day=2)
    html = study(learner_client).content.decode()
    html = rate(learner_client, html, Rating.EASY).content.decode()  # Easy: out for days
    html = rate(learner_client, html, Rating.EASY).content.decode()
    assert counts_of(html) == {"new": 0, "learning": 0, "review": 0, "reviewed": 2}
    assert "You are done for now" in html
    assert "Your next card is due" in html


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Kyiv"])
def test_new_card_limit_starts_again_at_4_am_in_the_learners_zone(
    learner_client, user, study_questions, frozen, zone
):
    StudyProfileFactory.create(user=user, new_per_day=1, time_zone=zone)
    late_evening = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo(zone))
    frozen.move_to(late_evening)
    html = study(learner_client).content.decode()
    html = rate(learner_client, html, Rating.EASY).content.decode()
    assert counts_of(html)["new"] == 0
    # Past midnight there, and past midnight in UTC: still the learner's 2 March.
    frozen.move_to(late_evening + timedelta(hours=4))
    assert counts_of(study(learner_client).content.decode())["new"] == 0
    # 04:00 there: the learner's 3 March begins, and a new card with it.
    frozen.move_to(late_evening + timedelta(hours=4, minutes=30))
    html = study(learner_client).content.decode()
    assert counts_of(html) == {"new": 1, "learning": 0, "review": 0, "reviewed": 0}
    assert f"Your day starts at 4:00, {zone} time" in html


def test_the_daily_review_limit_ends_the_session(learner_client, user, study_questions):
    StudyProfileFactory.create(user=user, max_reviews_per_day=2)
    html = study(learner_client).content.decode()
    html = rate(learner_client, html, Rating.AGAIN).content.decode()
    html = rate(learner_client, html, Rating.AGAIN).content.decode()
    assert "You have reached today's limit of 2 reviews." in html


def test_a_daily_limit_of_one_review_is_said_in_the_singular(learner_client, user, study_questions):
    StudyProfileFactory.create(user=user, max_reviews_per_day=1)
    html = rate(learner_client, study(learner_client).content.decode(), Rating.AGAIN)
    assert "You have reached today's limit of 1 review." in html.content.decode()


def test_a_category_page_only_shows_that_category(learner_client, study_questions):
    html = study(
        learner_client, path=reverse("quizzes:study_category", args=["people"])
    ).content.decode()
    assert shown_slug(html) == "p-typed-1"
    assert "Study: People" in html


def test_a_category_page_has_an_address_of_its_own_under_study_category(
    learner_client, study_questions
):
    url = reverse("quizzes:study_category", args=["people"])
    assert url == "/study/category/people/"
    assert shown_slug(study(learner_client, path=url).content.decode()) == "p-typed-1"


def test_a_category_pages_old_address_has_moved_for_good(learner_client, study_questions):
    response = learner_client.get("/study/people/")
    assert response.status_code == 301
    assert response["Location"] == "/study/category/people/"
    moved = learner_client.get("/study/people/", {"from": "bookmark"})
    assert moved["Location"] == "/study/category/people/?from=bookmark"
    assert learner_client.post("/study/people/").status_code == 405


def test_an_old_address_is_moved_only_for_a_learner_who_is_logged_in(client, study_questions):
    response = client.get("/study/people/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/study/people/"


def test_an_unknown_category_is_404(learner_client, study_questions):
    assert study(learner_client, path="/study/nonsense/").status_code == 404
    assert study(learner_client, path="/study/category/nonsense/").status_code == 404


def test_a_category_named_like_a_fixed_page_has_its_own_study_page(learner_client, study_questions):
    settings = CategoryFactory.create(slug="settings", name="Settings")
    Question.objects.filter(slug="p-typed-2").update(category=settings)
    html = study(learner_client, path="/study/category/settings/").content.decode()
    assert shown_slug(html) == "p-typed-2"
    assert "Study: Settings" in html
    # The fixed page keeps its address.
    assert "leech_form" in learner_client.get("/study/settings/").context


def test_inactive_questions_are_not_studied(learner_client, study_questions):
    Question.objects.filter(slug="d-typed-1").update(is_active=False)
    assert shown_slug(study(learner_client).content.decode()) == "d-mc-1"


# --- the card ---------------------------------------------------------------------------------


def test_htmx_gets_the_card_partial_and_a_plain_request_the_whole_page(
    learner_client, study_questions
):
    partial = study(learner_client, htmx=True).content.decode()
    page = study(learner_client).content.decode()
    assert partial.lstrip().startswith('<section id="card"')
    assert "<html" not in partial
    assert "<html" in page
    assert 'id="card"' in page


def test_the_front_of_a_card_does_not_give_the_answer_away(learner_client, study_questions):
    html = study(learner_client).content.decode()
    assert "27 February 2022" not in html
    assert study_questions[0].explanation not in html


def test_show_answer_gives_the_back_with_answer_explanation_and_passage(
    learner_client, study_questions
):
    front = study(learner_client).content.decode()
    back = learner_client.post(
        reverse("quizzes:study_answer"),
        {"token": token_of(front), "response": "February 27, 2022"},
        headers=HX,
    ).content.decode()
    assert "✓ Right" in back
    assert "27 February 2022" in back
    assert study_questions[0].explanation in back
    assert "on 27 February 2022" in back
    # Each rating shows its interval (drawn by the CSS from data-text) and is named by it.
    for label in (' · 1m"', ' · 6m"', ' · 10m"', 'data-text=" · '):
        assert label in back
    for name in ("Again, next in 1 minute", "Hard, next in 6 minutes", "Good, next in 10 minutes"):
        assert f'aria-label="{name}"' in back
    assert "recalled, with effort" in back


def test_a_wrong_attempt_suggests_again(learner_client, study_questions):
    front = study(learner_client).content.decode()
    back = learner_client.post(
        reverse("quizzes:study_answer"), {"token": token_of(front), "response": "1 June 2022"}
    ).content.decode()
    assert "✗ Not quite" in back
    assert find(back, "button", name="rating", value=str(Rating.AGAIN)).has_class("suggested")


def test_a_choice_card_is_answered_in_place(learner_client, user, study_questions):
    Question.objects.filter(slug="d-typed-1").update(is_active=False)
    front = study(learner_client).content.decode()
    correct = study_questions[1].choices.get(is_correct=True)
    assert "is_correct" not in front
    assert "correct" not in front.split('id="card"')[1].split("</form>")[0]
    back = learner_client.post(
        reverse("quizzes:study_answer"), {"token": token_of(front), "response": str(correct.pk)}
    ).content.decode()
    assert "✓ Right: “10 March 2022”" in back


def test_the_interval_on_each_button_is_the_interval_that_rating_gives(
    learner_client, user, study_questions
):
    # Take a card into review, come back when it is due, then check every button against fsrs.
    html = study(learner_client).content.decode()
    html = rate(learner_client, html, Rating.GOOD).content.decode()
    state = CardState.objects.get(user=user)
    for rating in Rating:
        with time_machine.travel(state.due + timedelta(days=2), tick=False):
            front = study(learner_client, path=reverse("quizzes:study_category", args=["dates"]))
            front = front.content.decode()
            while shown_slug(front) != "d-typed-1":  # graduate it first
                front = rate(learner_client, front, Rating.EASY).content.decode()
            back = learner_client.post(reverse("quizzes:study_answer"), {"token": token_of(front)})
            label = next(b.interval for b in back.context["buttons"] if b.rating == rating)
            before = CardState.objects.get(user=user, question=study_questions[0])
            rate(learner_client, back.content.decode(), rating)
            after = CardState.objects.get(user=user, question=study_questions[0])
            assert after.reps == before.reps + 1
            assert interval_label(after.due - (state.due + timedelta(days=2))) == label
            learner_client.post(reverse("quizzes:study_undo"), headers=HX)


# --- rating -----------------------------------------------------------------------------------


def test_rating_records_one_review_and_returns_the_next_card(learner_client, user, study_questions):
    front = study(learner_client).content.decode()
    response = rate(learner_client, front, Rating.GOOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert shown_slug(html) == "d-mc-1"
    # The card rated is in its last learning step, 10 minutes away: within learn-ahead.
    assert counts_of(html) == {
        "new": len(study_questions) - 1,
        "learning": 1,
        "review": 0,
        "reviewed": 1,
    }
    log = ReviewLog.objects.get(user=user)
    assert (log.rating, log.origin, log.question.slug) == (3, "study", "d-typed-1")
    state = CardState.objects.get(user=user)
    assert state.reps == 1
    assert state.due == NOW + timedelta(minutes=10)


def test_rating_again_brings_the_card_back_within_a_minute(
    learner_client, user, study_questions, frozen
):
    front = study(learner_client).content.decode()
    rate(learner_client, front, Rating.AGAIN)
    frozen.shift(timedelta(seconds=61))
    assert shown_slug(study(learner_client).content.decode()) == "d-typed-1"


def test_without_javascript_rating_redirects_to_the_study_page(
    learner_client, user, study_questions
):
    front = study(learner_client).content.decode()
    back = learner_client.post(reverse("quizzes:study_answer"), {"token": token_of(front)})
    assert "<html" in back.content.decode()
    assert 'method="post" action="/study/review/"' in back.content.decode()
    response = rate(learner_client, back.content.decode(), 3, htmx=False)
    assert response.status_code == 302
    assert response.url == reverse("quizzes:study")
    assert ReviewLog.objects.filter(user=user).count() == 1


def test_a_stale_second_rating_records_nothing_and_says_so(learner_client, user, study_questions):
    front = study(learner_client).content.decode()
    rate(learner_client, front, Rating.GOOD)
    second = rate(learner_client, front, Rating.EASY)
    assert second.status_code == 200
    assert "already rated" in second.content.decode()
    assert ReviewLog.objects.filter(user=user).count() == 1
    assert CardState.objects.get(user=user).reps == 1

    plain = rate(learner_client, front, Rating.EASY, htmx=False)
    assert plain.status_code == 302
    assert "already rated" in learner_client.get(plain.url).content.decode()
    assert ReviewLog.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("token", "rating", "status"),
    [
        ("forged-token", 3, 400),
        ("", 3, 400),
        (None, 0, 400),
        (None, 7, 400),
        (None, "good", 400),
    ],
)
def test_bad_ratings_are_refused_and_change_nothing(
    learner_client, user, study_questions, token, rating, status
):
    front = study(learner_client).content.decode()
    data = {"token": token_of(front) if token is None else token, "rating": rating}
    response = learner_client.post(reverse("quizzes:study_review"), data)
    assert response.status_code == status
    assert not ReviewLog.objects.exists()
    assert not CardState.objects.exists()


def test_another_learners_card_token_is_refused(client, study_questions):
    first, second = UserFactory.create(), UserFactory.create()
    client.force_login(first)
    front = study(client).content.decode()
    client.force_login(second)
    response = rate(client, front, Rating.GOOD)
    assert response.status_code == 400
    assert not ReviewLog.objects.exists()


def test_a_card_withdrawn_since_it_was_shown_gives_way_to_the_next_saying_so(
    learner_client, study_questions
):
    """Its rating, or its Show answer, was a 404, which htmx put in the card's place (an outside
    audit): nothing is recorded, and the next card comes with the reason."""
    front = study(learner_client).content.decode()
    withdrawn = shown_slug(front)
    Question.objects.filter(slug=withdrawn).update(is_active=False)
    rated = rate(learner_client, front, Rating.GOOD)
    assert rated.status_code == 200
    html = rated.content.decode()
    assert escape(CARD_WITHDRAWN) in html
    assert shown_slug(html) != withdrawn
    assert not ReviewLog.objects.exists()
    shown = learner_client.post(
        reverse("quizzes:study_answer"), {"token": token_of(front), "response": "x"}
    )
    assert shown.url == reverse("quizzes:study")
    page = learner_client.get(shown.url).content.decode()
    assert escape(CARD_WITHDRAWN) in page
    assert shown_slug(page) != withdrawn


def test_rating_needs_post(learner_client, study_questions):
    assert learner_client.get(reverse("quizzes:study_review")).status_code == 405


# --- undo -------------------------------------------------------------------------------------


def test_undo_takes_back_the_last_rating(learner_client, user, study_questions):
    front = study(learner_client).content.decode()
    html = rate(learner_client, front, Rating.GOOD).content.decode()
    before = CardState.objects.get(user=user, question=study_questions[0])
    html = rate(learner_client, html, Rating.AGAIN).content.decode()  # second card
    response = learner_client.post(reverse("quizzes:study_undo"), headers=HX)
    assert "Your last rating was taken back." in response.content.decode()
    assert ReviewLog.objects.filter(user=user).count() == 1
    assert not CardState.objects.filter(user=user, question=study_questions[1]).exists()
    assert CardState.objects.get(user=user, question=study_questions[0]).due == before.due


def test_undo_restores_a_reviewed_card_exactly(learner_client, user, study_questions, frozen):
    front = study(learner_client).content.decode()
    rate(learner_client, front, Rating.GOOD)
    before = CardState.objects.get(user=user)
    frozen.shift(timedelta(minutes=11))
    front = study(learner_client).content.decode()
    assert shown_slug(front) == "d-typed-1"
    rate(learner_client, front, Rating.GOOD)
    learner_client.post(reverse("quizzes:study_undo"))
    after = CardState.objects.get(user=user)
    fields = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
    assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
    assert ReviewLog.objects.filter(user=user).count() == 1


def test_undo_with_nothing_to_undo_changes_nothing(learner_client, study_questions):
    response = learner_client.post(reverse("quizzes:study_undo"))
    assert response.status_code == 302
    assert "There is nothing to take back." in learner_client.get(response.url).content.decode()


# --- settings ---------------------------------------------------------------------------------


def test_study_settings_are_saved(learner_client, user):
    response = learner_client.post(
        reverse("quizzes:study_settings"),
        {"desired_retention": "0.85", "new_per_day": "5", "max_reviews_per_day": "100"},
    )
    assert response.status_code == 302
    profile = StudyProfile.objects.get(user=user)
    assert (profile.desired_retention, profile.new_per_day, profile.max_reviews_per_day) == (
        0.85,
        5,
        100,
    )


def test_study_settings_refuse_a_retention_out_of_range(learner_client, user):
    response = learner_client.post(
        reverse("quizzes:study_settings"),
        {"desired_retention": "0.99", "new_per_day": "5", "max_reviews_per_day": "100"},
    )
    assert response.status_code == 200
    # In our own words, in the percent the field shows (tests/parameters/test_settings_refused).
    assert "from 80 to 97" in response.content.decode()
    assert not StudyProfile.objects.exists()
    # The field in error takes the cursor, beside its message (it was on the page's body, the
    # message out of sight on a phone: an outside tester).
    html = response.content.decode()
    assert "autofocus" in find(html, "input", name="desired_retention").attrs
    assert "autofocus" not in find(html, "input", name="new_per_day").attrs


def test_a_refused_review_ahead_takes_the_cursor_to_its_field(learner_client, user):
    response = learner_client.post(reverse("quizzes:study_custom_ahead"), {"days": "999"})
    assert response.status_code == 400
    assert "autofocus" in find(response.content.decode(), "input", name="days").attrs


# --- query budget -----------------------------------------------------------------------------


def history(user, reviews: int):
    questions = QuestionFactory.create_batch(180)
    CardState.objects.bulk_create(
        CardState(
            user=user,
            question=q,
            state=MemoryState.REVIEW,
            step=None,
            stability=20,
            difficulty=5,
            due=NOW + timedelta(days=1 + i % 30),
            last_review=NOW - timedelta(days=3),
            reps=5,
            created_at=NOW - timedelta(days=300),
        )
        for i, q in enumerate(questions)
    )
    ReviewLog.objects.bulk_create(
        ReviewLog(
            user=user,
            question=questions[i % len(questions)],
            rating=Rating.GOOD,
            reviewed_at=NOW - timedelta(minutes=90 * i),
            origin=ReviewOrigin.STUDY,
        )
        for i in range(reviews)
    )


@pytest.mark.parametrize("reviews", [0, 5000])
def test_study_page_and_rating_stay_within_eight_queries(
    learner_client, user, study_questions, reviews, django_assert_max_num_queries
):
    if reviews:
        history(user, reviews)
    with django_assert_max_num_queries(8 + queue_plan_statements()):
        front = study(learner_client, htmx=True).content.decode()
    with django_assert_max_num_queries(8 + queue_plan_statements()):
        plain = study(learner_client).content.decode()
    assert 'id="card"' in plain
    with django_assert_max_num_queries(8 + queue_plan_statements()):
        response = rate(learner_client, front, Rating.GOOD)
    assert response.status_code == 200
    assert ReviewLog.objects.filter(user=user).count() == reviews + 1


def test_the_card_and_a_rating_read_the_learners_settings_once(
    learner_client, user, study_questions, django_assert_max_num_queries
):
    """The hot path as `make bench` drives it: the card costs the session, the user, their study
    settings and the queue; a rating reads the settings and the card in one statement and adds
    the card's write and its log entry (one statement on PostgreSQL), and a lapse looks at the
    leech settings in the settings already read, with no query of its own."""
    StudyProfile.objects.create(user=user)
    CardStateFactory.create(
        user=user, question=study_questions[0], now=NOW - timedelta(days=1), due_now=True
    )
    # Counted as in production, where a process re-checks the bank's version at most every
    # BANK_CACHE_SECONDS (the tests' 0 would count a check for every read of the bank).
    bank_current()
    slow_bank_checks = override_settings(BANK_CACHE_SECONDS=3600)
    slow_bank_checks.enable()
    with django_assert_max_num_queries(4 + queue_plan_statements()):
        front = study(learner_client, htmx=True).content.decode()
    assert shown_slug(front) == study_questions[0].slug
    # The session, the user, the settings with the card, the write, the queue.
    rating = 4 + rating_write_statements() + queue_plan_statements()
    # Again on a card in review is a lapse.
    with django_assert_max_num_queries(rating):
        front = rate(learner_client, front, Rating.AGAIN).content.decode()
    # A new card's first rating inserts the card and its log entry.
    with django_assert_max_num_queries(4 + 2 + queue_plan_statements()):
        rate(learner_client, front, Rating.GOOD)
    slow_bank_checks.disable()
    assert CardState.objects.get(user=user, question=study_questions[0]).lapses == 1


def test_settings_saved_in_a_request_are_what_the_rest_of_it_reads(user):
    """The learner's settings are read once a request (kept on the user); a service that saves
    them puts the saved row there, so nothing later in the same request reads the old ones."""
    loaded = User.objects.select_related("study_profile").get(pk=user.pk)
    assert study_profile(user=loaded).leech_threshold != 3
    study_services.profile_leech_save(
        user=loaded, leech_threshold=3, leech_action=LeechAction.SUSPEND
    )
    assert study_profile(user=loaded).leech_threshold == 3
    study_services.profile_siblings_save(user=loaded, bury_siblings=False)
    assert study_profile(user=loaded).bury_siblings is False
    assert study_profile(user=loaded).leech_threshold == 3


@pytest.mark.parametrize("htmx", [True, False])
def test_undo_shows_again_the_card_it_undid_not_one_that_came_due_meanwhile(
    learner_client, user, study_questions, frozen, htmx
):
    # A review card comes due five minutes after the learner rates their first new card.
    CardStateFactory.create(
        now=NOW, user=user, question=study_questions[4], due=NOW + timedelta(minutes=5)
    )
    front = study(learner_client).content.decode()
    assert shown_slug(front) == "d-typed-1"
    rate(learner_client, front, Rating.GOOD)
    frozen.shift(timedelta(minutes=10))
    assert shown_slug(study(learner_client).content.decode()) == "p-typed-2"  # due now
    if htmx:
        html = learner_client.post(reverse("quizzes:study_undo"), headers=HX).content.decode()
    else:
        response = learner_client.post(reverse("quizzes:study_undo"))
        assert response.status_code == 302
        html = learner_client.get(response.url).content.decode()
    assert "Your last rating was taken back." in html
    assert shown_slug(html) == "d-typed-1"
    # Rated again from there, it is recorded as the new card it is again.
    rate(learner_client, html, Rating.GOOD)
    assert CardState.objects.get(user=user, question=study_questions[0]).reps == 1
