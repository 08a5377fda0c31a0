"""The admin shows every question's answer: while an editor's own quiz takes answers, its pages
send them back to the quiz, saying why, as a card's page does for a learner (the last pass left
the admin open, so an editor could look a running quiz's answers up)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from quizzes.enums import AttemptEnding, AttemptState
from quizzes.quiz.waiting import BANK_IN_QUIZ
from tests.factories import AttemptAnswerFactory, QuestionFactory, QuizAttemptFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
ANSWER = "the Irpin Declaration"


@pytest.fixture
def editor(client):
    editor = UserFactory.create(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return editor


@pytest.fixture
def question():
    return QuestionFactory.create(answer=ANSWER)


def quiz_of(user, question):
    attempt = QuizAttemptFactory.create(user=user, started_at=NOW - timedelta(minutes=1))
    AttemptAnswerFactory.create(attempt=attempt, question=question, position=0)
    return attempt


def admin_pages(question) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:quizzes_question_changelist"),
        reverse("admin:quizzes_question_change", args=[question.pk]),
        reverse("admin:quizzes_fact_change", args=[question.fact_id]),
        reverse("admin:quizzes_question_changelist") + "?q=Irpin",
    ]


def test_the_admin_waits_while_the_editors_own_quiz_runs(client, editor, question):
    attempt = quiz_of(editor, question)
    for url in admin_pages(question):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("quizzes:quiz_attempt", args=[attempt.pk])
        assert ANSWER not in response.content.decode()
    # A change posted during the quiz changes nothing either.
    response = client.post(reverse("admin:quizzes_question_change", args=[question.pk]), {})
    assert response.status_code == 302
    assert BANK_IN_QUIZ in [m.message for m in get_messages(response.wsgi_request)]


def test_the_admin_opens_again_once_the_quiz_has_ended(client, editor, question):
    attempt = quiz_of(editor, question)
    attempt.state, attempt.ending = AttemptState.FINISHED, AttemptEnding.FINISHED_EARLY
    attempt.finished_at = NOW
    attempt.save()
    for url in admin_pages(question):
        assert client.get(url).status_code == 200, url


def test_another_learners_quiz_does_not_close_the_admin(client, editor, question):
    quiz_of(UserFactory.create(), question)
    assert ANSWER in client.get(admin_pages(question)[2]).content.decode()


def test_log_out_stays_open_during_the_quiz(client, editor, question):
    quiz_of(editor, question)
    response = client.post(reverse("admin:logout"))
    assert response["Location"] == reverse("home")  # LOGOUT_REDIRECT_URL, not the quiz
    assert "_auth_user_id" not in client.session


def test_the_admin_waits_whatever_script_prefix_a_request_comes_with(client, editor, question):
    """The admin is known by the URL resolved for the request, not by an address worked out once
    with the script prefix of the process's first request (a review found a request under
    another prefix let the admin through)."""
    attempt = quiz_of(editor, question)
    client.get("/ping")
    for prefix in ("", "/elsewhere"):
        response = client.get(admin_pages(question)[2], SCRIPT_NAME=prefix)
        assert response.status_code == 302, prefix
        assert response["Location"].endswith(reverse("quizzes:quiz_attempt", args=[attempt.pk])), (
            prefix
        )
        assert ANSWER not in response.content.decode()
