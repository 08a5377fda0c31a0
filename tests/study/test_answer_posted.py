"""Showing the answer is a POST: what the learner types never travels in an address (the
browser's history, server and proxy logs), with htmx and without JavaScript."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ponomarev_question
from tests.helpers import HX, token_of
from tests.html import elements, find, form_data

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TYPED = "Ilya Ponomarenko"


@pytest.fixture
def typed(db):
    return ponomarev_question()


@pytest.fixture
def strict(user):
    """A client that checks CSRF tokens, as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def answer_url() -> str:
    return reverse("quizzes:study_answer")


def front_of(client, htmx: bool = False) -> str:
    return client.get(reverse("quizzes:study"), headers=HX if htmx else {}).content.decode()


def shown(client, front: str, response: str, htmx: bool = False):
    """Type `response` and press "Show answer": the front's form as the browser sends it."""
    data = {**form_data(front, action=answer_url()), "response": response}
    return client.post(answer_url(), data, headers=HX if htmx else {})


@pytest.mark.parametrize("htmx", [False, True])
def test_the_front_posts_the_answer_with_its_csrf_token(learner_client, typed, htmx):
    front = front_of(learner_client, htmx)
    form = find(front, "form", cls="front")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == answer_url()
    assert form.attrs["hx-post"] == answer_url()
    assert "hx-get" not in form.attrs
    assert form_data(front, action=answer_url())["csrfmiddlewaretoken"]


@pytest.mark.parametrize("htmx", [False, True])
def test_the_typed_answer_reaches_the_back_with_its_grading(strict, typed, htmx):
    back = shown(strict, front_of(strict), TYPED, htmx)
    assert back.status_code == 200
    assert back.template_name == ("quizzes/study.html#back" if htmx else "quizzes/study.html")
    assert (back.context_data["side"], back.context_data["response"]) == ("back", TYPED)
    assert back.context_data["correct"] is False
    html = back.content.decode()
    assert find(html, "p", cls="verdict").text == f"✗ Not quite: you wrote “{TYPED}”"
    assert find(html, cls="comparison")


def test_the_pages_never_send_a_typed_answer_in_an_address(learner_client, typed):
    front = front_of(learner_client)
    back = shown(learner_client, front, TYPED).content.decode()
    for html in (front, back):
        carrying = [
            form
            for form in elements(html)
            if form.tag == "form" and form.attrs.get("action") in (answer_url(), "")
        ]
        assert all(form.attrs.get("method") == "post" for form in carrying)
        assert not [e for e in elements(html) if TYPED in e.attrs.get("href", "")]
        assert not [e for e in elements(html) if e.attrs.get("hx-get", "").startswith(answer_url())]


def test_a_showing_without_its_csrf_token_is_refused(strict, typed):
    front = front_of(strict)
    refused = strict.post(answer_url(), {"token": token_of(front), "response": TYPED})
    assert refused.status_code == 403


def test_a_get_with_an_answer_in_its_address_shows_no_back(learner_client, typed):
    front = front_of(learner_client)
    # An address kept from before answers were posted: the study page, nothing in it read.
    response = learner_client.get(answer_url(), {"token": token_of(front), "response": TYPED})
    assert response.status_code == 302
    assert response.url == reverse("quizzes:study")
    again = learner_client.get(response.url)
    assert again.context_data["side"] == "front"
    assert TYPED not in again.content.decode()


def test_showing_the_answer_after_the_session_ended_comes_back_to_study(client, user, typed):
    client.force_login(user)
    front = front_of(client)
    client.logout()
    response = client.post(answer_url(), {"token": token_of(front), "response": TYPED})
    # To log in, with the answer in no address; after it, the ?next= address is a GET.
    assert response.status_code == 302
    login = urlsplit(response.url)
    assert parse_qs(login.query) == {"next": [answer_url()]}
    client.force_login(user)
    after = client.get(answer_url())
    assert (after.status_code, after.url) == (302, reverse("quizzes:study"))


def test_a_front_whose_token_has_expired_reloads_the_page_saying_why(strict, user, typed):
    """A log-in in another tab rotates the CSRF token: htmx swaps nothing on the 403, so "Show
    answer" did nothing at all, press after press. The page now loads afresh, saying why."""
    front = front_of(strict, htmx=True)
    strict.force_login(user)  # another tab's log-in: a new token
    strict.cookies["csrftoken"] = "x" * 32
    response = shown(strict, front, TYPED, htmx=True)
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    page = strict.get(reverse("quizzes:study")).content.decode()
    assert "The form had expired" in page
    # Without JavaScript the page says what to do, not to reload a post that would fail again.
    plain = shown(strict, front, TYPED)
    assert plain.status_code == 403
    assert "HX-Refresh" not in plain
    assert "Open the page again" in plain.content.decode()


def test_a_head_of_the_answer_address_is_no_error(learner_client):
    response = learner_client.head(answer_url())
    assert response.status_code == 302
