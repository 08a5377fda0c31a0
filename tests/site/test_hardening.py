"""Hardening: throttling, headers, access control from the URL conf, CSRF, bad input, errors."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from quizzes.enums import Rating
from quizzes.models import AttemptAnswer, CardState, QuizAttempt, ReviewLog
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    QuestionFactory,
    QuizAttemptFactory,
    UserFactory,
)
from tests.helpers import HX, queries_fail
from tests.html import elements

pytestmark = pytest.mark.django_db


# --- log-in throttling and sign-up rate limit ---------------------------------------------------


def test_five_failed_log_ins_lock_the_username_from_that_address(client, user):
    url = reverse("login")
    for _ in range(4):
        response = client.post(url, {"username": user.username, "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct username and password." in response.content.decode()
    fifth = client.post(url, {"username": user.username, "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(url, {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # Another address may still log in as that user.
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302

    with time_machine.travel(timedelta(minutes=16)):
        response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_successful_log_in_resets_the_failure_count(client, user):
    url = reverse("login")
    for _ in range(4):
        client.post(url, {"username": user.username, "password": "wrong"})
    assert client.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        client.post(url, {"username": user.username, "password": "wrong"})
    assert client.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302


def test_sign_up_is_rate_limited_per_address(client):
    from learnfrl.accounts.users import User

    for n in range(10):
        response = Client().post(
            reverse("signup"),
            {
                "username": f"new{n}",
                "password1": "violet-harbour-4821",
                "password2": "violet-harbour-4821",
            },
        )
        assert response.status_code == 302, n
    response = client.post(
        reverse("signup"),
        {
            "username": "one-too-many",
            "password1": "violet-harbour-4821",
            "password2": "violet-harbour-4821",
        },
    )
    assert response.status_code == 429
    assert "Too many sign-ups from your address" in response.content.decode()
    assert not User.objects.filter(username="one-too-many").exists()


# --- headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "login",
        "signup",
        "quizzes:study",
        "quizzes:quiz_list",
        "quizzes:progress",
        "quizzes:article",
    ],
)
def test_main_pages_send_strict_security_headers(learner_client, name):
    response = learner_client.get(reverse(name))
    if response.status_code == 302:  # the landing page sends learners to study
        response = learner_client.get(response.url)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    script_src = directives["script-src"]
    assert script_src == "'self'"
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    html = response.content.decode()
    assert all("src" in script.attrs for script in elements(html) if script.tag == "script")
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html


# --- access control, generated from the URL conf -------------------------------------------------

PUBLIC = {
    "home",
    "signup",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "email_verify",  # the link mailed to an address works logged in or not
    "healthz",
    "ping",
    "favicon",
}


def all_patterns(patterns=None, prefix="", namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


@pytest.fixture
def owned(db):
    """The first learner's objects, one of each kind a URL can name."""
    owner = UserFactory.create()
    category = CategoryFactory.create(slug="dates", name="Dates")
    from quizzes.rules.article import article_body, sentences

    passage = "It was formed in March 2022"
    question = QuestionFactory.create(
        category=category, source_passage=passage, passage_offset=article_body().index(passage)
    )
    attempt = QuizAttemptFactory.create(
        user=owner,
        length=1,
        started_at=_now(),
        deadline=_now() + timedelta(minutes=5),
        with_answers=[question],
    )
    sentence = next(s.index for s in sentences() if passage in s.text)
    return {
        "owner": owner,
        "attempt": attempt,
        "sentence": sentence,
        "category": category,
        "question": question,
    }


def _now():
    from django.utils import timezone

    return timezone.now()


def kwargs_for(pattern, owned):
    values = {
        "attempt_id": owned["attempt"].pk,
        "answer_id": owned["attempt"].answers.get().pk,
        "sentence": owned["sentence"],
        "question_id": owned["question"].pk,
        "category_slug": "dates",
        "days_ahead": 3,
        "uidb64": "MQ",
        "token": "set-password",
    }
    return {name: values[name] for name in pattern.pattern.converters}


def test_every_private_url_sends_anonymous_visitors_to_log_in(client, owned):
    checked = 0
    for name, pattern in all_patterns():
        if name in PUBLIC or name.startswith("admin:"):
            continue
        url = reverse(name, kwargs=kwargs_for(pattern, owned))
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name
        checked += 1
    assert checked >= 20


def test_admin_urls_send_anonymous_visitors_to_the_admin_log_in(client):
    response = client.get(reverse("admin:quizzes_question_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_another_learner_gets_404_for_every_url_naming_the_first_learners_objects(client, owned):
    client.force_login(UserFactory.create())
    checked = 0
    for name, pattern in all_patterns():
        if "attempt_id" not in pattern.pattern.converters:
            continue
        url = reverse(name, kwargs=kwargs_for(pattern, owned))
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"question": "1", "response": "x"}).status_code in (404, 405), name
        checked += 1
    assert checked >= 5
    attempt = owned["attempt"]
    attempt.refresh_from_db()
    assert attempt.is_running
    assert not AttemptAnswer.objects.filter(answered_at__isnull=False)


def test_every_url_pattern_is_classified(owned):
    """A new view must be public on purpose, or private: this lists every one."""
    names = {name for name, _ in all_patterns() if not name.startswith("admin:")}
    private = names - PUBLIC
    assert "quizzes:study" in private
    assert "quizzes:quiz_answer" in private
    assert "quizzes:export_reviews" in private


# --- CSRF -----------------------------------------------------------------------------------

STATE_CHANGING = [
    "quizzes:study_review",
    "quizzes:study_undo",
    "quizzes:quiz_start",
    "quizzes:quiz_answer",
    "quizzes:quiz_finish",
    "quizzes:quiz_report",
    "quizzes:study_report",
    "quizzes:study_settings",
    "logout",
    "password_change",
    "account_delete",
]


@pytest.mark.parametrize("htmx", [False, True])
def test_every_state_changing_view_refuses_a_post_without_a_csrf_token(owned, htmx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owned["owner"])
    headers = HX if htmx else {}
    for name in STATE_CHANGING:
        kwargs = (
            {"attempt_id": owned["attempt"].pk}
            if name.startswith("quizzes:quiz_") and name != "quizzes:quiz_start"
            else {}
        )
        response = client.post(
            reverse(name, kwargs=kwargs), {"rating": Rating.GOOD}, headers=headers
        )
        assert response.status_code == 403, name
        assert "The form had expired" in response.content.decode()
    assert not QuizAttempt.objects.exclude(pk=owned["attempt"].pk).exists()
    assert not ReviewLog.objects.exists()


def test_state_changing_views_refuse_get(owned, client):
    client.force_login(owned["owner"])
    for name in [
        "quizzes:study_review",
        "quizzes:study_undo",
        "quizzes:study_report",
        "quizzes:quiz_start",
        "logout",
    ]:
        assert client.get(reverse(name)).status_code == 405, name
    for name in ["quizzes:quiz_answer", "quizzes:quiz_finish", "quizzes:quiz_report"]:
        url = reverse(name, kwargs={"attempt_id": owned["attempt"].pk})
        assert client.get(url).status_code == 405, name
    owned["attempt"].refresh_from_db()
    assert owned["attempt"].is_running


# --- bad input -----------------------------------------------------------------------------------


def test_huge_and_negative_ids_are_404_not_500(learner_client):
    for url in (
        "/quizzes/99999999999999999999999/",
        "/quizzes/-1/",
        "/quizzes/0/results/",
        "/study/passage/99999999999999999999/",
        "/study/missed/123456789012345678/",
    ):
        assert learner_client.get(url).status_code == 404, url


def test_over_long_and_undecodable_input_gets_a_400_with_a_message(learner_client, owned):
    learner_client.force_login(owned["owner"])
    url = reverse("quizzes:quiz_answer", kwargs={"attempt_id": owned["attempt"].pk})
    question = owned["attempt"].answers.get().question_id
    response = learner_client.post(url, {"question": question, "response": "x" * 501})
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    response = learner_client.post(
        url,
        data=b"question=\xff\xfe&response=\xc3\x28",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not AttemptAnswer.objects.filter(answered_at__isnull=False).exists()


def test_unknown_ratings_get_a_400_page_in_the_layout(learner_client, owned):
    response = learner_client.post(reverse("quizzes:study_review"), {"token": "x", "rating": "9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This card was not shown to you" in html
    assert 'aria-label="Main"' in html


# --- errors ---------------------------------------------------------------------------------


def test_not_found_page_is_in_the_layout_with_a_request_id(learner_client):
    response = learner_client.get("/no-such-page/", headers={"X-Request-ID": "trace-12345678"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'aria-label="Main"' in html
    assert "trace-12345678" in html
    assert response["X-Request-ID"] == "trace-12345678"


# The study page reads the learner's cards: a query on them stands for the database failing.
STUDY_TABLE = CardState._meta.db_table


def test_a_database_that_cannot_be_reached_gives_a_503_page(learner_client, caplog):
    with queries_fail(OperationalError("could not connect"), on=STUDY_TABLE):
        response = learner_client.get(reverse("quizzes:study"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "busy for a moment" in html
    assert "Traceback" not in html
    assert response["Retry-After"] == "30"
    record = next(r for r in caplog.records if "Database unavailable" in r.getMessage())
    assert record.request_id == response["X-Request-ID"]


def test_a_locked_sqlite_database_gives_a_503_page(learner_client):
    with queries_fail(OperationalError("database is locked"), on=STUDY_TABLE):
        assert learner_client.get(reverse("quizzes:study")).status_code == 503


def test_a_missing_table_is_a_programming_error_and_stays_a_500():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory.create())
    with queries_fail(OperationalError("no such table: quizzes_cardstate"), on=STUDY_TABLE):
        response = client.get(reverse("quizzes:study"))
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.parametrize(
    "message",
    [
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused',
        "server closed the connection unexpectedly",
        "unable to open database file",
    ],
)
def test_an_unreachable_database_in_the_drivers_words_gives_a_503(learner_client, message):
    with queries_fail(OperationalError(message), on=STUDY_TABLE):
        assert learner_client.get(reverse("quizzes:study")).status_code == 503


def test_an_unexpected_error_gives_the_500_page_and_is_logged_with_its_request_id(caplog):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory.create())
    with queries_fail(ZeroDivisionError("boom"), on=STUDY_TABLE):
        response = client.get(reverse("quizzes:study"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "boom" not in html
    assert response["X-Request-ID"] in html
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.request_id == response["X-Request-ID"]


def test_responses_logged_after_the_middleware_keep_their_request_id(learner_client, caplog):
    with queries_fail(OperationalError("database is locked"), on=STUDY_TABLE):
        response = learner_client.get(reverse("quizzes:study"))
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged
    assert all(r.request_id == response["X-Request-ID"] for r in logged)
