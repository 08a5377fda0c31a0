"""Reads of the statistics panel: Anki's graphs of the learner's review log and cards.

The review log is counted in the database (GROUP BY, one bounded query a graph), never loaded
row by row: a heavy learner has 20,000 reviews. The counts add up across spans of time, so the
days before today are counted once a day and cached (under a key that notices an Undo reaching
back past midnight, and a regrade of a past review), and only today's reviews are counted on each
request. The cards (at most the bank) are read whole, as recall now moves with the clock.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, Count, F, FloatField, Func, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql.compiler import SQLCompiler

from learnfrl.accounts.users import User
from quizzes.enums import MemoryState, Rating
from quizzes.models import CardState, ReviewLog
from quizzes.rules import ankistats, scheduling
from quizzes.rules.ankistats import MATURE_ABOVE, Bin, ButtonRow, CardKind, Hour, Retention
from quizzes.rules.days import (
    DayClock,
    day_of,
    day_start,
    day_trunc,
    hour_extract,
    hour_of,
    next_day_start,
)
from quizzes.rules.scheduling import CARD_FIELDS, CardValues, Schedule

CACHE_SECONDS = 26 * 60 * 60
# The rewrite marker (statistics_history_rewritten) outlives the counts kept under it.
HISTORY_SECONDS = 2 * CACHE_SECONDS


class _LastInterval(Func):
    """Days from the card's last review to its due time, as the card was before the review (the
    log's `previous_card`): Anki's "last interval". NULL for a first review."""

    output_field = FloatField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        template = (
            "(julianday(json_extract(%(expressions)s, '$.due'))"
            " - julianday(json_extract(%(expressions)s, '$.last_review')))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        template = (
            "(EXTRACT(EPOCH FROM ((%(expressions)s ->> 'due')::timestamptz"
            " - (%(expressions)s ->> 'last_review')::timestamptz)) / 86400.0)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def _last_interval() -> _LastInterval:
    return _LastInterval(F("previous_card"))


_MATURE_DAYS = MATURE_ABOVE / ankistats.DAY
_IN_REVIEW = Q(state_before=MemoryState.REVIEW)
_MATURE = _IN_REVIEW & Q(last_interval__gt=_MATURE_DAYS)
_PASSED = ~Q(rating=Rating.AGAIN)


def _kind() -> Case:
    """Anki's class of a review, from the card before it (ankistats.review_kind, in SQL)."""
    return Case(
        When(_MATURE, then=Value(CardKind.MATURE.value)),
        When(_IN_REVIEW, then=Value(CardKind.YOUNG.value)),
        default=Value(CardKind.LEARNING.value),
    )


@dataclass(frozen=True)
class Day:
    """One day of the learner's log: reviews, minutes spent and cards seen for the first time."""

    day: date
    reviews: int
    seconds: float
    introduced: int

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True)
class LogStatistics:
    """What the review log gives, over the range asked for (the retention table: all periods)."""

    start: datetime | None
    buttons: list[ButtonRow]
    retention: list[Retention]
    hours: list[Hour]
    days: list[Day]


@dataclass(frozen=True)
class CardStatistics:
    """The distributions of the learner's cards now."""

    intervals: list[Bin]
    stability: list[Bin]
    difficulty: list[Bin]
    recall: list[Bin]
    interval_mean: float | None
    interval_max: int | None
    relearning: int
    stability_mean: float | None
    difficulty_median: float | None
    recall_mean: float | None


@dataclass(frozen=True)
class Statistics:
    log: LogStatistics
    cards: CardStatistics
    range_days: int | None


@dataclass(frozen=True)
class _Counts:
    """The log's figures over a span of time, as counts that add up across spans: the days
    before today are counted once and cached, today's reviews on every request."""

    buttons: dict[tuple[str, int], int]
    retention: dict[tuple[str, bool, bool], int]  # (period, mature, passed)
    hours: dict[int, tuple[int, int]]  # hour: (reviews, not Again)
    days: dict[date, tuple[int, int, int]]  # day: (reviews, milliseconds, first reviews)

    def __add__(self, other: "_Counts") -> "_Counts":
        def add(a: dict[Any, Any], b: dict[Any, Any]) -> dict[Any, Any]:
            merged = dict(a)
            for key, value in b.items():
                if key in merged:
                    old = merged[key]
                    merged[key] = (
                        tuple(x + y for x, y in zip(old, value, strict=True))
                        if isinstance(value, tuple)
                        else old + value
                    )
                else:
                    merged[key] = value
            return merged

        return _Counts(
            add(self.buttons, other.buttons),
            add(self.retention, other.retention),
            add(self.hours, other.hours),
            add(self.days, other.days),
        )


def _buttons(reviews: Any) -> dict[tuple[str, int], int]:
    rows = (
        reviews.annotate(last_interval=_last_interval(), kind=_kind())
        .values("kind", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["kind"], row["rating"]): row["n"] for row in rows}


def _retention(reviews: Any, periods: list[ankistats.Period]) -> dict[tuple[str, bool, bool], int]:
    """Anki's true retention: reviews of cards in review, passed or failed, young or mature, in
    each period (one query: a count a period, outcome and maturity)."""
    counts: dict[str, Count] = {}
    for period in periods:
        within = Q(reviewed_at__lt=period.end)
        if period.start is not None:
            within &= Q(reviewed_at__gte=period.start)
        counts[f"{period.name}_passed"] = Count("id", filter=within & _PASSED)
        counts[f"{period.name}_failed"] = Count("id", filter=within & ~_PASSED)
    rows = (
        reviews.filter(_IN_REVIEW)
        .annotate(last_interval=_last_interval())
        .annotate(mature=Case(When(last_interval__gt=_MATURE_DAYS, then=Value(1)), default=0))
        .values("mature")
        .annotate(**counts)
        .order_by()
    )
    return {
        (period.name, bool(row["mature"]), passed): row[
            f"{period.name}_{'passed' if passed else 'failed'}"
        ]
        for row in rows
        for period in periods
        for passed in (True, False)
    }


def _hours(reviews: Any, clock: DayClock, until: datetime) -> dict[int, tuple[int, int]]:
    rows = (
        reviews.annotate(hour=hour_extract("reviewed_at", clock, until=until))
        .values("hour")
        .annotate(total=Count("id"), correct=Count("id", filter=_PASSED))
        .order_by()
    )
    return {row["hour"]: (row["total"], row["correct"]) for row in rows}


def _days(reviews: Any, clock: DayClock, until: datetime) -> dict[date, tuple[int, int, int]]:
    rows = (
        reviews.annotate(day=day_trunc("reviewed_at", clock, until=until))
        .values("day")
        .annotate(
            reviews=Count("id"),
            ms=Coalesce(Sum("duration_ms"), 0),
            introduced=Count("id", filter=Q(state_before__isnull=True)),
        )
        .order_by()
    )
    return {row["day"]: (row["reviews"], row["ms"], row["introduced"]) for row in rows}


def _counts(
    *,
    user: User,
    start: datetime | None,
    until: datetime,
    periods: list[ankistats.Period],
    clock: DayClock,
) -> _Counts:
    """Count the reviews before `until` in the database; the range's graphs only those from
    `start` on, the retention table all of them."""
    reviews = ReviewLog.objects.filter(user=user, reviewed_at__lt=until)
    in_range = reviews if start is None else reviews.filter(reviewed_at__gte=start)
    return _Counts(
        buttons=_buttons(in_range),
        retention=_retention(reviews, periods),
        hours=_hours(in_range, clock, until),
        days=_days(in_range, clock, until),
    )


def _today_counts(
    *,
    user: User,
    start: datetime | None,
    today: datetime,
    periods: list[ankistats.Period],
    clock: DayClock,
) -> _Counts:
    """Count today's reviews, read as rows (a day's work, bounded by the daily limits): one
    small query, counted by the same definitions (ankistats) the SQL above follows."""
    rows = ReviewLog.objects.filter(user=user, reviewed_at__gte=today).values_list(
        "rating", "reviewed_at", "state_before", "previous_card", "duration_ms", named=True
    )
    counts = _Counts({}, {}, {}, {})
    for row in rows:
        passed = row.rating != Rating.AGAIN
        kind = ankistats.review_kind(row.state_before, ankistats.last_interval(row.previous_card))
        if kind != CardKind.LEARNING:
            mature = kind == CardKind.MATURE
            for period in periods:
                if period.contains(row.reviewed_at):
                    key = (period.name, mature, passed)
                    counts.retention[key] = counts.retention.get(key, 0) + 1
        if start is not None and row.reviewed_at < start:
            continue
        counts.buttons[(kind, row.rating)] = counts.buttons.get((kind, row.rating), 0) + 1
        hour = hour_of(row.reviewed_at, clock)
        total, correct = counts.hours.get(hour, (0, 0))
        counts.hours[hour] = (total + 1, correct + passed)
        day = day_of(row.reviewed_at, clock)
        reviews, ms, introduced = counts.days.get(day, (0, 0, 0))
        counts.days[day] = (
            reviews + 1,
            ms + (row.duration_ms or 0),
            introduced + (row.state_before is None),
        )
    return counts


def _history_key(user_id: int) -> str:
    return f"learnfrl:statistics-history:{user_id}"


def statistics_history_rewritten(*, user_id: int) -> None:
    """Say that reviews of the learner's were rewritten in place (a regrade turns an Again into
    Good and rewrites the card before each later review): their past counts are counted afresh.

    Call in the transaction that rewrites them. A rewrite keeps the reviews' count and latest id,
    the cache key of the counts, so the key also holds a marker of the learner's that this sets
    to a fresh value, once the rewrite is committed: a request in between cannot keep the old
    counts under the new marker (one that counted before the commit read the old marker first).
    """
    transaction.on_commit(
        lambda: cache.set(_history_key(user_id), secrets.token_hex(8), HISTORY_SECONDS)
    )


def history_marker(*, user_id: int) -> str:
    """The learner's rewrite marker (statistics_history_rewritten), for the key of any figure
    kept by the review log's count and latest id, which a rewrite in place leaves as they were.
    One evicted or expired is set afresh, never read as none (a key counted before a rewrite
    could still be cached under it): what it costs is one count more."""
    return str(
        cache.get_or_set(_history_key(user_id), lambda: secrets.token_hex(8), HISTORY_SECONDS)
    )


def _past_counts(
    *,
    user: User,
    start: datetime | None,
    today: datetime,
    periods: list[ankistats.Period],
    clock: DayClock,
) -> _Counts:
    """The counts of the days before today, cached for the day under a key that notices an Undo
    reaching back past midnight (the count and latest id of the reviews before today) and a
    rewrite of a past review (statistics_history_rewritten's marker, read before the counts)."""
    marker = history_marker(user_id=user.pk)
    mark = ReviewLog.objects.filter(user=user, reviewed_at__lt=today).aggregate(
        n=Count("id"), last=Max("id")
    )
    key = (
        f"learnfrl:statistics:{user.pk}:{start.isoformat() if start else 'all'}"
        f":{today.isoformat()}:{mark['n']}:{mark['last']}:{marker}:{clock.zone}:{clock.starts_at}"
    )
    found: _Counts | None = cache.get(key)
    if found is None:
        found = _counts(user=user, start=start, until=today, periods=periods, clock=clock)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _log_statistics(
    *, user: User, now: datetime, range_days: int | None, clock: DayClock
) -> LogStatistics:
    """The log's figures: the days before today from the cache, today's counted now."""
    tomorrow = next_day_start(now, clock)
    today = day_start(now, clock)
    start = None if range_days is None else tomorrow - range_days * ankistats.DAY
    periods = ankistats.retention_periods(tomorrow)
    counts = _past_counts(
        user=user, start=start, today=today, periods=periods, clock=clock
    ) + _today_counts(user=user, start=start, today=today, periods=periods, clock=clock)
    return LogStatistics(
        start=start,
        buttons=ankistats.button_rows(counts.buttons),
        retention=[
            Retention(
                period,
                young_passed=counts.retention.get((period.name, False, True), 0),
                young_failed=counts.retention.get((period.name, False, False), 0),
                mature_passed=counts.retention.get((period.name, True, True), 0),
                mature_failed=counts.retention.get((period.name, True, False), 0),
            )
            for period in periods
        ],
        hours=ankistats.hours(counts.hours),
        days=_day_series(
            counts.days,
            None if start is None else day_of(start, clock),
            day_of(now, clock),
        ),
    )


def _day_series(
    counted: dict[date, tuple[int, int, int]], first: date | None, last: date
) -> list[Day]:
    """Every day from `first` (the first day with a review if None) to `last`."""
    if first is None:
        first = min(counted, default=last)
    days = []
    day = first
    while day <= last:
        reviews, ms, introduced = counted.get(day, (0, 0, 0))
        days.append(Day(day, reviews, ms / 1000, introduced))
        day += timedelta(days=1)
    return days


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _median(values: list[float]) -> float | None:
    """Anki's median (eases.rs): the middle value, or the mean of the two middle ones."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _card_statistics(*, user: User, now: datetime, schedule: Schedule) -> CardStatistics:
    """Intervals of cards in review, stability, difficulty and recall now (by the learner's
    schedule) of every card of an active question the learner has studied."""
    rows = CardState.objects.filter(user=user, question__is_active=True).values_list(
        *CARD_FIELDS, named=True
    )
    intervals, stabilities, difficulties, recalls = [], [], [], []
    relearning = 0
    recall = scheduling.recall_at(now=now, schedule=schedule)
    for row in rows:
        card = CardValues.read(row)
        if card.state == MemoryState.REVIEW:
            interval = ankistats.interval_days(card.due, card.last_review, schedule.day)
            if interval is not None:
                intervals.append(interval)
        elif card.state == MemoryState.RELEARNING:
            relearning += 1
        if card.stability is not None:
            stabilities.append(card.stability)
        if card.difficulty is not None:
            difficulties.append(ankistats.difficulty_share(card.difficulty))
        if not card.is_new:
            recalls.append(recall(card))
    return CardStatistics(
        intervals=ankistats.day_bins(intervals),
        stability=ankistats.day_bins(ankistats.stability_days(s) for s in stabilities),
        difficulty=ankistats.percent_bins(difficulties),
        recall=ankistats.percent_bins(recalls),
        interval_mean=_mean([float(i) for i in intervals]),
        interval_max=max(intervals, default=None),
        relearning=relearning,
        stability_mean=_mean(stabilities),
        difficulty_median=_median(difficulties),
        recall_mean=_mean(recalls),
    )


def statistics(
    *, user: User, now: datetime, schedule: Schedule, range_days: int | None
) -> Statistics:
    """The statistics panel's figures over the last `range_days` days (None: all time)."""
    return Statistics(
        log=_log_statistics(user=user, now=now, range_days=range_days, clock=schedule.day),
        cards=_card_statistics(user=user, now=now, schedule=schedule),
        range_days=range_days,
    )
