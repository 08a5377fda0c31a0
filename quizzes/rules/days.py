"""A learner's day, in one place: when it starts, when the next one does, and how the scheduler
counts the days since a card's last review. Pure: `now` is passed in.

Daily limits, buries ("until tomorrow"), today's counts and the progress page's day-by-day figures
all start a day at `day_start` (and group by `day_trunc` in the database). Today that is midnight
in the site's TIME_ZONE. A change to what a day is belongs here alone.

The `fsrs` library counts elapsed days as whole 24-hour periods, `(now - last_review).days`: a
review 23 hours after the last one is on "day 0" (a same-day review), one 24 hours after is on
day 1, whatever the clock on the wall says. Stability, difficulty and the next interval depend on
time only through that count, so the optimizer's input and the check below use it too.
"""

from datetime import date, datetime, timedelta, tzinfo

from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone


def day_zone() -> tzinfo:
    """The time zone whose midnight starts the learner's day (the site's TIME_ZONE)."""
    return timezone.get_current_timezone()


def day_start(now: datetime) -> datetime:
    """Return the start of the learner's day that holds `now`."""
    local = timezone.localtime(now, day_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> date:
    """Return the learner's day that `moment` falls on, by the calendar of `day_start`."""
    return day_start(moment).date()


def day_trunc(field: str) -> TruncDate:
    """The learner's day of a datetime column, as a database expression (for grouping by day);
    it must agree with `day_of`. An expression, not a query: this module still reads nothing."""
    return TruncDate(field, tzinfo=day_zone())


def next_day_start(now: datetime) -> datetime:
    """Return the start of the learner's next day: when a card buried at `now` comes back."""
    local = timezone.localtime(now, day_zone())
    tomorrow = local.date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time(), tzinfo=local.tzinfo)


def elapsed_days(last_review: datetime | None, at: datetime) -> int:
    """Whole 24-hour periods from the last review to `at` (0 for a card never reviewed)."""
    if last_review is None:
        return 0
    return max(0, (at - last_review).days)


def elapsed_days_changed(
    last_review: datetime | None, *, shown_at: datetime, posted_at: datetime
) -> bool:
    """Whether the day count moved between showing the rating buttons and posting a rating.

    If it did, the intervals on the buttons are no longer what a rating would give: the page
    should show the buttons again. If it did not, the previewed interval is exactly the applied
    one (the fuzz is seeded per card and review count, not by time).
    """
    return elapsed_days(last_review, shown_at) != elapsed_days(last_review, posted_at)


def hour_of(moment: datetime) -> int:
    """The hour on the learner's clock at `moment` (0–23): the statistics' hourly breakdown."""
    return timezone.localtime(moment, day_zone()).hour


def hour_extract(field: str) -> ExtractHour:
    """The learner's clock hour of a datetime column, as a database expression (for grouping by
    hour); it must agree with `hour_of`."""
    return ExtractHour(field, tzinfo=day_zone())
