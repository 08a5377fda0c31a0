"""How long the quizzes of each category come out for a new learner, now that a quiz holds no two
questions of one fact, and asks none after one that showed its answer (rules.giveaways).

    python -m bench.quiz_lengths [--draws 300]

Seeded as bench.pages_quick seeds (a fresh SQLite file in /tmp holding the bundled bank, or
DATABASE_URL's database). Prints the bank's clash pairs and the time to work them out, then for
each category and quiz length how many draws came out at each length, and the mean time a draw.
"""

import argparse
import random
import time
from collections import Counter
from datetime import UTC, datetime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=300)
    args = parser.parse_args()

    from bench.pages_quick import _setup

    _setup()
    from learnfrl.accounts.users import User
    from quizzes.bank.cache import bank_current
    from quizzes.limits import QUIZ_LENGTHS
    from quizzes.quiz.selectors import quiz_questions_pick
    from quizzes.study.selectors import study_profile

    bank = bank_current()
    started = time.perf_counter()
    order = bank.quiz_order
    took = (time.perf_counter() - started) * 1000
    pairs = sum(len(asked) for asked in order.shows.values())
    both = sum(1 for q, asked in order.shows.items() for a in asked if q in order.shows.get(a, ()))
    showing = sum(1 for asked in order.shows.values() if asked)
    print(
        f"{pairs} pairs (one question shows another's answer), {both // 2} of them both ways; "
        f"{showing} of {len(bank.active)} questions show one; {took:.0f} ms"
    )
    learner = User(pk=0, username="nobody")
    schedule = study_profile(user=learner).schedule
    now = datetime.now(UTC)
    print(f"{'category':<16}{'length':>7}  {'ms a draw':>9}  lengths drawn (length: draws)")
    for category in (None, *(c.slug for c in bank.categories)):
        pool = bank.active_in(category)
        for length in QUIZ_LENGTHS:
            lengths: Counter[int] = Counter()
            started = time.perf_counter()
            for seed in range(args.draws):
                chosen = quiz_questions_pick(
                    user=learner,
                    pool=pool,
                    length=length,
                    now=now,
                    schedule=schedule,
                    rng=random.Random(seed),
                    cards=[],
                    order=order,
                )
                lengths[len(chosen)] += 1
            ms = (time.perf_counter() - started) / args.draws * 1000
            drawn = ", ".join(f"{n}: {count}" for n, count in sorted(lengths.items()))
            print(f"{category or 'all':<16}{length:>7}  {ms:>9.2f}  {drawn}")


if __name__ == "__main__":
    main()
