"""Time the study queue alone, in one process: `study_queue` for twenty bench learners in turn,
its wall time, this thread's CPU and, on PostgreSQL on this machine, the CPU of the connection's
server process, a mean a call over each of three runs.

    python -m bench.queue_quick [--calls 2000] [--busy]

Seeded as bench.pages_quick seeds (a fresh SQLite file in /tmp, or DATABASE_URL's database if it
holds no benchmark learners yet). `--busy` first logs a review an hour old of every card of the
twenty learners, so that every fact they know is seen today (the siblings rule at its largest),
in a transaction rolled back at the end: the database is left as it was, and runs on one
database compare, one tree's against another's.
"""

import argparse
import contextlib
import time
from datetime import timedelta
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--busy", action="store_true")
    args = parser.parse_args()

    from bench.pages_quick import _DatabaseServer, _setup

    _setup()
    from django.db import transaction
    from django.utils import timezone

    from learnfrl.accounts.users import User
    from quizzes.enums import Rating
    from quizzes.models import CardState, ReviewLog
    from quizzes.study.queue import study_queue

    users = list(User.objects.filter(username__startswith="bench-").order_by("id")[:20])
    now = timezone.now()
    # Only the busy run writes, in a transaction it rolls back; the other runs each statement on
    # its own, as a page does.
    with transaction.atomic() if args.busy else contextlib.nullcontext():
        if args.busy:
            ReviewLog.objects.bulk_create(
                ReviewLog(
                    user_id=card.user_id,
                    question_id=card.question_id,
                    rating=Rating.GOOD,
                    reviewed_at=now - timedelta(hours=1),
                )
                for card in CardState.objects.filter(user__in=users)
            )
        _time(users, now, args.calls, server=_DatabaseServer(), queue=study_queue)
        if args.busy:
            transaction.set_rollback(True)


def _time(users: list, now: Any, calls: int, *, server: Any, queue: Any) -> None:
    from quizzes.bank.cache import bank_current

    bank = bank_current()
    for user in users:
        queue(user=user, now=now, bank=bank)
    print(f"{'wall ms':>8} {'CPU ms':>8} {'server ms':>10}")
    for _ in range(3):
        served, cpu, wall = server.cpu(), time.thread_time(), time.perf_counter()
        for n in range(calls):
            queue(user=users[n % len(users)], now=now, bank=bank)
        thousands = calls / 1000
        print(
            f"{(time.perf_counter() - wall) / thousands:8.3f}"
            f" {(time.thread_time() - cpu) / thousands:8.3f}"
            f" {(server.cpu() - served) / thousands:10.3f}"
        )


if __name__ == "__main__":
    main()
