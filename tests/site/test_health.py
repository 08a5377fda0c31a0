"""The /healthz endpoint."""

import os

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.helpers import queries_fail

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    # A shared cache (Redis, as CI's PostgreSQL pass has) is reached; a local one is only named.
    cache = "ok" if os.environ.get("CACHE_URL") else "local"
    assert response.json() == {"status": "ok", "database": "ok", "cache": cache}


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


DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_healthz_reports_redis_away_as_503(client, settings):
    settings.CACHES = DEAD_REDIS
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unreachable"}


def test_healthz_reports_redis_answering(client, settings):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip(f"Redis is not answering at {redis_url}")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["cache"] == "ok"
