"""A learner's day, in one place: when it starts, when the next one does, and how the scheduler
counts the days since a card's last review. Pure: `now` and the learner's `DayClock` are passed in.

A learner's day starts at their own hour (`starts_at`, 4 a.m. by default, as in Anki) in their own
time zone. Daily limits, buries ("until tomorrow"), today's counts, streaks, the heatmap and the
forecast all start a day at `day_start` (and group by `day_trunc` in the database). A change to what
a day is belongs here alone.

Elapsed days are Anki's (rslib `RevlogEntry::days_elapsed`, `Card::days_since_last_review`): count
whole 86,400-second periods back from the start of the learner's next day. A review at 22:00 and the
next at 07:00 are one day apart (the 4 a.m. rollover lies between them); one at 05:00 and the next
at 23:00 the same day are 0 days apart. Stability, difficulty and the next interval depend on time
only through that count, so the scheduler, the optimizer and the simulator all use it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db.models.expressions import ExpressionWrapper, F
from django.db.models.fields import DateTimeField
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
    legacy aliases ("US/Eastern", "Etc/GMT+5") that name the same zones."""
    return _CHOOSABLE


_ZONES = frozenset(available_timezones())
_CHOOSABLE = sorted(
    name
    for name in _ZONES
    if name == "UTC" or ("/" in name and name.split("/")[0] not in {"Etc", "SystemV", "US"})
)


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
    """Return the learner's day that `moment` falls on: the local date `starts_at` hours earlier,
    so a review at 01:00 counts for the day before (as `day_trunc` groups it)."""
    return (moment - clock.rollover).astimezone(clock.zone).date()


def start_of(day: date, clock: DayClock) -> datetime:
    """Return the moment the learner's `day` begins."""
    midnight = datetime.combine(day, time.min, tzinfo=clock.zone)
    return (midnight.astimezone(UTC) + clock.rollover).astimezone(clock.zone)


def day_start(now: datetime, clock: DayClock) -> datetime:
    """Return the start of the learner's day that holds `now`."""
    return start_of(day_of(now, clock), clock)


def next_day_start(now: datetime, clock: DayClock) -> datetime:
    """Return the start of the learner's next day: when a card buried at `now` comes back."""
    return start_of(day_of(now, clock) + DAY, clock)


def day_trunc(field: str, clock: DayClock) -> TruncDate:
    """The learner's day of a datetime column, as a database expression (for grouping by day);
    it agrees with `day_of`. An expression, not a query: this module still reads nothing."""
    shifted = ExpressionWrapper(F(field) - clock.rollover, output_field=DateTimeField())
    return TruncDate(shifted, tzinfo=clock.zone)


def days_before(moment: datetime, reference: datetime) -> int:
    """Whole 86,400-second periods from `moment` back from `reference` (Anki's day number)."""
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


def hour_extract(field: str, clock: DayClock) -> ExtractHour:
    """The learner's clock hour of a datetime column, as a database expression (for grouping by
    hour); it must agree with `hour_of`."""
    return ExtractHour(field, tzinfo=day_zone(clock))


def days_since_review(last_review: datetime, next_day: datetime) -> int:
    """Anki's `days_since_last_review`: whole days from the last review back from `next_day`, the
    start of the learner's day after the moment asked about (elapsed_days's own count, for a
    caller counting many cards at one moment, who works `next_day` out once)."""
    return max(0, days_before(last_review, next_day))
