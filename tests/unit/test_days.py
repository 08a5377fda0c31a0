"""The day count the scheduler uses, and when a rating preview goes stale. No database."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.enums import MemoryState, Rating
from quizzes.rules import scheduling
from quizzes.rules.days import (
    DayClock,
    day_of,
    day_start,
    elapsed_days,
    elapsed_days_changed,
    next_day_start,
    start_of,
)
from quizzes.rules.scheduling import NEW_CARD
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY

LAST = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
NEW_YORK = DayClock(zone=ZoneInfo("America/New_York"), starts_at=4)
KYIV = DayClock(zone=ZoneInfo("Europe/Kyiv"), starts_at=4)


def test_a_card_never_reviewed_has_no_elapsed_days():
    assert elapsed_days(None, LAST, UTC_DAY) == 0


@pytest.mark.parametrize("replay", [False, True])
def test_days_are_counted_between_instants_whatever_zone_a_time_carries(replay):
    """Python subtracts two times of one zone by their clocks: a last review given in the
    learner's own zone, across the change to summer time, counted a day too many (43, not the
    42 whole days between the instants that Anki counts)."""
    paris = DayClock(zone=ZoneInfo("Europe/Paris"), starts_at=6)
    now = datetime(2026, 3, 31, 18, 48, 22, tzinfo=UTC)
    last = datetime(2026, 2, 17, 4, 23, 27, tzinfo=UTC)
    reference = next_day_start(now, paris) if replay else None
    counted = {
        elapsed_days(last.astimezone(zone), now, paris, reference=reference)
        for zone in (UTC, ZoneInfo("UTC"), paris.zone, ZoneInfo("Asia/Tokyo"))
    }
    assert counted == {42}


def test_days_are_the_learners_days_starting_at_their_hour():
    # 22:00, then 07:00 the next morning: the 4 a.m. rollover lies between, so a day.
    assert elapsed_days(LAST, LAST + timedelta(hours=9), UTC_DAY) == 1
    # 22:00, then 03:59: still the same learner's day.
    assert elapsed_days(LAST, LAST + timedelta(hours=5, minutes=59), UTC_DAY) == 0
    # 05:00 and 23:00 the same day: 18 hours, and no day.
    morning = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert elapsed_days(morning, morning + timedelta(hours=18), UTC_DAY) == 0
    assert elapsed_days(LAST, LAST + timedelta(days=3, hours=1), UTC_DAY) == 3


def test_the_same_moments_are_other_days_in_another_zone():
    # 22:00 UTC is 17:00 in New York, 07:00 UTC is 02:00 there: the same New York day.
    assert elapsed_days(LAST, LAST + timedelta(hours=9), NEW_YORK) == 0
    # 22:00 UTC is 00:00 in Kyiv (UTC+2), 07:00 UTC is 09:00 there: a day after the rollover.
    assert elapsed_days(LAST, LAST + timedelta(hours=9), KYIV) == 1


@pytest.mark.parametrize(
    ("clock", "moment", "start", "next_start"),
    [
        # 02:30 in New York is still the day before (the day starts at 4).
        (
            NEW_YORK,
            datetime(2026, 3, 4, 2, 30, tzinfo=ZoneInfo("America/New_York")),
            datetime(2026, 3, 3, 4, 0, tzinfo=ZoneInfo("America/New_York")),
            datetime(2026, 3, 4, 4, 0, tzinfo=ZoneInfo("America/New_York")),
        ),
        (
            KYIV,
            datetime(2026, 3, 4, 4, 0, tzinfo=ZoneInfo("Europe/Kyiv")),
            datetime(2026, 3, 4, 4, 0, tzinfo=ZoneInfo("Europe/Kyiv")),
            datetime(2026, 3, 5, 4, 0, tzinfo=ZoneInfo("Europe/Kyiv")),
        ),
    ],
)
def test_a_day_starts_at_the_learners_hour_in_their_zone(clock, moment, start, next_start):
    assert day_start(moment, clock) == start
    assert next_day_start(moment, clock) == next_start
    assert day_of(moment, clock) == start.date()


def test_an_hour_of_zero_starts_the_day_at_midnight():
    midnight = DayClock(zone=ZoneInfo("Europe/Kyiv"), starts_at=0)
    late = datetime(2026, 3, 4, 23, 59, tzinfo=ZoneInfo("Europe/Kyiv"))
    assert next_day_start(late, midnight) == datetime(2026, 3, 5, tzinfo=ZoneInfo("Europe/Kyiv"))


def test_a_card_left_open_across_the_rollover_changes_the_count():
    shown = datetime(2026, 3, 2, 3, 50, tzinfo=UTC)
    posted = shown + timedelta(minutes=20)
    assert elapsed_days_changed(LAST, shown_at=shown, posted_at=posted, clock=UTC_DAY)


def test_a_card_left_open_overnight_before_the_rollover_does_not():
    shown = LAST + timedelta(hours=1)  # 23:00, posted at 03:00 the next morning
    posted = shown + timedelta(hours=4)
    assert not elapsed_days_changed(LAST, shown_at=shown, posted_at=posted, clock=UTC_DAY)


def test_a_new_card_never_changes_its_count():
    assert not elapsed_days_changed(
        None, shown_at=LAST, posted_at=LAST + timedelta(days=2), clock=UTC_DAY
    )


def test_an_interval_of_days_is_due_at_the_start_of_the_learners_day():
    card = scheduling.review(NEW_CARD, Rating.EASY, now=LAST, schedule=DEFAULT_SCHEDULE, seed="1")
    assert card.state == MemoryState.REVIEW
    assert card.due is not None
    assert card.due == day_start(card.due, UTC_DAY)
    days = scheduling.preview(NEW_CARD, now=LAST, schedule=DEFAULT_SCHEDULE, seed="1")[Rating.EASY]
    assert card.due == next_day_start(LAST, UTC_DAY) + days - timedelta(days=1)


def test_a_learning_step_runs_by_the_clock():
    card = scheduling.review(NEW_CARD, Rating.AGAIN, now=LAST, schedule=DEFAULT_SCHEDULE, seed="1")
    assert card.due == LAST + timedelta(minutes=1)


def graduated():
    card = scheduling.review(NEW_CARD, Rating.GOOD, now=LAST, schedule=DEFAULT_SCHEDULE, seed="4:2")
    assert card.due is not None  # a reviewed card always has a due date
    card = scheduling.review(card, Rating.GOOD, now=card.due, schedule=DEFAULT_SCHEDULE, seed="4:2")
    assert card.state == MemoryState.REVIEW
    return card


def learning():
    return scheduling.review(NEW_CARD, Rating.GOOD, now=LAST, schedule=DEFAULT_SCHEDULE, seed="4:2")


CARDS = {"learning": learning(), "review": graduated()}


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(sorted(CARDS)),
    shown_after=st.integers(min_value=0, max_value=40 * 24 * 60),
    open_for=st.integers(min_value=0, max_value=36 * 60),
)
def test_the_previewed_intervals_hold_exactly_when_the_count_has_not_changed(
    kind, shown_after, open_for
):
    card = CARDS[kind]
    shown = card.last_review + timedelta(minutes=shown_after)
    posted = shown + timedelta(minutes=open_for)

    def intervals(now):
        return scheduling.preview(card, now=now, schedule=DEFAULT_SCHEDULE, seed="4:2")

    changed = elapsed_days_changed(
        card.last_review, shown_at=shown, posted_at=posted, clock=UTC_DAY
    )
    if not changed:
        assert intervals(shown) == intervals(posted)


def test_a_learning_card_left_open_past_a_day_gets_another_interval():
    card = CARDS["learning"]
    shown = card.last_review + timedelta(hours=20)
    posted = card.last_review + timedelta(hours=30)
    assert elapsed_days_changed(card.last_review, shown_at=shown, posted_at=posted, clock=UTC_DAY)

    def intervals(now):
        return scheduling.preview(card, now=now, schedule=DEFAULT_SCHEDULE, seed="4:2")

    assert intervals(shown) != intervals(posted)


BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # 29 March 2026: the clocks go from 2:00 to 3:00. 4:30 is past the day's 4:00 start
        # (24 hours back in absolute time is 3:30 the day before: the day would start at 5:00).
        (datetime(2026, 3, 29, 4, 30, tzinfo=BERLIN), datetime(2026, 3, 29).date()),
        (datetime(2026, 3, 29, 3, 59, tzinfo=BERLIN), datetime(2026, 3, 28).date()),
        # 25 October 2026: the clocks go from 3:00 back to 2:00. 3:30 is before the 4:00 start
        # (in absolute time the day would start at 3:00).
        (datetime(2026, 10, 25, 3, 30, tzinfo=BERLIN), datetime(2026, 10, 24).date()),
        (datetime(2026, 10, 25, 4, 0, tzinfo=BERLIN), datetime(2026, 10, 25).date()),
    ],
)
def test_on_the_days_the_clocks_change_the_day_starts_at_its_hour_on_the_clock(moment, day):
    """As Anki's (rslib `sched_timing_today`: the rollover hour on the local clock's date)."""
    clock = DayClock(zone=BERLIN, starts_at=4)
    moment = moment.astimezone(UTC)  # as the database gives it
    assert day_of(moment, clock) == day
    assert day_start(moment, clock) == datetime.combine(
        day, datetime.min.time().replace(hour=4), BERLIN
    )


@pytest.mark.parametrize(
    ("zone", "day", "hour", "start"),
    [
        # Berlin skips 2:00–3:00 on 29 March: a day starting at 2 starts when the clocks jump.
        ("Europe/Berlin", (2026, 3, 29), 2, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # Lord Howe skips 2:00–2:30 on 4 October: a day starting at 2 starts at 2:30.
        ("Australia/Lord_Howe", (2026, 10, 4), 2, datetime(2026, 10, 3, 15, 30, tzinfo=UTC)),
        # Santiago skips midnight to 1:00 on 6 September: a day starting at 0 starts at 1:00.
        ("America/Santiago", (2026, 9, 6), 0, datetime(2026, 9, 6, 4, 0, tzinfo=UTC)),
        # Berlin has 2:00–3:00 twice on 25 October: a day starting at 2 starts at the first.
        ("Europe/Berlin", (2026, 10, 25), 2, datetime(2026, 10, 25, 0, 0, tzinfo=UTC)),
    ],
)
def test_a_day_whose_hour_the_clocks_skip_or_repeat_starts_once(zone, day, hour, start):
    clock = DayClock(zone=ZoneInfo(zone), starts_at=hour)
    # (In UTC: Python's == between zones is False for a time in a repeated hour.)
    assert start_of(datetime(*day).date(), clock).astimezone(UTC) == start
    assert day_of(start, clock) == datetime(*day).date()
    assert day_of(start - timedelta(seconds=1), clock) == datetime(*day).date() - timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(
        [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "America/Santiago",
            "America/Havana",
            "Asia/Beirut",
        ]
    ),
    hour=st.integers(min_value=0, max_value=23),
    offset=st.integers(min_value=0, max_value=5 * 366),
)
def test_every_day_starts_where_the_day_before_ends(zone, hour, offset):
    clock = DayClock(zone=ZoneInfo(zone), starts_at=hour)
    day = datetime(2022, 1, 1).date() + timedelta(days=offset)
    start = start_of(day, clock).astimezone(UTC)
    assert day_of(start, clock) == day
    assert day_of(start - timedelta(microseconds=1), clock) == day - timedelta(days=1)
    assert next_day_start(start - timedelta(microseconds=1), clock).astimezone(UTC) == start
