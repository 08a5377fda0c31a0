"""The statistics Anki users read, by Anki's own definitions (rslib/src/stats/graphs/). Pure.

Anki classes a review by the card as it was before it (buttons.rs, reviews.rs, retention.rs):
a card in learning or relearning is *learning*; a card in review is *young* while its interval
is under 21 days and *mature* from 21 days on. "True retention" counts the reviews of cards in
review: a pass is any rating but Again. The hourly breakdown counts every review, a success being
a rating above Again (hours.rs). Difficulty is shown as (D - 1) / 9 in percent, and both it and
recall now are put in bins of whole percent (eases.rs `percent_to_bin`); stability in whole days
(intervals.rs). The database does the counting (progress/statistics.py); this module names the
classes, the periods and the bins, so the SQL and its tests read the same definitions.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from quizzes.enums import MemoryState, Rating
from quizzes.rules.days import DayClock, days_apart

# An interval of at least this many days makes a card mature (Anki: `MATURE_IVL`).
MATURE_DAYS = 21
# Anki stores whole-day intervals. Ours are times, due at the start of the learner's day: an
# interval of N days, given some hours into the day of its review, is more than N - 1 days long
# and at most N, so it is 21 days or more when it is longer than 20 (rounding, as this did
# before, counted an interval of 21 days given late in the day as young: an outside audit).
MATURE_ABOVE = timedelta(days=MATURE_DAYS - 1)
DAY = timedelta(days=1)


class CardKind(StrEnum):
    """What a card was when it was reviewed, as Anki's statistics class it."""

    LEARNING = "learning"
    YOUNG = "young"
    MATURE = "mature"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def review_kind(state_before: int | None, last_interval: timedelta | None) -> CardKind:
    """Class a review by the card before it: a first review or one in (re)learning is learning;
    a review of a card in review is young under 21 days of interval, mature from 21."""
    if state_before != MemoryState.REVIEW:
        return CardKind.LEARNING
    if last_interval is not None and last_interval > MATURE_ABOVE:
        return CardKind.MATURE
    return CardKind.YOUNG


def last_interval(previous_card: dict[str, Any] | None) -> timedelta | None:
    """Anki's "last interval" of a review: from the card's last review to its due time, as the
    log's `previous_card` keeps the card before the review (None for a first review)."""
    if not previous_card or not previous_card.get("due") or not previous_card.get("last_review"):
        return None
    due = datetime.fromisoformat(previous_card["due"])
    return due - datetime.fromisoformat(previous_card["last_review"])


def interval_days(
    due: datetime | None, last_review: datetime | None, clock: DayClock
) -> int | None:
    """A review card's interval in whole days, Anki's "ivl": the learner's days from its last
    review's day to the day it is due, 0 for a card due before its last review."""
    if due is None or last_review is None:
        return None
    # "Set due date" can move a card's due day before its last review. Anki's ivl is never
    # negative, and a card due at once has no interval left: 0 days, so that the intervals
    # chart (whose first bin is 0-1 days) and the mean beside it count the same cards.
    return max(0, days_apart(last_review, due, clock))


def interval_given(state: int, *, due: datetime, since: datetime, clock: DayClock) -> timedelta:
    """The interval a review at `since` gave a card now in `state`, as its rating button said
    it: whole days of the learner's to a review card's due day (due at that day's start), a
    step's time to a (re)learning card's."""
    if state == MemoryState.REVIEW:
        return timedelta(days=days_apart(since, due, clock))
    return due - since


# --- answer buttons ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ButtonRow:
    """One card kind's presses of Again, Hard, Good and Easy."""

    kind: CardKind
    counts: tuple[int, int, int, int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def correct(self) -> int:
        """Presses other than Again, as Anki's buttons graph sums them."""
        return self.total - self.counts[Rating.AGAIN - 1]

    @property
    def correct_share(self) -> float | None:
        return self.correct / self.total if self.total else None


def button_rows(counts: dict[tuple[str, int], int]) -> list[ButtonRow]:
    """The presses by (card kind, rating) as one row per kind, learning first."""
    rows = []
    for kind in CardKind:
        again, hard, good, easy = (counts.get((kind, rating), 0) for rating in Rating)
        rows.append(ButtonRow(kind, (again, hard, good, easy)))
    return rows


# --- true retention ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of Anki's true-retention table: from `start` (None: the beginning) to `end`."""

    name: str
    label: str
    start: datetime | None
    end: datetime

    def contains(self, moment: datetime) -> bool:
        return (self.start is None or self.start <= moment) and moment < self.end


def retention_periods(next_day_start: datetime) -> list[Period]:
    """Anki's periods (retention.rs), each counted back in 24-hour days from the start of the
    learner's next day: today, yesterday, the last 7, 30 and 365 days, and all time."""
    end = next_day_start
    return [
        Period("today", "Today", end - DAY, end),
        Period("yesterday", "Yesterday", end - 2 * DAY, end - DAY),
        Period("week", "Last week", end - 7 * DAY, end),
        Period("month", "Last month", end - 30 * DAY, end),
        Period("year", "Last year", end - 365 * DAY, end),
        Period("all", "All time", None, end),
    ]


@dataclass(frozen=True)
class Retention:
    """One period's reviews of cards in review: passed (not Again) and failed, young and mature."""

    period: Period
    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0

    @staticmethod
    def _rate(passed: int, failed: int) -> float | None:
        return passed / (passed + failed) if passed + failed else None

    @property
    def young(self) -> float | None:
        return self._rate(self.young_passed, self.young_failed)

    @property
    def mature(self) -> float | None:
        return self._rate(self.mature_passed, self.mature_failed)

    @property
    def total(self) -> float | None:
        return self._rate(
            self.young_passed + self.mature_passed, self.young_failed + self.mature_failed
        )

    @property
    def young_count(self) -> int:
        return self.young_passed + self.young_failed

    @property
    def mature_count(self) -> int:
        return self.mature_passed + self.mature_failed


# --- the hours of the day ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hour:
    """Reviews begun in one hour of the learner's clock, and how many were not Again."""

    hour: int
    total: int
    correct: int

    @property
    def success(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00"


def hours(counts: dict[int, tuple[int, int]]) -> list[Hour]:
    """All 24 hours, from (total, correct) by hour; an hour without reviews counts zero."""
    return [Hour(h, *counts.get(h, (0, 0))) for h in range(24)]


# --- distributions ----------------------------------------------------------------------------

# Day ranges for intervals and stability: (first, last) day, None for no upper end.
DAY_BINS: tuple[tuple[int, int | None], ...] = (
    (0, 1),
    (2, 2),
    (3, 6),
    (7, 13),
    (14, 20),
    (21, 29),
    (30, 59),
    (60, 89),
    (90, 179),
    (180, 364),
    (365, None),
)


@dataclass(frozen=True)
class Bin:
    label: str
    count: int


def _day_label(first: int, last: int | None) -> str:
    """A bin of days, "3–6" (the chart's axis says they are days)."""
    if last is None:
        return f"{first}+"
    return f"{first}" if first == last else f"{first}–{last}"


def day_bins(values: Iterable[int]) -> list[Bin]:
    """Count whole-day values (intervals, rounded stabilities) into DAY_BINS."""
    counts = [0] * len(DAY_BINS)
    for value in values:
        for n, (first, last) in enumerate(DAY_BINS):
            if value >= first and (last is None or value <= last):
                counts[n] += 1
                break
    return [Bin(_day_label(*bounds), c) for bounds, c in zip(DAY_BINS, counts, strict=True)]


def percent_to_bin(percent: float, bin_size: int) -> int:
    """Anki's bin of a percentage (eases.rs): floor to the bin, with 100 in the last bin."""
    if percent >= 100:
        return 100 - bin_size
    return int(math.floor(percent / bin_size) * bin_size)


def percent_bins(shares: Iterable[float], bin_size: int = 10) -> list[Bin]:
    """Count shares (0–1) into bins of `bin_size` percent, Anki's way."""
    counts = dict.fromkeys(range(0, 100, bin_size), 0)
    for share in shares:
        counts[percent_to_bin(max(0.0, share) * 100, bin_size)] += 1
    return [Bin(f"{low}–{low + bin_size}%", c) for low, c in counts.items()]


def difficulty_share(difficulty: float) -> float:
    """FSRS difficulty (1–10) as Anki shows it: (D - 1) / 9, from 0 to 1."""
    return (difficulty - 1) / 9


def stability_days(stability: float) -> int:
    """Stability in whole days, as Anki's stability graph rounds it (Rust's `round`: halves
    away from zero)."""
    return _round_half_up(stability)


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)
