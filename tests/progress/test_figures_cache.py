"""The dashboard's figures and the cards page's rows are cached (quizzes/progress/figures.py):
every write a learner can make shows on the next visit, exactly as an empty cache shows it."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from quizzes.cards import edits as card_edits
from quizzes.cards.services import hold_place
from quizzes.enums import HoldKind, HoldOrigin, MemoryState, Rating
from quizzes.models import StudyProfile
from quizzes.parameters.services import parameters_apply
from quizzes.rules.duedays import DueDays
from quizzes.study.services import review_record, study_undo
from tests.claims.test_quiz_mark_right import mark, quiz, typed_answer
from tests.factories import CardStateFactory, CategoryFactory, QuestionFactory
from tests.support.schedules import DEFAULT_SCHEDULE

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def questions(db):
    people = CategoryFactory.create(slug="people", name="People")
    return [
        QuestionFactory.create(category=people, slug="typed", answer="Ilya Ponomarev"),
        *(QuestionFactory.create(category=people) for _ in range(3)),
    ]


@pytest.fixture
def learned(user, questions):
    """Cards in review, due in five days."""
    return [
        CardStateFactory.create(
            user=user,
            question=q,
            state=MemoryState.REVIEW,
            stability=20.0,
            due=NOW + timedelta(days=5),
            last_review=NOW - timedelta(days=3),
            now=NOW,
        )
        for q in questions[1:]
    ]


def figures(client) -> str:
    """The dashboard's figures (the page around them carries a fresh CSRF token each time)."""
    html = client.get(reverse("quizzes:progress")).content.decode()
    return html[html.index("<h1>Your progress") : html.index("See the article as a map")]


def card_rows(client) -> str:
    """The rows of the cards page, sorted by recall."""
    html = client.get(reverse("quizzes:cards"), {"sort": "recall"}).content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def statistics_panel(client) -> str:
    """The statistics panel, as htmx loads it, over all time."""
    url = reverse("quizzes:progress_statistics")
    return client.get(url, {"range": "all"}, headers={"HX-Request": "true"}).content.decode()


def shown_after(client, write, *, rows_change: bool = True) -> str:
    """The figures after `write`, checked to have changed and to be what an empty cache shows;
    the cards page's rows likewise (changed, unless the write shows only on the dashboard), and
    the statistics panel (what an empty cache shows)."""

    def pages():
        return figures(client), card_rows(client), statistics_panel(client)

    before = pages()
    assert pages() == before  # read from the cache
    write()
    after = pages()
    assert after[0] != before[0]
    assert after[1] != before[1] or not rows_change
    cache.clear()
    assert pages() == after
    return after[0]


def test_a_review_and_its_undo_show_at_once(learner_client, user, questions):
    def review():
        review_record(
            user=user,
            question_id=questions[0].pk,
            rating=Rating.GOOD,
            now=NOW,
            schedule=DEFAULT_SCHEDULE,
            shown_reps=0,
        )

    empty_panel = statistics_panel(learner_client)
    assert "1 review on 1 day in the last year." in shown_after(learner_client, review)
    assert statistics_panel(learner_client) != empty_panel
    undone = shown_after(learner_client, lambda: study_undo(user=user, now=NOW))
    assert "0 reviews on 0 days in the last year." in undone
    assert statistics_panel(learner_client) == empty_panel


def test_forget_set_due_and_their_undo_show_at_once(learner_client, user, questions, learned):
    question_id = learned[0].question_id
    forgotten = shown_after(
        learner_client,
        lambda: card_edits.card_forget(user=user, question_id=question_id, now=NOW),
    )
    assert "Review: 2" in forgotten
    shown_after(
        learner_client, lambda: card_edits.card_edit_undo(user=user, question_id=question_id)
    )
    due = shown_after(
        learner_client,
        lambda: card_edits.card_due_set(
            user=user,
            question_id=question_id,
            days=DueDays(0, 0),
            now=NOW,
            clock=DEFAULT_SCHEDULE.day,
            rng=random.Random(1),
        ),
    )
    assert "<dt>Due today</dt><dd>1</dd>" in due
    shown_after(
        learner_client, lambda: card_edits.card_edit_undo(user=user, question_id=question_id)
    )


def test_a_bury_and_a_suspension_show_at_once(learner_client, user, learned):
    def hold(card, kind):
        return lambda: hold_place(
            user=user,
            question_id=card.question_id,
            kind=kind,
            now=NOW,
            clock=DEFAULT_SCHEDULE.day,
            origin=HoldOrigin.CARDS,
        )

    assert "Buried: 1" in shown_after(learner_client, hold(learned[0], HoldKind.BURY))
    assert "Suspended: 1" in shown_after(learner_client, hold(learned[1], HoldKind.SUSPEND))


def test_a_regrade_shows_at_once(learner_client, user, questions):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    before = attempt.score
    regraded = shown_after(
        learner_client, lambda: mark(learner_client, attempt, typed_answer(attempt).pk)
    )
    assert f"{before + 1} / {attempt.length}" in regraded


def test_a_reschedule_with_new_parameters_shows_at_once(learner_client, user, learned):
    faster = list(DEFAULT_SCHEDULE.parameters)
    faster[-1] = 0.6  # the forgetting curve's decay: recall falls faster
    shown_after(
        learner_client,
        lambda: parameters_apply(user=user, parameters=faster),
        rows_change=False,  # no figure of these cards on the cards page moves with the decay
    )
    assert StudyProfile.objects.get(user=user).parameters == faster


def test_recall_falls_with_time_within_minutes_not_hours(learner_client, user, learned, frozen):
    before = figures(learner_client)
    frozen.shift(timedelta(hours=20))
    assert figures(learner_client) != before


def test_a_new_goal_shows_at_once(learner_client, user, learned):
    def goal():
        StudyProfile.objects.update_or_create(user=user, defaults={"daily_goal": 7})

    assert "<dd>0 of 7</dd>" in shown_after(learner_client, goal, rows_change=False)
