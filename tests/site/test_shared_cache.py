"""The shared cache (CACHE_URL, Redis): limits and sessions hold across processes.

"Another process" here is a real one: a second Python interpreter with the same settings and
CACHE_URL, standing for another worker or another server.
"""

import json
import os
import subprocess
import sys
import uuid
from typing import Any, cast

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.helpers import ROOT

REDIS_URL = os.environ.get("CACHE_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/1"
)


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason=f"Redis is not answering at {REDIS_URL}"),
]


@pytest.fixture
def shared_cache(settings):
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    return prefix


def other_process(prefix: str, code: str) -> object:
    """Run `code` in another interpreter sharing the cache; return what it prints (as JSON)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        f"settings.CACHES['default']['KEY_PREFIX'] = {prefix!r}\n" + code
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CACHE_URL": REDIS_URL,
        "SIGNUP_RATE": django_settings.SIGNUP_RATE,
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def sign_up(client: Client, name: str):
    data = {"username": name, "password1": "violet-harbour-4821"}
    return client.post(reverse("signup"), {**data, "password2": data["password1"]})


@pytest.mark.django_db
def test_the_sign_up_limit_holds_across_processes(shared_cache, settings):
    settings.SIGNUP_RATE = "10/h"
    # Another server takes seven sign-ups from this address...
    used = other_process(
        shared_cache,
        "from learnfrl.accounts.limits import limit_hit\n"
        "made = [limit_hit(scope='signup', ident='198.51.100.1',\n"
        "        rate=settings.SIGNUP_RATE).allowed for _ in range(7)]\n"
        "print(json.dumps(made))",
    )
    assert used == [True] * 7
    # ...so this one allows the remaining three, and refuses the next.
    client = Client(REMOTE_ADDR="198.51.100.1")
    for n in range(3):
        assert sign_up(client, f"here{n}").status_code == 302
        client.post(reverse("logout"))
    assert sign_up(client, "one-too-many").status_code == 429


@pytest.mark.django_db
def test_password_reset_mails_to_one_address_are_counted_across_processes(shared_cache):
    from django.core import mail

    from tests.factories import UserFactory

    UserFactory(email="owner@example.com", email_verified=True)
    other_process(
        shared_cache,
        "from learnfrl.accounts.limits import limit_hit\n"
        "v = [limit_hit(scope='reset-address', ident='owner@example.com',\n"
        "      rate=settings.PASSWORD_RESET_ADDRESS_RATE).allowed for _ in range(4)]\n"
        "print(json.dumps(v))",
    )
    for n in range(3):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            reverse("password_reset"), {"email": "owner@example.com"}
        )
    assert len(mail.outbox) == 1  # four went from the other server; five an hour in all


@pytest.mark.django_db
def test_a_log_out_ends_a_cached_session_in_every_process(shared_cache, settings, user):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    look = (
        "from django.core.cache import cache\n"
        "from django.contrib.sessions.backends.cached_db import KEY_PREFIX\n"
        f"data = cache.get(KEY_PREFIX + {session_key!r})\n"
        "print(json.dumps((data or {}).get('_auth_user_id')))"
    )
    assert other_process(shared_cache, look) == str(user.pk)
    client.post(reverse("logout"))
    assert other_process(shared_cache, look) is None
    assert cache.get(f"django.contrib.sessions.cached_db{session_key}") is None


def test_the_limits_count_atomically_in_redis(shared_cache):
    from learnfrl.accounts.limits import limit_hit

    assert type(caches["default"]).__name__ == "RedisCache"
    verdicts = [limit_hit(scope="t", ident="x", rate="3/h").allowed for _ in range(4)]
    assert verdicts == [True, True, True, False]


@pytest.mark.django_db
def test_redis_away_gives_the_503_page_not_a_trace(settings, user):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    client = Client(raise_request_exception=False)
    response = sign_up(client, "while-redis-is-away")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    failed = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert failed.status_code == 503


@pytest.mark.django_db
@pytest.mark.parametrize("rate", ["", "20/2s"], ids=["no account rate", "the account's rate"])
def test_redis_away_with_cached_sessions_gives_the_503_page_on_every_page(settings, user, rate):
    # A logged-in learner's pages load the session from Redis wherever they are decided: in a
    # view, in the 404 page, in the CSRF-failure page, and when the session is saved on the way
    # out; with an account rate, first of all to count the request. Each is the 503 page, never
    # a 500.
    settings.LEARNER_REQUEST_RATE = rate
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(user)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    answers = {
        "home": client.get(reverse("home")),
        "study": client.get(reverse("quizzes:study")),
        "missing page": client.get("/no-such-page/"),
        "form without its CSRF token": client.post(reverse("logout")),
        "log-in page": client.get(reverse("login")),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 503)
    for response in answers.values():
        assert response["Retry-After"] == "30"
        assert "try again" in response.content.decode().lower()


# Ways a real Redis answers reads and refuses writes: a replica (of a primary that is not
# there, as after a failover); writes stopped because its last snapshot failed (a full or
# unwritable disk: Redis's default, "MISCONF"); a user its ACL lets only read.
REFUSING_REDIS = ["replica", "failed snapshot", "read-only user"]


@pytest.fixture(params=REFUSING_REDIS)
def refusing_redis(request, tmp_path):
    """A real Redis server of its own that refuses writes in one of those ways: the cache
    settings that reach it."""
    import shutil
    import socket
    import time

    import redis

    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = ["--port", str(port), "--bind", "127.0.0.1", "--appendonly", "no"]
    args += {
        "replica": ["--save", "", "--dir", str(tmp_path), "--replicaof", "127.0.0.1", "1"],
        # Snapshots on (writes stop only then), none of which can be written there.
        "failed snapshot": ["--save", "3600 1", "--dir", "/proc"],
        "read-only user": ["--save", "", "--dir", str(tmp_path)],
    }[request.param]
    process = subprocess.Popen(
        [server, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        admin = redis.Redis.from_url(url, socket_connect_timeout=0.2)
        for _ in range(50):
            try:
                admin.ping()
                break
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        if request.param == "failed snapshot":
            admin.bgsave()

            def persistence() -> dict[str, Any]:
                return cast(dict[str, Any], admin.info("persistence"))

            while persistence()["rdb_bgsave_in_progress"]:
                time.sleep(0.05)
            assert persistence()["rdb_last_bgsave_status"] == "err"
        if request.param == "read-only user":
            admin.acl_setuser("reader", enabled=True, passwords=["+reading"], keys=["*"],
                              commands=["+@read", "+@connection"])  # fmt: skip
            url = f"redis://reader:reading@127.0.0.1:{port}/0"
        yield {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
    finally:
        # Killed: a server that cannot save refuses to stop on SIGTERM (it saves on the way out).
        process.kill()
        process.wait(timeout=10)


@pytest.mark.django_db
def test_a_redis_that_refuses_writes_gives_the_503_page_and_healthz_says_so(
    settings, user, refusing_redis
):
    """Every count the limits make is refused: that is the 503 page, never a 500, and /healthz
    does not call it "ok" because a read worked."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client(raise_request_exception=False)
    client.force_login(user)
    settings.CACHES = refusing_redis
    answers = {
        "study": client.get(reverse("quizzes:study")),
        "missing page": client.get("/no-such-page/"),
        "log-in": Client(raise_request_exception=False).post(
            reverse("login"), {"username": user.username, "password": PASSWORD}
        ),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 503)
    health = Client().get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "ok", "cache": "refuses writes"}
