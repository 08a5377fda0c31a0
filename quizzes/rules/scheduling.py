"""The FSRS adapter: pure functions between our card values and the `fsrs` library's scheduler.

No ORM here. Every function takes `now` explicitly. Scheduling itself is fsrs's; this module only
converts values, previews the four ratings and makes that preview agree with the outcome.
"""

import hashlib
import json
import math
import random
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import FunctionType
from typing import Any, NamedTuple, Protocol, cast

import fsrs

from quizzes.enums import MemoryState, Rating
from quizzes.rules.days import (
    DayClock,
    day_of,
    days_since_review,
    elapsed_days,
    next_day_start,
    start_of,
)

# fsrs fuzzes review intervals with its module's `random()`. To show on each button the interval
# that rating will really give, the preview and the review must draw the same numbers: while
# `_seeded()` is active, our schedulers draw from a generator seeded by the card and its review
# count. The context variable keeps this per thread and per request.
_rng: ContextVar[random.Random | None] = ContextVar("learnfrl_fsrs_rng", default=None)


def _seeded_random() -> float:
    rng = _rng.get()
    return rng.random() if rng is not None else random.random()


def _drawing_from_seeded_random(method: FunctionType) -> FunctionType:
    """fsrs's own method, unchanged, except that its `random` is our seeded one.

    Only the copy given to our scheduler class sees the seeded generator: fsrs's module and its
    Scheduler stay as they are for everyone else in the process.
    """
    copy = FunctionType(
        method.__code__,
        {**method.__globals__, "random": _seeded_random},
        method.__name__,
        method.__defaults__,
        method.__closure__,
    )
    copy.__kwdefaults__ = method.__kwdefaults__
    return copy


class SeededScheduler(fsrs.Scheduler):
    """fsrs's scheduler whose interval fuzz comes from the card's seed while `_seeded()` is on."""

    _get_fuzzed_interval = _drawing_from_seeded_random(
        fsrs.Scheduler._get_fuzzed_interval  # type: ignore[arg-type]
    )


@contextmanager
def _seeded(seed: str) -> Iterator[None]:
    token = _rng.set(random.Random(seed))
    try:
        yield
    finally:
        _rng.reset(token)


@dataclass(frozen=True)
class CardValues:
    """What we store of a card: fsrs's fields plus review and lapse counts."""

    state: int = MemoryState.LEARNING
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        return self.reps == 0

    def as_dict(self) -> dict[str, Any]:
        """The values by field name as JSON has them: times in ISO 8601."""
        return {
            name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in self.columns().items()
        }

    @classmethod
    def read(cls, source: object) -> "CardValues":
        """The card values among `source`'s attributes of the same names: a card row, or a row
        of `values_list(*CARD_FIELDS, named=True)`."""
        return cls(**{name: getattr(source, name) for name in CARD_FIELDS})

    def columns(self) -> dict[str, Any]:
        """The values by field name, as a card row's columns are written."""
        return {name: getattr(self, name) for name in CARD_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CardValues":
        """The values `as_dict` wrote."""
        values: dict[str, Any] = {name: data[name] for name in CARD_FIELDS}
        for name in _TIME_FIELDS:
            if values[name]:
                values[name] = datetime.fromisoformat(values[name])
        return cls(**values)


NEW_CARD = CardValues()


def due_set(card: CardValues, due: datetime) -> CardValues:
    """What "Set due date" makes of a reviewed card (cards.edits.card_due_set writes the same): a
    review card due at `due`, as in Anki, its memory and counts as they were. A replay of the
    card's history makes it again where the learner made it (reschedule_card, a regrade)."""
    return replace(card, state=MemoryState.REVIEW, step=None, due=due)


def due_set_again(made_at: datetime, due: datetime, day: DayClock) -> datetime:
    """A Set due date's due made again on the learner's clock `day`: as many days after the day
    it was made as it was set for, at that day's start. Set as the start of a day `n` days on,
    it lies more than n - 1 and at most n days after it was made; on the clock it was made with,
    this is the same moment (a clock change on the way aside)."""
    days = max(0, math.ceil((due - made_at) / timedelta(days=1)))
    return start_of(day_of(made_at, day) + timedelta(days=days), day)


# The names of a card's values, which are also the names of a card row's columns.
CARD_FIELDS = tuple(field.name for field in fields(CardValues))
_TIME_FIELDS = frozenset({"due", "last_review"})


DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)


@dataclass(frozen=True)
class Schedule:
    """A learner's schedule: the recall they want when a card comes back, the FSRS parameters
    of their memory, and where their days begin. Every card is scheduled, previewed and its
    recall computed with one, passed in: never a default."""

    desired_retention: float
    parameters: tuple[float, ...]
    day: DayClock

    def with_retention(self, desired_retention: float) -> "Schedule":
        """The same parameters aiming at another retention (the one a card was shown with)."""
        return replace(self, desired_retention=desired_retention)


def parameters_problem(values: object) -> str:
    """Say what is wrong with a stored parameter list ("" if nothing): empty means the defaults,
    otherwise exactly as many finite numbers as fsrs has parameters, each within fsrs's bounds."""
    if not isinstance(values, list | tuple):
        return "Parameters are a list of numbers."
    if not values:
        return ""
    if len(values) != len(DEFAULT_PARAMETERS):
        return f"There are {len(DEFAULT_PARAMETERS)} parameters, not {len(values)}."
    lower, upper = fsrs.scheduler.LOWER_BOUNDS_PARAMETERS, fsrs.scheduler.UPPER_BOUNDS_PARAMETERS
    for n, (value, low, high) in enumerate(zip(values, lower, upper, strict=True)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"Parameter {n} is not a number."
        if not math.isfinite(value) or not low <= value <= high:
            return f"Parameter {n} is {value}, outside {low}–{high}."
    return ""


def parameters_in_use(stored: Sequence[float]) -> tuple[float, ...]:
    """The parameters a learner's scheduler uses: their own, or the defaults when none."""
    return tuple(float(value) for value in stored) if stored else DEFAULT_PARAMETERS


def parameters_key(parameters: Sequence[float]) -> str:
    """A short fingerprint of a parameter set, for a card token to say which one it was shown."""
    text = json.dumps([float(value) for value in parameters])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def card_key(card: CardValues) -> str:
    """A short fingerprint of the card values a rating is computed from (state, step, memory,
    last review; not `due`, which fsrs does not read), for a card token to say which card its
    buttons' intervals were previewed for."""
    last = card.last_review.timestamp() if card.last_review is not None else None
    text = json.dumps([card.state, card.step, card.stability, card.difficulty, last])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def scheduler_for(schedule: Schedule) -> SeededScheduler:
    return _scheduler(schedule.parameters, schedule.desired_retention)


@lru_cache(maxsize=32)
def _scheduler(parameters: tuple[float, ...], desired_retention: float) -> SeededScheduler:
    return SeededScheduler(parameters=parameters, desired_retention=desired_retention)


class Recallable(Protocol):
    """What a card's recall is read from: a CardValues, or a row of the columns of these names
    (RECALL_FIELDS), so that a page reading many cards reads only these."""

    @property
    def stability(self) -> float | None: ...
    @property
    def last_review(self) -> datetime | None: ...
    @property
    def reps(self) -> int: ...


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def to_fsrs(
    card: CardValues, now: datetime, day: DayClock, *, reference: datetime | None = None
) -> fsrs.Card:
    """The card as fsrs takes it at `now`, its last review moved to exactly the learner's day
    count before `now`.

    fsrs counts elapsed days as `(now - last_review).days`, whole 24-hour periods; Anki counts
    the learner's days (quizzes.rules.days.elapsed_days). Giving fsrs a last review that many
    whole days before `now` makes fsrs's count Anki's, and nothing else in fsrs reads it.
    """
    last_review = None
    if card.last_review is not None:
        gap = elapsed_days(card.last_review, now, day, reference=reference)
        last_review = _utc(now) - timedelta(days=gap)
    return fsrs.Card(
        card_id=1,  # fsrs only uses it to label review logs; passing it avoids its 1 ms sleep
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due or now),
        last_review=last_review,
    )


def _due(result: fsrs.Card, now: datetime, day: DayClock) -> tuple[datetime, int | None]:
    """When the reviewed card is due, and its interval in days if it is one of days.

    As in Anki, an interval of days is due at the start of the learner's day that many days
    after today; a learning or relearning step runs by the clock.
    """
    assert result.due is not None, "a reviewed card always has a due time"
    if result.state != fsrs.State.Review:
        return result.due, None
    interval = (result.due - _utc(now)).days
    return start_of(day_of(now, day) + timedelta(days=interval), day), interval


def review(
    card: CardValues,
    rating: int,
    *,
    now: datetime,
    schedule: Schedule,
    seed: str,
    reference: datetime | None = None,
) -> CardValues:
    """Return the card after `rating` at `now`. The same inputs always give the same card.

    `reference` is for replaying a history: the start of the learner's next day from which every
    review's day is counted (Anki's memory-state computation); by default, the one after `now`.
    """
    return _reviewed(card, rating, now=now, schedule=schedule, seed=seed, reference=reference)[0]


def _reviewed(
    card: CardValues,
    rating: int,
    *,
    now: datetime,
    schedule: Schedule,
    seed: str,
    reference: datetime | None = None,
) -> tuple[CardValues, timedelta]:
    """The card after `rating` at `now`, and the interval to say on its button."""
    if rating not in Rating.values:
        raise ValueError(f"rating must be one of {Rating.values}, not {rating!r}")
    scheduler = scheduler_for(schedule)
    with _seeded(f"{seed}:{card.reps}"):
        result, _log = scheduler.review_card(
            to_fsrs(card, now, schedule.day, reference=reference), fsrs.Rating(rating), _utc(now)
        )
    due, days = _due(result, now, schedule.day)
    lapsed = card.state == MemoryState.REVIEW and rating == Rating.AGAIN
    reviewed = replace(
        card,
        state=int(result.state),
        step=result.step,
        stability=result.stability,
        difficulty=result.difficulty,
        due=due,
        last_review=result.last_review,
        reps=card.reps + 1,
        lapses=card.lapses + int(lapsed),
    )
    return reviewed, timedelta(days=days) if days is not None else due - _utc(now)


def preview(
    card: CardValues,
    *,
    now: datetime,
    schedule: Schedule,
    seed: str,
) -> dict[int, timedelta]:
    """Return, for each rating, the interval it would give: a step's time, or whole days (the
    card then comes at the start of the learner's day that many days on)."""
    return {
        int(rating): _reviewed(card, rating, now=now, schedule=schedule, seed=seed)[1]
        for rating in Rating
    }


# A card's columns that its recall is read from.
RECALL_FIELDS = ("stability", "last_review", "reps")


def retrievability(
    card: Recallable,
    *,
    now: datetime,
    schedule: Schedule,
) -> float:
    """Return the probability of recalling the card at `now` (0 for a card never reviewed):
    the learner's own forgetting curve, so their schedule's parameters."""
    return recall_at(now=now, schedule=schedule)(card)


def recall_at(*, now: datetime, schedule: Schedule) -> Callable[[Recallable], float]:
    """`retrievability` at `now` for many cards: the learner's next day, from which a card's days
    since its last review are counted, is worked out once, not once a card (a quiz start and the
    dashboard read a hundred cards or more; that was half of each card's time)."""
    scheduler = scheduler_for(schedule)
    at = _utc(now)
    # elapsed_days's own count, its next day worked out once (not elapsed_days(reference=...):
    # that is a replay's count, less the days from `now` to the reference). Taken to UTC, the
    # zone cards' times are read in: the same instant, but a difference of two times in one
    # zone needs no offsets looked up, a third of the time of one across zones.
    next_day = _utc(next_day_start(now, schedule.day))

    def recall(card: Recallable) -> float:
        if card.reps == 0 or card.last_review is None:
            return 0.0
        gap = days_since_review(card.last_review, next_day)
        # fsrs's own forgetting curve, given only what it reads of a card: building its Card
        # (its state, step, due) for each of hundreds of cards was a third of the time.
        moment = _Recalled(last_review=at - timedelta(days=gap), stability=card.stability)
        return scheduler.get_card_retrievability(cast(fsrs.Card, moment), at)

    return recall


class _Recalled(NamedTuple):
    """What fsrs's `get_card_retrievability` reads of a card (tests/unit/test_scheduling.py
    holds recall_at equal to fsrs's recall of the whole card)."""

    last_review: datetime
    stability: float | None


def interval_label(interval: timedelta) -> str:
    """Say an interval the way a rating button does: "1m", "10m", "3h", "4d", "2mo", "1.5y"."""
    seconds = max(0, interval.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"


_UNIT_WORDS = {"m": "minute", "h": "hour", "d": "day", "mo": "month", "y": "year"}


def interval_words(label: str) -> str:
    """Say a button's interval label in words, for its accessible name: "1m" is "1 minute",
    "4d" is "4 days", "1.5y" is "1.5 years"; a label of another shape is returned as it is."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(mo|m|h|d|y)", label)
    if match is None:
        return label
    number, unit = match.groups()
    word = _UNIT_WORDS[unit]
    return f"{number} {word}" if number == "1" else f"{number} {word}s"


def leech_reached(*, lapses: int, threshold: int) -> bool:
    """Say if a card that has just lapsed for the `lapses`-th time is (again) a leech.

    As in Anki: at the threshold, and then every half threshold more, so that a leech the learner
    unsuspended and keeps forgetting is singled out again.
    """
    if threshold < 1 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, math.ceil(threshold / 2)) == 0
