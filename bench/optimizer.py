"""How long fitting a learner's FSRS parameters takes, at 1,000 / 5,000 / 20,000 reviews.

    python -m bench.optimizer [--sizes 1000 5000 20000] [--repeat 3]

Each history is the simulated learner of tests.support.synthetic. Two shapes: "open" starts 20
new cards a day for as long as it takes (many cards, few reviews each), "bank" keeps to the 182
cards of our question bank (few cards, long histories), as a heavy learner of this site would.
Prints a Markdown table: conversion (review log to fsrs-rs items), fitting (`optimizing.fit`:
conversion, compute_parameters and the evaluations) and rescheduling every card under the fit
(`optimizing.reschedule_card`) timed separately, best of `--repeat`.
"""

import argparse
import platform
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar

from quizzes.rules import optimizing
from tests.support.schedules import DEFAULT_SCHEDULE
from tests.support.synthetic import synthetic_history

BANK_CARDS = 182


T = TypeVar("T")
# The synthetic histories' present, and their learner's day.
NOW = datetime(2031, 1, 1, tzinfo=UTC)
DAY = DEFAULT_SCHEDULE.day


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    best = float("inf")
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def reschedule_all(history: optimizing.History, parameters: optimizing.Parameters) -> list:
    return [
        optimizing.reschedule_card(
            reviews,
            schedule=replace(DEFAULT_SCHEDULE, parameters=parameters),
            seed=f"1:{card}",
            now=NOW,
        )
        for card, reviews in history.items()
    ]


def measure(size: int, cards: int | None, repeat: int) -> str:
    history = synthetic_history(reviews=size, cards=cards, seed=size)
    convert, items = best_of(repeat, lambda: optimizing.training_items(history, DAY, now=NOW))
    fitting, result = best_of(
        repeat,
        lambda: optimizing.fit(history, current=DEFAULT_SCHEDULE.parameters, day=DAY, now=NOW),
    )
    shape = "open" if cards is None else f"bank ({cards} cards)"
    if isinstance(result, optimizing.NotEnoughReviews):
        return f"| {size:,} | {shape} | {len(items):,} | {convert:.3f} | — | — | not enough | | |"
    rescheduling, _cards = best_of(repeat, lambda: reschedule_all(history, result.parameters))
    return (
        f"| {size:,} | {shape} | {result.items:,} | {convert:.3f} | {fitting:.3f} "
        f"| {rescheduling:.3f} "
        f"| {result.default.log_loss:.4f} / {result.default.rmse:.4f} "
        f"| {result.fitted.log_loss:.4f} / {result.fitted.rmse:.4f} | {result.full} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(
        "| reviews | shape | items used | convert s | fit s | reschedule s "
        "| default log loss / RMSE | fitted log loss / RMSE | all 21 fitted |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for size in args.sizes:
        for cards in (None, BANK_CARDS):
            print(measure(size, cards, args.repeat), flush=True)


if __name__ == "__main__":
    main()
