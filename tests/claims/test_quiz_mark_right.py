"""A finished quiz's results: the comparison, and "I was right" on a typed answer marked wrong."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.enums import (
    AttemptState,
    HoldOrigin,
    MarkedRightBy,
    MemoryState,
    QuestionKind,
    Rating,
    ReviewOrigin,
)
from quizzes.models import (
    AnswerClaim,
    AttemptAnswer,
    CardHold,
    CardState,
    QuizAttempt,
    ReviewLog,
    StudyProfile,
)
from quizzes.quiz import services as quiz_services
from quizzes.rules import scheduling
from quizzes.study import services as study_services
from tests.factories import (
    CardStateFactory,
    CategoryFactory,
    QuestionFactory,
    ReviewLogFactory,
    UserFactory,
)
from tests.html import elements, find
from tests.support.schedules import DEFAULT_SCHEDULE

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def questions(db):
    people = CategoryFactory.create(slug="people", name="People")
    return [
        QuestionFactory.create(category=people, slug="typed", answer="Ilya Ponomarev"),
        QuestionFactory.create(category=people, slug="choice", kind=QuestionKind.MULTIPLE_CHOICE),
    ]


def quiz(user, responses, *, finish=True):
    """A quiz of the bank's questions, answered with `responses` by slug, finished."""
    attempt = quiz_services.attempt_start(
        user=user, category_slug="people", length=5, seconds_per_question=30, now=NOW
    )
    for answer in attempt.answers.select_related("question"):
        response = responses.get(answer.question.slug, "")
        if answer.question.kind == QuestionKind.MULTIPLE_CHOICE:
            response = str(answer.question.choices.get(is_correct=False, order=1).pk)
        if finish or answer.question.kind != QuestionKind.TYPED:
            quiz_services.attempt_answer(
                attempt=attempt, question_id=answer.question_id, response=response, now=NOW
            )
    attempt.refresh_from_db()
    return attempt


def typed_answer(attempt):
    return attempt.answers.get(question__slug="typed")


def mark(client, attempt, answer_id):
    return client.post(reverse("quizzes:quiz_mark_right", args=[attempt.pk, answer_id]))


def results(client, attempt):
    return client.get(reverse("quizzes:quiz_results", args=[attempt.pk])).content.decode()


def test_a_refused_typed_answer_in_a_quiz_goes_to_the_editors(user, questions):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    stored = AnswerClaim.objects.get()
    assert stored.attempt_answer == typed_answer(attempt)
    assert stored.origin == ReviewOrigin.QUIZ
    assert not stored.claimed


def test_results_compare_a_wrong_typed_answer_and_offer_i_was_right(
    learner_client, user, questions
):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    html = results(learner_client, attempt)
    item = find(html, "li", id=f"answer-{typed_answer(attempt).pk}")
    assert item.has_class("wrong")
    assert find(html, cls="comparison")
    action = reverse("quizzes:quiz_mark_right", args=[attempt.pk, typed_answer(attempt).pk])
    assert [e for e in elements(html) if e.tag == "form" and e.attrs.get("action") == action]
    # Never for the choice question answered wrong.
    assert len([e for e in elements(html) if e.has_class("claim")]) == 1


def test_i_was_right_opens_a_confirmation_that_says_it_cannot_be_taken_back(
    learner_client, user, questions
):
    """Marking right changes the score and the schedule for good: one click on "I was right"
    only opens a disclosure (no JavaScript needed) that says so beside its button."""
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    html = results(learner_client, attempt)
    disclosure = find(html, "details", cls="claim")
    assert "open" not in disclosure.attrs
    (summary,) = [e for e in elements(html) if e.tag == "summary" and "I was right" in e.text]
    assert summary.text.startswith("I was right about question ")
    number = summary.text.rsplit(" ", 1)[1]
    action = reverse("quizzes:quiz_mark_right", args=[attempt.pk, typed_answer(attempt).pk])
    assert find(html, "form", action=action).text in disclosure.text
    effect = find(html, "p", id=f"claim-effect-{typed_answer(attempt).pk}").text
    assert "adds a point to this quiz's score" in effect
    assert "It cannot be taken back." in effect
    button = find(html, "button", aria_describedby=f"claim-effect-{typed_answer(attempt).pk}")
    assert button.text == f"Mark my answer right (question {number})"


def test_i_was_right_marks_the_answer_right_as_the_learners_own_and_raises_the_score(
    learner_client, user, questions
):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    assert attempt.score == 0
    answer = typed_answer(attempt)
    response = mark(learner_client, attempt, answer.pk)
    assert response.status_code == 302
    answer.refresh_from_db()
    attempt.refresh_from_db()
    assert answer.is_correct
    assert answer.marked_right_by == MarkedRightBy.LEARNER
    assert attempt.score == 1
    html = results(learner_client, attempt)
    assert "Marked right by you" in find(html, "li", id=f"answer-{answer.pk}").text
    assert not [e for e in elements(html) if e.has_class("claim")]
    stored = AnswerClaim.objects.get()
    assert stored.claimed
    assert stored.attempt_answer == answer


def test_the_quizzes_page_shows_the_score_i_was_right_raised_at_once(
    learner_client, user, questions
):
    """The quizzes page keeps its list of past quizzes in the cache: a point given back is a
    change of the list, shown on the next visit."""
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    listing = learner_client.get(reverse("quizzes:quiz_list")).content.decode()
    assert f"0 / {attempt.length}" in listing
    mark(learner_client, attempt, typed_answer(attempt).pk)
    listing = learner_client.get(reverse("quizzes:quiz_list")).content.decode()
    assert f"1 / {attempt.length}" in listing


def test_i_was_right_reschedules_the_card_as_if_the_quiz_had_recorded_it_right(
    learner_client, user, questions
):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    question = questions[0]
    lapsed = CardState.objects.get(user=user, question=question)
    assert ReviewLog.objects.get(user=user, question=question).rating == Rating.AGAIN
    mark(learner_client, attempt, typed_answer(attempt).pk)
    assert ReviewLog.objects.get(user=user, question=question).rating == Rating.GOOD
    card = CardState.objects.get(user=user, question=question)
    right = scheduling.review(
        scheduling.NEW_CARD,
        Rating.GOOD,
        now=NOW,
        schedule=DEFAULT_SCHEDULE,
        seed=f"{user.pk}:{question.pk}",
    )
    assert card.values() == right
    assert card.due > lapsed.due


def test_repeating_i_was_right_changes_nothing(learner_client, user, questions):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    answer = typed_answer(attempt)
    mark(learner_client, attempt, answer.pk)
    card = CardState.objects.get(user=user, question=questions[0]).values()
    mark(learner_client, attempt, answer.pk)
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert CardState.objects.get(user=user, question=questions[0]).values() == card
    assert AnswerClaim.objects.count() == 1


def test_a_right_answer_or_a_choice_cannot_be_marked(learner_client, user, questions):
    attempt = quiz(user, {"typed": "Ilya Ponomarev"})
    assert attempt.score == 1
    for answer in attempt.answers.all():
        assert mark(learner_client, attempt, answer.pk).status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert not AttemptAnswer.objects.exclude(marked_right_by="").exists()
    assert ReviewLog.objects.filter(rating=Rating.AGAIN).count() == 1  # the choice stays wrong


def test_a_running_quiz_cannot_be_marked(learner_client, user, questions):
    attempt = quiz(user, {}, finish=False)
    assert attempt.state == AttemptState.RUNNING
    answer = typed_answer(attempt)
    AttemptAnswer.objects.filter(pk=answer.pk).update(
        answered_at=NOW, response="Ilya Ponomarjov", is_correct=False
    )
    mark(learner_client, attempt, answer.pk)
    answer.refresh_from_db()
    assert answer.is_correct is False
    assert answer.marked_right_by == ""


def test_another_learners_answer_and_forged_ids_are_404(client, user, questions):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    answer = typed_answer(attempt)
    other = UserFactory.create()
    client.force_login(other)
    assert mark(client, attempt, answer.pk).status_code == 404
    own = QuizAttempt.objects.create(
        user=other,
        length=1,
        requested_length=1,
        seconds_per_question=30,
        started_at=NOW - timedelta(hours=1),
        deadline=NOW - timedelta(minutes=59),
        state=AttemptState.FINISHED,
        finished_at=NOW - timedelta(minutes=59),
    )
    assert mark(client, own, answer.pk).status_code == 404  # an answer of someone else's quiz
    assert mark(client, own, 10**17).status_code == 404
    answer.refresh_from_db()
    assert answer.is_correct is False


def test_marking_right_is_a_post_with_csrf(user, questions):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    url = reverse("quizzes:quiz_mark_right", args=[attempt.pk, typed_answer(attempt).pk])
    assert strict.post(url).status_code == 403
    assert strict.get(url).status_code == 405
    assert typed_answer(attempt).is_correct is False


def test_the_results_page_with_comparisons_and_claims_keeps_its_query_budget(
    learner_client, user, questions, django_assert_max_num_queries
):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    mark(learner_client, attempt, typed_answer(attempt).pk)
    results(learner_client, attempt)  # shows (and forgets) the message the mark left
    # As many as the results page without comparisons or claims (tests/quiz, 8), and one for the
    # category this quiz was taken in.
    with django_assert_max_num_queries(9):
        assert (
            learner_client.get(reverse("quizzes:quiz_results", args=[attempt.pk])).status_code
            == 200
        )


def test_marking_right_keeps_a_query_budget(
    learner_client, user, questions, django_assert_max_num_queries
):
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    with django_assert_max_num_queries(20):
        mark(learner_client, attempt, typed_answer(attempt).pk)


def test_i_was_right_lifts_the_leech_suspension_the_wrong_answer_brought(
    learner_client, user, questions
):
    StudyProfile.objects.create(user=user, leech_threshold=1)
    question = questions[0]
    # A card learned over three reviews, due now: the quiz's wrong answer is its first lapse.
    for days in (30, 20, 10):
        ReviewLogFactory.create(
            user=user, question=question, reviewed_at=NOW - timedelta(days=days)
        )
    CardStateFactory.create(
        user=user,
        question=question,
        now=NOW,
        reps=3,
        last_review=NOW - timedelta(days=10),
        due=NOW,
        state=MemoryState.REVIEW,
    )
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    assert CardState.objects.get(user=user, question=question).is_leech
    assert CardHold.objects.filter(user=user, origin=HoldOrigin.LEECH).exists()
    mark(learner_client, attempt, typed_answer(attempt).pk)
    card = CardState.objects.get(user=user, question=question)
    assert not card.is_leech
    assert card.lapses == 0
    assert card.reps == 4
    assert not CardHold.objects.filter(user=user).exists()


def test_undoing_a_later_study_rating_keeps_the_regraded_card(
    learner_client, user, questions, frozen
):
    question = questions[0]
    attempt = quiz(user, {"typed": "Ilya Ponomarjov"})
    frozen.shift(timedelta(days=1))
    study_services.review_record(
        user=user,
        question_id=question.pk,
        rating=Rating.GOOD,
        now=NOW + timedelta(days=1),
        schedule=DEFAULT_SCHEDULE,
        shown_reps=1,
    )
    mark(learner_client, attempt, typed_answer(attempt).pk)
    assert study_services.study_undo(user=user, now=NOW + timedelta(days=1)) is not None
    right = scheduling.review(
        scheduling.NEW_CARD,
        Rating.GOOD,
        now=NOW,
        schedule=DEFAULT_SCHEDULE,
        seed=f"{user.pk}:{question.pk}",
    )
    assert CardState.objects.get(user=user, question=question).values() == right
