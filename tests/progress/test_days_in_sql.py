"""The learner's day and hour of a review as the database groups them (days.day_trunc and
days.hour_extract) agree with the same rules in Python (day_of, hour_of), on both databases:
SQLite in its own SQL, PostgreSQL in Django's."""

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count

from quizzes.models import ReviewLog
from quizzes.rules.days import DayClock, day_of, day_trunc, hour_extract, hour_of, offsets_since
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

# The latest review these tests write is before it.
LATEST = datetime(2027, 1, 1, tzinfo=UTC)

# Clocks that change twice a year, by an hour or by half of one; offsets of a quarter or half
# hour; west and east of UTC; and UTC itself.
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Europe/Kyiv",
    # Fixed offsets, whose short names ("-12") PostgreSQL reads with the other sign.
    "Etc/GMT+12",
    "Etc/GMT-14",
]


def _changes(zone: ZoneInfo, year: int) -> list[datetime]:
    """The instants the zone's offset changed in `year` (from offsets_since)."""
    pieces = offsets_since(zone, datetime(year + 1, 1, 2).date())
    return [start for start, _offset in pieces[1:] if start.year == year]


def _moments(zone: ZoneInfo, rollover_hours: int, rng: random.Random) -> list[datetime]:
    """Instants where a mistake would show: a second either side of each offset change and of
    each day's start near them, with and without a fraction of a second, and some at random."""
    moments = []
    for change in _changes(zone, 2025) + _changes(zone, 2026):
        for around in (change, change + timedelta(hours=rollover_hours)):
            for delta in (-1, 0, 1):
                moments.append(around + timedelta(seconds=delta))
                moments.append(around + timedelta(seconds=delta, microseconds=999_600))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for _ in range(40):
        moments.append(start + timedelta(seconds=rng.randrange(3 * 366 * 86400)))
    # Each day's start on the learner's clock, and the instant before it.
    for day in range(0, 900, 37):
        local = datetime(2024, 1, 1, rollover_hours, tzinfo=ZoneInfo(str(zone))) + timedelta(
            days=day
        )
        moments += [local.astimezone(UTC), local.astimezone(UTC) - timedelta(microseconds=1)]
    return moments


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("rollover_hours", [0, 4, 23])
def test_a_review_falls_on_the_same_day_and_hour_in_sql_as_in_python(zone_name, rollover_hours):
    zone = ZoneInfo(zone_name)
    clock = DayClock(zone=zone, starts_at=rollover_hours)
    moments = _moments(zone, rollover_hours, random.Random(f"{zone_name}:{rollover_hours}"))
    assert _days_in_sql_wrong(clock, moments) == []


def _days_in_sql_wrong(clock: DayClock, moments: list[datetime]) -> list[tuple[object, ...]]:
    """Reviews written at `moments`, read back with their day and hour in SQL: those whose day
    or hour is not Python's (each with the SQL's and Python's)."""
    user, question = UserFactory.create(), QuestionFactory.create()
    ReviewLog.objects.bulk_create(
        ReviewLog(user=user, question=question, rating=3, reviewed_at=moment) for moment in moments
    )
    rows = (
        ReviewLog.objects.filter(user=user)
        .annotate(
            day=day_trunc("reviewed_at", clock, until=LATEST),
            hour=hour_extract("reviewed_at", clock, until=LATEST),
        )
        .values_list("reviewed_at", "day", "hour")
    )
    assert len(rows) == len(moments)
    return [
        (moment, day, hour, day_of(moment, clock), hour_of(moment, clock))
        for moment, day, hour in rows
        if (day, hour) != (day_of(moment, clock), hour_of(moment, clock))
    ]


def test_grouped_by_day_in_sql_the_counts_are_python_s():
    new_york = ZoneInfo("America/New_York")
    clock = DayClock(zone=new_york, starts_at=4)
    user, question = UserFactory.create(), QuestionFactory.create()
    moments = _moments(new_york, 4, random.Random(7))
    ReviewLog.objects.bulk_create(
        ReviewLog(user=user, question=question, rating=3, reviewed_at=moment) for moment in moments
    )
    grouped = dict(
        ReviewLog.objects.filter(user=user)
        .annotate(day=day_trunc("reviewed_at", clock, until=LATEST))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    expected: dict[object, int] = {}
    for moment in moments:
        expected[day_of(moment, clock)] = expected.get(day_of(moment, clock), 0) + 1
    assert grouped == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own SQL")
def test_on_sqlite_no_python_function_is_called_for_a_review_since_1990():
    """Django's TruncDate and ExtractHour call a function registered in Python for every row on
    SQLite (django_datetime_cast_date, django_datetime_extract): 15–18 µs a row. Only a time
    before the offsets looked up (none the app writes) is still handed to them."""
    from django.db.backends.sqlite3 import _functions  # type: ignore[attr-defined]

    clock = DayClock(zone=ZoneInfo("Europe/London"), starts_at=4)
    user, question = UserFactory.create(), QuestionFactory.create()
    ReviewLog.objects.bulk_create(
        ReviewLog(user=user, question=question, rating=3, reviewed_at=moment)
        for moment in (datetime(2026, 7, 1, tzinfo=UTC), datetime(1989, 7, 1, tzinfo=UTC))
    )
    calls: list[str] = []

    class Counting:
        """Django's registration of its SQLite functions, each wrapped to count its calls."""

        def __init__(self, raw: Any):
            self.raw = raw

        def create_function(self, name: str, arity: int, function: Any, **options: Any) -> None:
            def call(*args: object) -> object:
                calls.append(name)
                return function(*args)

            self.raw.create_function(name, arity, call, **options)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.raw, name)

    connection.ensure_connection()
    raw = connection.connection
    _functions.register(Counting(raw))
    try:
        rows = list(
            ReviewLog.objects.filter(user=user)
            .annotate(
                day=day_trunc("reviewed_at", clock, until=LATEST),
                hour=hour_extract("reviewed_at", clock, until=LATEST),
            )
            .values_list("reviewed_at", "day", "hour")
        )
    finally:
        _functions.register(raw)
    # The 1989 review's day (its time on the wall clock, less the rollover) and hour, no other.
    assert sorted(calls) == ["django_datetime_extract", "django_datetime_trunc"]
    assert sorted(rows) == [
        (datetime(1989, 7, 1, tzinfo=UTC), date(1989, 6, 30), 1),  # British summer time
        (datetime(2026, 7, 1, tzinfo=UTC), date(2026, 6, 30), 1),
    ]


@pytest.mark.parametrize("zone_name", ["America/New_York", "Europe/London", "Europe/Kyiv"])
def test_a_review_before_1990_falls_on_its_day_and_hour_by_the_offsets_of_its_time(zone_name):
    """In 1985 New York's summer time began in late April (not March), London's clocks changed
    on other Sundays and Kyiv kept Moscow time: SQLite took 1990's first offset for all of it."""
    clock = DayClock(zone=ZoneInfo(zone_name), starts_at=4)
    start = datetime(1984, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(hours=7 * n, seconds=n) for n in range(0, 8000, 3)]
    assert _days_in_sql_wrong(clock, moments) == []


def test_the_offsets_of_a_zone_change_where_its_clocks_do():
    london = ZoneInfo("Europe/London")
    changes = _changes(london, 2026)
    # 01:00 UTC on the last Sundays of March and October.
    assert changes == [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)]
    assert offsets_since(ZoneInfo("UTC"), datetime(2030, 1, 1).date())[1:] == ()


def test_on_the_days_the_clocks_change_the_database_starts_the_day_at_its_hour_on_the_clock():
    """Berlin's clocks go forward on 29 March 2026 and back on 25 October: a review at 4:30 on
    the first is that day's, one at 3:30 on the second is still the day before's (24 hours in
    absolute time would have started those days at 5:00 and 3:00)."""
    berlin = ZoneInfo("Europe/Berlin")
    clock = DayClock(zone=berlin, starts_at=4)
    user, question = UserFactory.create(), QuestionFactory.create()
    moments = {
        datetime(2026, 3, 29, 4, 30, tzinfo=berlin): date(2026, 3, 29),
        datetime(2026, 10, 25, 3, 30, tzinfo=berlin): date(2026, 10, 24),
    }
    ReviewLog.objects.bulk_create(
        ReviewLog(user=user, question=question, rating=3, reviewed_at=moment) for moment in moments
    )
    rows = (
        ReviewLog.objects.filter(user=user)
        .annotate(day=day_trunc("reviewed_at", clock, until=LATEST))
        .values_list("reviewed_at", "day")
    )
    assert dict(rows) == moments
