"""How long the workload simulator takes for one learner: the whole retention grid.

    python -m bench.workload [--repeat 3] [--samples 1]

A learner of tests.support.synthetic after 500, 2,000 and 20,000 reviews of the 182-card bank
(cards rescheduled from their history), with the rest of the bank not started, default daily
limits. Prints a Markdown table, best of `--repeat`, and the suggestion.
"""

import argparse
import time
from datetime import timedelta

from quizzes.rules import optimizing, simulating
from tests.support.schedules import DEFAULT_SCHEDULE
from tests.support.synthetic import synthetic_history

BANK_CARDS = 182


def learner_inputs(reviews: int, samples: int = 1) -> simulating.Inputs:
    history = synthetic_history(reviews=reviews, cards=BANK_CARDS, seed=reviews)
    last = max(review.reviewed_at for reviews in history.values() for review in reviews)
    now = last + timedelta(hours=1)
    cards = [
        optimizing.reschedule_card(
            card_reviews, schedule=DEFAULT_SCHEDULE, seed=f"1:{card}", now=now
        )
        for card, card_reviews in history.items()
    ]
    return simulating.Inputs(
        cards=simulating.sim_cards(cards, now=now, day=DEFAULT_SCHEDULE.day),
        new_cards=BANK_CARDS - len(cards),
        parameters=DEFAULT_SCHEDULE.parameters,
        samples=samples,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--samples", type=int, default=1, help="runs averaged per retention")
    args = parser.parse_args(argv)
    print(f"{args.samples} run(s) per retention")
    print("| reviews | started cards | retentions | seconds | suggestion |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for reviews in (500, 2000, 20000):
        inputs = learner_inputs(reviews, args.samples)
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            workload = simulating.simulate(inputs)
            best = min(best, time.perf_counter() - started)
        print(
            f"| {reviews:,} | {len(inputs.cards)} | {len(inputs.retentions)} | {best:.2f} "
            f"| {workload.suggestion} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
