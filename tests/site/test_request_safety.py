"""Request safety: ASCII-digit ids, NUL bytes refused, learners' pages kept out of shared caches."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learnfrl.accounts.users import User
from quizzes.models import AttemptAnswer, QuizAttempt, ReviewLog
from tests.factories import QuestionFactory
from tests.helpers import HX

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(user):
    question = QuestionFactory.create()
    now = timezone.now()
    attempt = QuizAttempt.objects.create(
        user=user,
        length=1,
        requested_length=1,
        seconds_per_question=30,
        started_at=now,
        deadline=now + timedelta(minutes=5),
    )
    AttemptAnswer.objects.create(attempt=attempt, question=question, position=0)
    return attempt


@pytest.mark.parametrize("value", ["²", "٣", "1_0", " 1", "1 ", "+1", "-1", "1e3", "0x1", ""])
def test_question_ids_are_ascii_digits_only(learner_client, attempt, value):
    url = reverse("quizzes:quiz_answer", args=[attempt.pk])
    response = learner_client.post(url, {"question": value, "response": "x"})
    assert response.status_code == 400
    assert response.context["message"] == "Say which question you are answering."
    assert not AttemptAnswer.objects.filter(answered_at__isnull=False).exists()


def test_an_arabic_indic_digit_does_not_name_a_real_question(learner_client, attempt):
    question_id = attempt.answers.get().question_id
    lookalike = str(question_id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    url = reverse("quizzes:quiz_answer", args=[attempt.pk])
    response = learner_client.post(url, {"question": lookalike, "response": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("scope", ["missed:²", "missed:٣", "passage:²", "passage:1_0"])
def test_scope_ids_that_are_not_ascii_digits_are_no_scope_at_all(learner_client, scope):
    # "²".isdigit() is true and int("²") raises: this was a 500. Now it is no known scope, so
    # undo goes back to studying everything.
    response = learner_client.post(reverse("quizzes:study_undo"), {"scope": scope})
    assert (response.status_code, response["Location"]) == (302, reverse("quizzes:study"))


@pytest.mark.parametrize("rating", ["٣", "³", " 3"])
def test_ratings_are_ascii_digits_only(learner_client, rating):
    response = learner_client.post(
        reverse("quizzes:study_review"), {"token": "x", "rating": rating}
    )
    assert response.status_code == 400
    assert not ReviewLog.objects.exists()


def test_a_nul_byte_in_a_quiz_answer_is_a_400_that_changes_nothing(learner_client, attempt):
    question_id = attempt.answers.get().question_id
    url = reverse("quizzes:quiz_answer", args=[attempt.pk])
    response = learner_client.post(url, {"question": question_id, "response": "27\x00 Feb"})
    assert response.status_code == 400
    assert "NUL character" in response.context["message"]
    assert not AttemptAnswer.objects.filter(answered_at__isnull=False).exists()


def test_the_nul_400_names_the_fields_that_hold_one(learner_client, attempt):
    question_id = attempt.answers.get().question_id
    url = reverse("quizzes:quiz_answer", args=[attempt.pk])
    data = {"question": question_id, "response": "27\x00 Feb", "note\x00": "x"}
    response = learner_client.post(url, data)
    assert response.status_code == 400
    assert response.context["message"] == (
        "The fields “note␀” and “response” held a NUL character, which no text here may hold. "
        "Nothing was changed."
    )


def test_a_nul_byte_in_a_sign_up_or_query_string_is_a_400(client):
    data = {"username": "nul\x00name", "password1": "violet-harbour-4821"}
    response = client.post(reverse("signup"), {**data, "password2": data["password1"]})
    assert response.status_code == 400
    assert not User.objects.filter(username__startswith="nul").exists()
    assert client.get(reverse("login"), {"next": "/\x00"}).status_code == 400


def test_a_nul_byte_in_a_log_in_is_a_400_not_a_500(client):
    response = client.post(reverse("login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_learners_pages_are_private_and_not_stored(learner_client):
    for name in (
        "quizzes:study",
        "quizzes:quiz_list",
        "quizzes:progress",
        "quizzes:article",
        "quizzes:study_settings",
    ):
        response = learner_client.get(reverse(name))
        assert response.status_code == 200, name
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, name


def test_pages_that_also_serve_htmx_fragments_vary_on_hx_request(learner_client):
    for name in ("quizzes:study", "quizzes:quiz_list"):
        response = learner_client.get(reverse(name))
        assert "HX-Request" in response["Vary"], name
        partial = learner_client.get(reverse(name), headers=HX)
        assert "HX-Request" in partial["Vary"], name


def test_the_public_landing_page_is_not_marked_private(client):
    response = client.get(reverse("home"))
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/study/", "/no-such-page/"])
@pytest.mark.parametrize(
    "key", ["\x00aaaaaaaaaaaa", "aaaaaaaa\x00", "sessionkey\x7f", "clé-de-session"]
)
def test_a_session_cookie_no_key_could_be_is_no_session(client, settings, monkeypatch, path, key):
    # PostgreSQL refused the NUL in the session's lookup with an error: any client could make
    # every page a 500 with one cookie. (SQLite looked it up and found nothing.)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    given = []
    opened = store.__init__

    def noted(self, session_key=None):
        given.append(session_key)
        opened(self, session_key)

    monkeypatch.setattr(store, "__init__", noted)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.wsgi_request.COOKIES[settings.SESSION_COOKIE_NAME] == key
    assert response.status_code in {200, 302, 404}
    assert given[:1] == [None]  # the store is never given the cookie to look up
    assert not any(key in str(query["sql"]) for query in queries.captured_queries)
    assert response.wsgi_request.session.session_key is None
    # And the browser is told to forget it.
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 0


def test_a_session_cookie_that_could_be_a_key_is_read(learner_client, settings):
    assert learner_client.get(reverse("quizzes:study")).status_code == 200
