"""Seed a database with benchmark learners and their review histories, using bulk inserts.

    python -m bench.seed --learners 50 --reviews 400 --heavy-reviews 20000

Learners are named bench-0001…; they share the password in PASSWORD. On PostgreSQL the rows go
in with COPY, elsewhere with bulk_create; progress is printed as it goes. Re-running with the same
options reuses what is there.
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import timedelta

PASSWORD = "bench-password-4821"
HEAVY = "bench-heavy"
# The heavy learners: as many as `make bench` has clients, so that each client of a heavy page is
# a learner of its own, as eight people would be (one account's requests in flight are limited:
# README, Security).
HEAVY_LEARNERS = 8


def heavy_names(count: int = HEAVY_LEARNERS) -> list[str]:
    """bench-heavy, bench-heavy-2, … bench-heavy-`count`."""
    return [HEAVY] + [f"{HEAVY}-{n}" for n in range(2, count + 1)]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnfrl.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stdout.write(
        f"\r  {label}: {done:,}/{total:,} ({100 * done // max(total, 1)}%, {rate:,.0f}/s)"
    )
    sys.stdout.flush()
    if done >= total:
        sys.stdout.write("\n")


def insert_rows(
    model, fields: list[str], rows, total: int, label: str, batch: int = 20_000
) -> None:
    """Insert tuples of `fields` into `model`'s table: COPY on PostgreSQL, bulk_create elsewhere."""
    from django.db import connection, transaction

    started = time.monotonic()
    done = 0
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        # COPY bypasses the model, so fields left out get their model defaults here (the
        # database has none of its own): a field added to the model never breaks the seed.
        defaulted = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in fields and f.has_default()
        ]
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in defaulted)
        columns = ", ".join(
            [model._meta.get_field(f).column for f in fields] + [f.column for f in defaulted]
        )
        with transaction.atomic():
            connection.ensure_connection()
            raw = connection.connection.cursor()
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *defaults))
                    done += 1
                    if done % batch == 0:
                        progress(label, done, total, started)
        progress(label, done, total, started)
        return
    chunk = []
    for row in rows:
        chunk.append(model(**dict(zip(fields, row, strict=True))))
        if len(chunk) == batch:
            with transaction.atomic():
                model.objects.bulk_create(chunk, batch_size=2000)
            done += len(chunk)
            chunk = []
            progress(label, done, total, started)
    if chunk:
        with transaction.atomic():
            model.objects.bulk_create(chunk, batch_size=2000)
        done += len(chunk)
    progress(label, done, total, started)


def seed(
    *,
    learners: int,
    reviews: int,
    heavy_reviews: int,
    whole_bank: bool = False,
    seed_value: int = 7,
    heavy_learners: int = HEAVY_LEARNERS,
) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from learnfrl.accounts.users import User
    from quizzes.models import CardState, Question, ReviewLog, StudyProfile

    rng = random.Random(seed_value)
    now = timezone.now()
    if not Question.objects.filter(is_active=True).exists():
        call_command("load_questions")
    questions = list(
        Question.objects.filter(is_active=True).order_by("position").values_list("id", flat=True)
    )

    heavy = set(heavy_names(heavy_learners))
    wanted = [f"bench-{n:05d}" for n in range(1, learners + 1)] + heavy_names(heavy_learners)
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    missing = [name for name in wanted if name not in existing]
    print(f"Seeding {len(missing)} new learner(s) of {len(wanted)} over {len(questions)} questions")
    if not missing:
        return
    hashed = make_password(PASSWORD)  # hashed once: every learner shares it
    User.objects.bulk_create(
        [User(username=name, password=hashed) for name in missing], batch_size=2000
    )
    call_command("hold_names", stdout=io.StringIO())  # as after any accounts made in bulk
    users = dict(User.objects.filter(username__in=missing).values_list("username", "id"))
    # Generous limits, so a benchmark never runs out of cards to rate.
    StudyProfile.objects.bulk_create(
        [
            StudyProfile(user_id=uid, new_per_day=10_000, max_reviews_per_day=30_000)
            for uid in users.values()
        ],
        batch_size=5000,
    )

    # Half of each learner's bank has been studied (the rest is new); half of that is due.
    def card_rows():
        for name, uid in users.items():
            seen = questions if name in heavy or whole_bank else questions[: len(questions) // 2]
            for i, qid in enumerate(seen):
                due = (
                    now - timedelta(hours=1 + i) if i % 2 == 0 else now + timedelta(days=1 + i % 40)
                )
                yield (
                    uid,
                    qid,
                    2,
                    None,
                    10.0 + i % 50,
                    5.0,
                    due,
                    now - timedelta(days=3),
                    4,
                    i % 3,
                    now - timedelta(days=120),
                )

    half = len(questions) if whole_bank else len(questions) // 2
    heavy_new = len(heavy & set(users))
    total_cards = (len(users) - heavy_new) * half + len(questions) * heavy_new
    fields = [
        "user_id",
        "question_id",
        "state",
        "step",
        "stability",
        "difficulty",
        "due",
        "last_review",
        "reps",
        "lapses",
        "created_at",
    ]
    insert_rows(CardState, fields, card_rows(), total_cards, "card states")

    def log_rows():
        for name, uid in users.items():
            count = heavy_reviews if name in heavy else reviews
            spacing = timedelta(days=365) / max(count, 1)
            for n in range(count):
                yield (
                    uid,
                    questions[rng.randrange(len(questions))],
                    rng.choice((1, 2, 3, 3, 3, 4)),
                    now - spacing * (n + 1),
                    rng.randrange(1500, 9000),
                    "study",
                    2,
                )

    total_logs = (len(users) - heavy_new) * reviews + heavy_reviews * heavy_new
    fields = [
        "user_id",
        "question_id",
        "rating",
        "reviewed_at",
        "duration_ms",
        "origin",
        "state_before",
    ]
    insert_rows(ReviewLog, fields, log_rows(), total_logs, "review logs")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, so the plans are the real ones
            cursor.execute("ANALYZE quizzes_cardstate, quizzes_reviewlog, auth_user")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--reviews", type=int, default=400, help="reviews per learner")
    parser.add_argument(
        "--heavy-reviews", type=int, default=20_000, help="reviews of each heavy learner"
    )
    parser.add_argument("--heavy-learners", type=int, default=HEAVY_LEARNERS)
    parser.add_argument(
        "--whole-bank", action="store_true", help="a card state for every question of every learner"
    )
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(
        learners=args.learners,
        reviews=args.reviews,
        heavy_reviews=args.heavy_reviews,
        whole_bank=args.whole_bank,
        heavy_learners=args.heavy_learners,
    )


if __name__ == "__main__":
    main()
