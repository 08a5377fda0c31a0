"""A learner's day, in one place: when it starts, when the next one does, and how the scheduler
counts the days since a card's last review. Pure: `now` and the learner's `DayClock` are passed in.

A learner's day starts at their own hour (`starts_at`, 4 a.m. by default, as in Anki) on their own
time zone's clock, also on the days the clocks change. Daily limits, buries ("until tomorrow"),
today's counts, streaks, the heatmap and the forecast all start a day at `day_start` (and group by
`day_trunc` in the database). A change to what a day is belongs here alone.

Elapsed days are Anki's (rslib `RevlogEntry::days_elapsed`, `Card::days_since_last_review`): count
whole 86,400-second periods back from the start of the learner's next day. A review at 22:00 and the
next at 07:00 are one day apart (the 4 a.m. rollover lies between them); one at 05:00 and the next
at 23:00 the same day are 0 days apart. Stability, difficulty and the next interval depend on time
only through that count, so the scheduler, the optimizer and the simulator all use it.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from quizzes.limits import DAY_STARTS_AT_DEFAULT, DAY_STARTS_AT_MAX, DAY_STARTS_AT_MIN

DAY = timedelta(days=1)


@dataclass(frozen=True)
class DayClock:
    """Where a learner's days begin: their time zone and the hour (0–23) their next day starts."""

    zone: tzinfo
    starts_at: int

    @property
    def rollover(self) -> timedelta:
        return timedelta(hours=self.starts_at)


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name, or None if there is none (never raises)."""
    if not name or name not in known_zones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def known_zones() -> frozenset[str]:
    """The IANA zone names this machine knows."""
    return _ZONES


def zone_names() -> list[str]:
    """The zone names a learner can choose, in order: "Area/City" ones (and UTC), not the
    legacy aliases ("US/Eastern", "Etc/GMT+5") that name the same zones; and UTC-12, which
    no city keeps (Baker and Howland Islands), by its one name."""
    return _CHOOSABLE


# The tz database's name for UTC-12 (its Etc/ signs are POSIX's, the other way round).
UTC_MINUS_12 = "Etc/GMT+12"
_ZONES = frozenset(available_timezones())
_CHOOSABLE = sorted(
    name
    for name in _ZONES
    if name in {"UTC", UTC_MINUS_12}
    or ("/" in name and name.split("/")[0] not in {"Etc", "SystemV", "US"})
)


def zone_label(name: str) -> str:
    """How a zone's name reads in a list: its name, and its offset where the name misleads
    (Etc/GMT+5 is five hours behind UTC)."""
    match = _ETC_OFFSET.fullmatch(name)
    if match is None:
        return name
    sign, hours = match.groups()
    return f"{name} (UTC{'-' if sign == '+' else '+'}{hours})"


_ETC_OFFSET = re.compile(r"Etc/GMT([+-])(\d+)")


def clock_of(zone_name: str, starts_at: int, *, fallback: str) -> DayClock:
    """The clock for a stored zone name and hour; an unknown name (a zone database that lost it)
    falls back to `fallback`, the site's zone, rather than failing a page."""
    zone = zone_named(zone_name) or zone_named(fallback) or UTC
    hour = (
        starts_at if DAY_STARTS_AT_MIN <= starts_at <= DAY_STARTS_AT_MAX else DAY_STARTS_AT_DEFAULT
    )
    return DayClock(zone=zone, starts_at=hour)


def day_zone(clock: DayClock) -> tzinfo:
    """The time zone whose calendar holds the learner's days."""
    return clock.zone


def day_of(moment: datetime, clock: DayClock) -> date:
    """Return the learner's day that `moment` falls on: the date on their wall clock `starts_at`
    hours earlier, so a review at 01:00 counts for the day before (as `day_trunc` groups it). The
    hours are the wall clock's, as Anki's: on the days the clocks change, the day still starts
    at 4:00 on the clock (not 3:00 or 5:00, as 24-hour arithmetic in absolute time would have).
    Where the clocks go back over the hour itself (Pacific/Chatham from 3:45 to 2:45 with a day
    starting at 3), the time between counts for the day before again, as the clock says."""
    return (_wall(moment, clock.zone) - clock.rollover).date()


def days_apart(earlier: datetime, later: datetime, clock: DayClock) -> int:
    """The learner's days from the day of `earlier` to the day of `later`: a card's interval in
    days, from its last review's day to the day it is due (as its rating button said it)."""
    return (day_of(later, clock) - day_of(earlier, clock)).days


def start_of(day: date, clock: DayClock) -> datetime:
    """Return the moment the learner's `day` begins: `starts_at` on their wall clock that date
    (the first time, where the clocks go back over it; the moment they went forward, where they
    skip it)."""
    wall = datetime.combine(day, time(hour=clock.starts_at))
    first = wall.replace(tzinfo=clock.zone)  # fold 0: the earlier of a repeated hour
    if _wall(first, clock.zone) == wall:
        return first
    # The hour was skipped: fold 0 read it with the offset before the change (a moment after
    # it), fold 1 with the offset after (a moment before it). The day starts at the change.
    low, high = wall.replace(tzinfo=clock.zone, fold=1).astimezone(UTC), first.astimezone(UTC)
    while high - low > timedelta(seconds=1):
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if _wall(middle, clock.zone) >= wall:
            high = middle
        else:
            low = middle
    return high.astimezone(clock.zone)


def _wall(moment: datetime, zone: tzinfo) -> datetime:
    """The time on the zone's clock at `moment`, without the zone (by way of UTC: Python reads
    a time already in `zone` as written, even an hour the clocks skipped)."""
    return moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)


def day_start(now: datetime, clock: DayClock) -> datetime:
    """Return the start of the learner's day that holds `now`."""
    return start_of(day_of(now, clock), clock)


def next_day_start(now: datetime, clock: DayClock) -> datetime:
    """Return the start of the learner's next day: when a card buried at `now` comes back."""
    return start_of(day_of(now, clock) + DAY, clock)


def day_trunc(field: str, clock: DayClock, *, until: datetime) -> TruncDate:
    """The learner's day of a datetime column, as a database expression (for grouping by day):
    the date of its time on their wall clock less the rollover, as `day_of`. It agrees with
    `day_of` for times up to `until` (the query's latest: now, or a day's start). An expression,
    not a query: this module still reads nothing."""
    return _LearnerDate(field, tzinfo=clock.zone, rollover=clock.rollover, until=until)


# SQLite has no time zones: Django's TruncDate and ExtractHour call a Python function of its own
# for every row there (the time parsed, moved to the zone, cut), 15–18 µs a row, so grouping a
# learner's 20,000 reviews by day cost 370 ms. On SQLite the learner's day and hour are instead
# SQLite's own date() and strftime() of the time moved by the zone's offset, the offset chosen by
# a CASE over the instants the zone's offset changed (a few a year where clocks change): the same
# grouping in 10 ms (docs/benchmarks.md, thirteenth pass). PostgreSQL keeps Django's SQL.
#
# The offsets are looked up from this instant on; the reviews, the app's own, are all later, and
# an earlier time (none can be written but by hand) takes Django's SQL, row by row (_or_earlier).
OFFSETS_FROM = datetime(1990, 1, 1, tzinfo=UTC)
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S"


@lru_cache(maxsize=256)
def offsets_since(zone: tzinfo, until: date) -> tuple[tuple[datetime, int], ...]:
    """The zone's offset from UTC, in seconds, from OFFSETS_FROM to `until`: (from, offset)
    pairs, the first from OFFSETS_FROM, each next from the instant the offset changed (looked for
    a day at a time, then found to the second: two changes within one day that undo each other
    are not seen; none has happened since 1990)."""

    def offset(moment: datetime) -> int:
        found = moment.astimezone(zone).utcoffset()
        return int(found.total_seconds()) if found is not None else 0

    pieces = [(OFFSETS_FROM, offset(OFFSETS_FROM))]
    end = datetime.combine(until, time.min, tzinfo=UTC)
    moment = OFFSETS_FROM
    while moment < end:
        later = moment + DAY
        if offset(later) != pieces[-1][1]:
            low, high = moment, later  # the change is after `low`, by `high`
            while high - low > timedelta(seconds=1):
                middle = (low + (high - low) / 2).replace(microsecond=0)
                if offset(middle) == pieces[-1][1]:
                    low = middle
                else:
                    high = middle
            pieces.append((high, offset(high)))
        moment = later
    return tuple(pieces)


def _sqlite_local(column: str, zone: tzinfo, shift: timedelta, until: datetime) -> str:
    """SQLite date and time modifiers that take `column` (a UTC time as Django stores it, none
    after `until`) to the zone's wall clock less `shift`: the arguments after the time in
    date() or strftime()."""
    # The offsets to the day after `until` (a later time takes the latest of them).
    pieces = offsets_since(zone, until.astimezone(UTC).date() + DAY + DAY)
    seconds = int(shift.total_seconds())

    def modifier(offset: int) -> str:
        return f"'{offset - seconds:+d} seconds'"

    if len(pieces) == 1:
        return modifier(pieces[0][1])
    # Newest first: most reviews are recent. Compared as text, as the column is stored (UTC,
    # "YYYY-MM-DD HH:MM:SS[.ffffff]"): the offset is the one at the column's own time.
    branches = " ".join(
        f"WHEN {column} >= '{start.strftime(_SQLITE_TIME)}' THEN {modifier(offset)}"
        for start, offset in reversed(pieces[1:])
    )
    return f"CASE {branches} ELSE {modifier(pieces[0][1])} END"


def _or_earlier(column: str, ours: str, django: tuple[str, Any]) -> tuple[str, Any]:
    """`ours` for a column's time from OFFSETS_FROM on, Django's own SQL (its Python function,
    which knows every offset) for an earlier one."""
    since = OFFSETS_FROM.strftime(_SQLITE_TIME)
    sql, params = django
    return f"CASE WHEN {column} >= '{since}' THEN {ours} ELSE {sql} END", params


def _sqlite_time(column: str) -> str:
    """The column's time to the second: SQLite rounds a fraction to the millisecond, which would
    put 03:59:59.9996 in the next hour."""
    return f"substr({column}, 1, 19)"


class _LearnerDate(TruncDate):
    """The date of a column's time on the zone's wall clock less the learner's rollover: on
    PostgreSQL the wall clock's time less an interval, on SQLite in its own SQL (above)."""

    def __init__(self, *args: Any, rollover: timedelta, until: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rollover, self.until = rollover, until

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        seconds = int(self.rollover.total_seconds())
        return (
            f"(({sql} AT TIME ZONE %s) - %s * INTERVAL '1 second')::date",
            # The zone's own name: Django's name for a fixed offset ("-12" for Etc/GMT+12)
            # PostgreSQL reads with the other sign, which Django's own SQL turns first.
            (*params, getattr(self.tzinfo, "key", None) or self.get_tzname(), seconds),
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        # Django's function for the time on the wall clock, less the rollover by date().
        seconds = int(self.rollover.total_seconds())
        django = (
            f"date(django_datetime_trunc('second', {sql}, %s, %s), '{-seconds:+d} seconds')",
            (*params, self.get_tzname(), connection.timezone_name),
        )
        if params:  # not a column: Django's function
            return django
        local = _sqlite_local(sql, self.tzinfo or UTC, self.rollover, self.until)
        return _or_earlier(sql, f"date({_sqlite_time(sql)}, {local})", django)


def days_before(moment: datetime, reference: datetime) -> int:
    """Whole 86,400-second periods from `moment` back from `reference` (Anki's day number),
    between the two instants whatever zones they carry. Python subtracts two times of one zone
    by their clocks, an hour off across a change of the clocks: those are taken to UTC first
    (UTC itself, the zone of every time read from the database, needs nothing; nor do two
    times without a zone)."""
    zone = moment.tzinfo
    if zone is reference.tzinfo and zone is not UTC and zone is not None:
        moment, reference = moment.astimezone(UTC), reference.astimezone(UTC)
    return int((reference - moment) // DAY)


def elapsed_days(
    last_review: datetime | None,
    at: datetime,
    clock: DayClock,
    *,
    reference: datetime | None = None,
) -> int:
    """Anki's count of days from the last review to `at` (0 for a card never reviewed).

    Both are counted back from `reference`, the start of a learner's next day: by default the one
    after `at` (as a review at `at` counts); a replay of a whole history passes the one after
    today, as Anki's memory-state computation and optimizer do.
    """
    if last_review is None:
        return 0
    if reference is None:
        return days_since_review(last_review, next_day_start(at, clock))
    # Anki's revlog replay (`RevlogEntry::days_elapsed` of the two reviews).
    return max(0, days_before(last_review, reference) - days_before(at, reference))


def elapsed_days_changed(
    last_review: datetime | None, *, shown_at: datetime, posted_at: datetime, clock: DayClock
) -> bool:
    """Whether the day count moved between showing the rating buttons and posting a rating.

    If it did, the intervals on the buttons are no longer what a rating would give: the page
    should show the buttons again. If it did not, the previewed interval is exactly the applied
    one (the fuzz is seeded per card and review count, not by time).
    """
    before = elapsed_days(last_review, shown_at, clock)
    return before != elapsed_days(last_review, posted_at, clock)


def when_words(moment: datetime, now: datetime, clock: DayClock) -> str:
    """Say when `moment` comes, from `now`, in the learner's zone: "in under a minute",
    "in 3 minutes", "today at 15:30", "tomorrow at 4:00", "on 7 March at 4:00". Never "in 0
    minutes": what is less than a minute away is "in under a minute"."""
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        return "in under a minute"
    if seconds < 3600:
        minutes = int(seconds // 60)
        return f"in {minutes} minute{'' if minutes == 1 else 's'}"
    local, today = moment.astimezone(clock.zone), now.astimezone(clock.zone).date()
    at = f"{local.hour}:{local.minute:02d}"
    if local.date() == today:
        return f"today at {at}"
    if local.date() == today + DAY:
        return f"tomorrow at {at}"
    year = "" if local.year == today.year else f" {local.year}"
    return f"on {local.day} {local:%B}{year} at {at}"


def hour_of(moment: datetime, clock: DayClock) -> int:
    """The hour on the learner's clock at `moment` (0–23): the statistics' hourly breakdown."""
    return timezone.localtime(moment, day_zone(clock)).hour


def hour_extract(field: str, clock: DayClock, *, until: datetime) -> ExtractHour:
    """The learner's clock hour of a datetime column, as a database expression (for grouping by
    hour); it must agree with `hour_of` for times up to `until` (as day_trunc)."""
    return _LearnerHour(field, tzinfo=day_zone(clock), until=until)


class _LearnerHour(ExtractHour):
    """ExtractHour in the learner's zone; on SQLite in its own SQL (as _LearnerDate)."""

    def __init__(self, *args: Any, until: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.until = until

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        if params:  # not a column: Django's own SQL
            return super().as_sql(compiler, connection)
        local = _sqlite_local(sql, self.tzinfo or UTC, timedelta(0), self.until)
        # %% is a % in a statement Django runs with its parameters.
        ours = f"CAST(strftime('%%H', {_sqlite_time(sql)}, {local}) AS INTEGER)"
        return _or_earlier(sql, ours, super().as_sql(compiler, connection))


def days_since_review(last_review: datetime, next_day: datetime) -> int:
    """Anki's `days_since_last_review`: whole days from the last review back from `next_day`, the
    start of the learner's day after the moment asked about (elapsed_days's own count, for a
    caller counting many cards at one moment, who works `next_day` out once)."""
    return max(0, days_before(last_review, next_day))
