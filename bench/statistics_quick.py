"""Time the progress page, its statistics panel and the password page for a learner with 20,000
reviews, in one process with Django's test client (one client, no server): a quick check of
where the progress page stands, not the full benchmark (`make bench`).

    python -m bench.statistics_quick [--reviews 20000] [--rounds 40]

SQLite by default (a fresh file in /tmp); DATABASE_URL for PostgreSQL (its tables are
emptied of the benchmark learner first). CACHE_URL (redis://…/n) for Redis, else a local cache.
"""

import argparse
import os
import random
import statistics
import time
from datetime import timedelta

ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "DJANGO_SETTINGS_MODULE": "learnfrl.settings",
    "LOG_LEVEL": "WARNING",
    # As `make bench`: the account's request rate counted, but beyond a machine's reach.
    "LEARNER_REQUEST_RATE": "1000000/s",
}
NAME = "stats-heavy"


def sqlite_afresh(path: str) -> None:
    """The in-process benchmarks' settings (ENV), on a SQLite file at `path` made anew (its
    write-ahead log, shared memory and writer lock with it), before Django is set up."""
    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    for suffix in ("", "-wal", "-shm", ".writer-lock"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    os.environ["SQLITE_PATH"] = path


def _setup() -> None:
    if os.environ.get("DATABASE_URL"):
        for key, value in ENV.items():
            os.environ.setdefault(key, value)
    else:
        sqlite_afresh("/tmp/learnfrl-statistics-quick.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(reviews: int):
    from django.core.management import call_command
    from django.utils import timezone

    from learnfrl.accounts.users import User
    from quizzes.enums import MemoryState
    from quizzes.models import CardState, Question, ReviewLog, StudyProfile

    if not Question.objects.exists():
        call_command("load_questions", verbosity=0)
    User.objects.filter(username=NAME).delete()
    user = User.objects.create_user(NAME, password="x")
    StudyProfile.objects.create(user=user, daily_goal=50)
    questions = list(Question.objects.filter(is_active=True).values_list("id", flat=True))
    now = timezone.now()
    rng = random.Random(7)
    CardState.objects.bulk_create(
        CardState(
            user=user,
            question_id=qid,
            state=MemoryState.REVIEW,
            stability=1.0 + i % 90,
            difficulty=1.0 + i % 10,
            due=now + timedelta(days=i % 60 - 10),
            last_review=now - timedelta(days=3 + i % 20),
            reps=5,
            created_at=now - timedelta(days=400),
        )
        for i, qid in enumerate(questions)
    )
    rows = []
    for n in range(reviews):
        when = now - timedelta(minutes=37 * n)
        kind = rng.random()
        state = (
            None
            if kind < 0.05
            else MemoryState.LEARNING
            if kind < 0.15
            else MemoryState.RELEARNING
            if kind < 0.2
            else MemoryState.REVIEW
        )
        previous = None
        if state is not None:
            last = when - timedelta(days=rng.randint(1, 60))
            previous = {
                "state": int(state),
                "step": None,
                "stability": 10.0,
                "difficulty": 5.0,
                "due": (last + timedelta(days=rng.randint(1, 60))).isoformat(),
                "last_review": last.isoformat(),
                "reps": 3,
                "lapses": 0,
                "leech": False,
            }
        rows.append(
            ReviewLog(
                user=user,
                question_id=questions[rng.randrange(len(questions))],
                rating=rng.choice((1, 2, 3, 3, 3, 4)),
                reviewed_at=when,
                duration_ms=rng.randrange(1500, 9000),
                state_before=state,
                previous_card=previous,
            )
        )
    ReviewLog.objects.bulk_create(rows, batch_size=2000)
    return user


def _time(client, url: str, rounds: int, *, htmx: bool = False) -> dict[str, float]:
    headers = {"HX-Request": "true"} if htmx else {}
    first = time.perf_counter()
    assert client.get(url, headers=headers).status_code == 200
    cold = (time.perf_counter() - first) * 1000
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return {
        "first_ms": cold,
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import NoReverseMatch, reverse

    # Static files by name: no collectstatic manifest for an in-process run.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()

    user = _seed(args.reviews)
    cache.clear()
    client = Client()
    client.force_login(user)
    pages = [
        ("password change page", reverse("password_change"), False),
        ("progress page (first paint)", reverse("quizzes:progress"), False),
    ]
    try:
        panel = reverse("quizzes:progress_statistics")
        pages += [
            ("statistics panel, a month (htmx)", panel, True),
            ("statistics panel, all time (htmx)", panel + "?range=all", True),
        ]
    except NoReverseMatch:
        pass
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"{engine}, {args.reviews} reviews, {args.rounds} rounds after a first request")
    print(f"{'page':40} {'first':>8} {'median':>8} {'p95':>8}")
    for label, url, htmx in pages:
        r = _time(client, url, args.rounds, htmx=htmx)
        print(f"{label:40} {r['first_ms']:8.1f} {r['median_ms']:8.1f} {r['p95_ms']:8.1f}")


if __name__ == "__main__":
    main()
