"""The /healthz endpoint."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.helpers import queries_fail

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_cannot_be_reached(client):
    with queries_fail(OperationalError("connection refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_ping_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("ping"))
    assert response.status_code == 200
    assert response.content == b"pong"


def test_query_count_header_counts_the_queries_of_a_response(client, settings):
    settings.MIDDLEWARE = [
        "tests.support.middleware.QueryCountHeaderMiddleware",
        *settings.MIDDLEWARE,
    ]
    assert client.get(reverse("ping"))["X-Query-Count"] == "0"
    assert client.get(reverse("healthz"))["X-Query-Count"] == "1"
