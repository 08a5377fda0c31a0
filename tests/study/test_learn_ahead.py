"""Learn-ahead, honest counts and the "done for now" panel: a learning card a few minutes away is
shown now when nothing else is due (Anki's learn-ahead limit), the page counts New · Learning ·
Review apart, and the panel says when the next card comes and brings it without a reload."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from quizzes.enums import Rating
from quizzes.rules.days import when_words
from quizzes.study.queue import study_queue
from tests.factories import CardStateFactory, QuestionFactory, StudyProfileFactory
from tests.helpers import HX, rate, shown_slug
from tests.support.schedules import UTC_DAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def bank(db):
    return [QuestionFactory.create(slug=f"q-{n}") for n in range(3)]


def learning(user, question, *, due_in: timedelta):
    return CardStateFactory.create(
        user=user,
        question=question,
        learning=True,
        step=1,
        last_review=NOW - timedelta(minutes=1),
        due=NOW + due_in,
        reps=1,
        now=NOW,
    )


def no_new_cards(user, **settings):
    return StudyProfileFactory.create(user=user, new_per_day=0, **settings)


def test_a_learning_card_within_the_limit_is_shown_when_nothing_else_is_due(
    learner_client, user, bank
):
    no_new_cards(user)
    learning(user, bank[1], due_in=timedelta(minutes=10))
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["side"] == "front"
    assert page.context["question"].id == bank[1].pk
    assert page.context["queue"].ahead
    assert page.context["queue"].learning_count == 1


def test_a_learning_card_past_the_limit_waits(learner_client, user, bank):
    no_new_cards(user)
    learning(user, bank[1], due_in=timedelta(minutes=25))
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["side"] == "done"
    assert page.context["queue"].learning_count == 0
    assert page.context["next_due_words"] == "in 25 minutes"


def test_the_limit_is_the_learners_setting(learner_client, user, bank):
    no_new_cards(user, learn_ahead_minutes=0)
    learning(user, bank[1], due_in=timedelta(minutes=10))
    assert learner_client.get(reverse("quizzes:study")).context["side"] == "done"


def test_due_cards_and_new_cards_come_before_learning_ahead(learner_client, user, bank):
    learning(user, bank[1], due_in=timedelta(minutes=10))
    CardStateFactory.create(user=user, question=bank[2], in_review=True, overdue=True, now=NOW)
    assert shown_slug(learner_client.get(reverse("quizzes:study")).content.decode()) == "q-2"
    assert not study_queue(user=user, now=NOW).ahead


def test_the_counts_are_new_learning_and_review_apart(user, bank):
    learning(user, bank[0], due_in=timedelta(minutes=-1))
    CardStateFactory.create(user=user, question=bank[1], in_review=True, overdue=True, now=NOW)
    queue = study_queue(user=user, now=NOW)
    assert (queue.new_count, queue.learning_count, queue.review_count) == (1, 1, 1)


def test_the_panel_never_says_in_0_minutes_and_brings_the_card_when_it_is_due(
    learner_client, user, bank, frozen
):
    no_new_cards(user, learn_ahead_minutes=0)
    learning(user, bank[1], due_in=timedelta(seconds=30))
    page = learner_client.get(reverse("quizzes:study"))
    html = page.content.decode()
    assert page.context["side"] == "done"
    assert "in under a minute" in html
    assert "in 0 minutes" not in html
    # The panel loads itself again when the card is due, and says how to check without it.
    assert 'hx-trigger="load delay:30s"' in html
    assert f'href="{reverse("quizzes:study")}">check again</a>' in html
    # Without JavaScript too (an outside audit found the promise kept only with it).
    refresh = f'<noscript><meta http-equiv="refresh" content="30;url={reverse("quizzes:study")}">'
    assert refresh in html
    frozen.shift(timedelta(seconds=30))
    again = learner_client.get(reverse("quizzes:study"), {"refresh": "1"}, headers=HX)
    assert again.context_data["side"] == "front"
    assert again.context_data["question"].id == bank[1].pk


def test_a_panel_that_reloads_itself_leaves_the_focus_alone(learner_client, user, bank):
    no_new_cards(user, learn_ahead_minutes=0)
    learning(user, bank[1], due_in=timedelta(minutes=5))
    first = learner_client.get(reverse("quizzes:study"), headers=HX).content.decode()
    assert "data-autofocus" in first
    again = learner_client.get(reverse("quizzes:study"), {"refresh": "1"}, headers=HX)
    assert again.context_data["side"] == "done"
    assert "data-autofocus" not in again.content.decode()


def test_a_card_rated_again_comes_back_ahead_once_nothing_else_is_due(learner_client, user, bank):
    StudyProfileFactory.create(user=user, new_per_day=1)
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    html = rate(learner_client, html, Rating.AGAIN).content.decode()
    # Due in a minute, no other card: shown now rather than "done for now".
    assert shown_slug(html) == "q-0"


@override_settings(TIME_ZONE="America/New_York")
def test_the_next_due_time_is_exact_on_sqlite_with_a_site_zone_not_utc(user, bank):
    # SQLite returned the raw due time as a naive datetime, which the page read in TIME_ZONE:
    # five hours off in New York.
    no_new_cards(user)
    card = learning(user, bank[1], due_in=timedelta(hours=3))
    queue = study_queue(user=user, now=NOW)
    assert queue.next_due_at == card.due
    assert queue.next_due_at is not None
    assert queue.next_due_at.utcoffset() is not None


@pytest.mark.parametrize(
    ("after", "words"),
    [
        (timedelta(seconds=0), "in under a minute"),
        (timedelta(seconds=59), "in under a minute"),
        (timedelta(seconds=60), "in 1 minute"),
        (timedelta(minutes=3, seconds=20), "in 3 minutes"),
        (timedelta(hours=2), "today at 17:00"),
        (timedelta(hours=13), "tomorrow at 4:00"),
        (timedelta(days=5, hours=13), "on 8 March at 4:00"),
    ],
)
def test_when_the_next_card_comes_in_words(after, words):
    assert when_words(NOW + after, NOW, UTC_DAY) == words


def test_done_for_now_says_new_cards_come_at_the_next_day_start_before_a_later_card(
    learner_client, user, bank
):
    """Today's new cards met, a review card due in five days: the next card comes when the day
    turns, a new one (an outside audit was told the five days' card)."""
    StudyProfileFactory.create(user=user, new_per_day=1, time_zone="UTC", day_starts_at=4)
    CardStateFactory.create(
        user=user, question=bank[0], in_review=True, due=NOW + timedelta(days=5), now=NOW
    )
    rate(learner_client, learner_client.get(reverse("quizzes:study")).content.decode(), 4)
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["side"] == "done"
    assert page.context["next_at"] == datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    assert page.context["next_due_words"] == when_words(page.context["next_at"], NOW, UTC_DAY)
    assert "You have met today's 1 new card." in page.content.decode()


def test_done_for_now_with_no_new_cards_a_day_names_the_next_card_due(learner_client, user, bank):
    """With a limit of 0 new cards, none comes tomorrow either (a review found the panel saying
    the next day's start every day)."""
    StudyProfileFactory.create(user=user, new_per_day=0, time_zone="UTC", day_starts_at=4)
    due = NOW + timedelta(days=5)
    CardStateFactory.create(user=user, question=bank[0], in_review=True, due=due, now=NOW)
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["next_at"] == due
    assert "new cards" not in page.content.decode().split("You are done for now")[1][:200]


def test_a_review_card_due_within_the_learn_ahead_limit_is_looked_for_when_due(
    learner_client, user, bank
):
    """Review cards never come early: the panel looks again when the card is due, not every
    second till then (a review found it reloading each second, with or without JavaScript)."""
    StudyProfileFactory.create(user=user, new_per_day=0, learn_ahead_minutes=20)
    CardStateFactory.create(
        user=user, question=bank[0], in_review=True, due=NOW + timedelta(minutes=10), now=NOW
    )
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["side"] == "done"
    assert page.context["refresh_seconds"] == 60


def test_done_for_now_past_the_review_limit_says_the_next_day_start(learner_client, user, bank):
    StudyProfileFactory.create(
        user=user, new_per_day=0, max_reviews_per_day=1, time_zone="UTC", day_starts_at=4
    )
    CardStateFactory.create(user=user, question=bank[0], in_review=True, overdue=True, now=NOW)
    CardStateFactory.create(user=user, question=bank[1], in_review=True, overdue=True, now=NOW)
    rate(learner_client, learner_client.get(reverse("quizzes:study")).content.decode(), 3)
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["side"] == "done"
    assert page.context["next_at"] == datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
