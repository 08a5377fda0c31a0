"""An htmx request whose session has ended is sent to log in as a whole page (HX-Redirect), back
to the page the learner was on: htmx followed the redirect and swapped the log-in page into the
card, and the log-in then led to an address that answers only a post."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.helpers import HX

pytestmark = pytest.mark.django_db


def login_next(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == reverse("login")
    return parse_qs(parts.query)["next"][0]


@pytest.mark.parametrize("name", ["quizzes:study_answer", "quizzes:study_review"])
def test_an_htmx_post_after_the_session_ended_loads_the_log_in_page_whole(client, name):
    headers = {**HX, "HX-Current-URL": "http://testserver/study/category/people/"}
    response = client.post(reverse(name), {"token": "x"}, headers=headers)
    assert response.status_code == 200
    assert login_next(response["HX-Redirect"]) == "/study/category/people/"
    assert not response.content


def test_a_page_of_another_site_is_never_the_way_back(client):
    headers = {**HX, "HX-Current-URL": "https://elsewhere.example/study/"}
    response = client.post(reverse("quizzes:study_answer"), {}, headers=headers)
    assert login_next(response["HX-Redirect"]) == "/"


def test_without_htmx_the_redirect_is_django_s(client):
    response = client.get(reverse("quizzes:study"))
    assert response.status_code == 302
    assert login_next(response["Location"]) == reverse("quizzes:study")


def test_an_htmx_redirect_elsewhere_is_left_alone(learner_client):
    response = learner_client.get(reverse("quizzes:study_answer"), headers=HX)
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:study")
