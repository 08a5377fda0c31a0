"""Save the query plans of the hot reads, to show which indexes they use.

    DATABASE_URL=postgres://… python -m bench.explain [--out docs/benchmarks-explain.txt]

Runs on PostgreSQL with EXPLAIN (ANALYZE, BUFFERS), and on SQLite with EXPLAIN QUERY PLAN, for a
benchmark learner: the study queue (card states by learner + due), today's reviews and the
dashboard's reviews per day (review log by learner + reviewed at).
"""

import argparse
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks-explain.txt"))
    parser.add_argument("--learner", default="bench-05000")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnfrl.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from learnfrl.accounts.users import User
    from quizzes.models import CardState, ReviewLog
    from quizzes.rules import days
    from quizzes.study.queue import study_queue

    user = User.objects.get(username=args.learner)
    now = timezone.now()
    from quizzes.study.selectors import study_profile

    start = days.day_start(now, study_profile(user=user).day)
    postgres = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    counts = {
        "card states": CardState.objects.count(),
        "review log": ReviewLog.objects.count(),
        "learners": User.objects.count(),
    }
    captured = []

    class Capture:
        def __call__(self, execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

    with connection.execute_wrapper(Capture()):
        study_queue(user=user, now=now)
    # On PostgreSQL the queue's statement comes between a SET and a RESET of its plan mode.
    queue_sql, queue_params = next(
        (sql, params) for sql, params in reversed(captured) if not sql.startswith(("SET", "RESET"))
    )
    plans = [
        (
            "Study queue (one statement; card_state_user_due, review_log_user_reviewed)",
            queue_sql,
            queue_params,
        )
    ]
    per_day = (
        ReviewLog.objects.filter(user=user, reviewed_at__lt=start)
        .annotate(day=TruncDate("reviewed_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    plans.append(("Dashboard: reviews per day before today", *per_day.query.sql_with_params()))
    recent = ReviewLog.objects.filter(user=user, reviewed_at__gte=now - timedelta(days=30))
    plans.append(("Reviews of the last 30 days", *recent.values("id").query.sql_with_params()))

    lines = [
        f"Query plans on {connection.vendor} for learner {args.learner}, {now:%Y-%m-%d %H:%M} UTC",
        "Rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()),
        "",
    ]
    with connection.cursor() as cursor:
        for title, sql, params in plans:
            cursor.execute(prefix + sql, params)
            lines += [f"== {title}", *(" | ".join(map(str, row)) for row in cursor.fetchall()), ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
