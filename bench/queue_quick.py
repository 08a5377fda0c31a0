"""Time the study queue alone, in one process: `study_queue` for twenty bench learners in turn,
its wall time, this thread's CPU and, on PostgreSQL on this machine, the CPU of the connection's
server process, a mean a call over each of three runs.

    python -m bench.queue_quick [--calls 2000] [--busy]

Seeded as bench.pages_quick seeds (a fresh SQLite file in /tmp, or DATABASE_URL's database if it
holds no benchmark learners yet). `--busy` first logs a review an hour old of every card of the
twenty learners, so that every fact they know is seen today (the siblings rule at its largest).
The queue only reads: runs on one database compare, one tree's against another's.
"""

import argparse
import time
from datetime import timedelta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--busy", action="store_true")
    args = parser.parse_args()

    from bench.pages_quick import _DatabaseServer, _setup

    _setup()
    from django.utils import timezone

    from learnfrl.accounts.users import User
    from quizzes.bank.cache import bank_current
    from quizzes.models import CardState, ReviewLog
    from quizzes.study.queue import study_queue

    users = list(User.objects.filter(username__startswith="bench-").order_by("id")[:20])
    now = timezone.now()
    if args.busy:
        ReviewLog.objects.bulk_create(
            ReviewLog(
                user_id=card.user_id,
                question_id=card.question_id,
                rating=3,
                reviewed_at=now - timedelta(hours=1),
            )
            for card in CardState.objects.filter(user__in=users)
        )
    bank = bank_current()
    for user in users:
        study_queue(user=user, now=now, bank=bank)
    server = _DatabaseServer()
    print(f"{'wall ms':>8} {'CPU ms':>8} {'server ms':>10}")
    for _ in range(3):
        served, cpu, wall = server.cpu(), time.thread_time(), time.perf_counter()
        for n in range(args.calls):
            study_queue(user=users[n % len(users)], now=now, bank=bank)
        calls = args.calls / 1000
        print(
            f"{(time.perf_counter() - wall) / calls:8.3f} {(time.thread_time() - cpu) / calls:8.3f}"
            f" {(server.cpu() - served) / calls:10.3f}"
        )


if __name__ == "__main__":
    main()
