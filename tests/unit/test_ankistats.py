"""Anki's definitions, without a database (rslib/src/stats/graphs/ at ankitects/anki c32cb29)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizzes.enums import MemoryState
from quizzes.rules import ankistats
from quizzes.rules.ankistats import CardKind
from quizzes.rules.days import DayClock

LEARNING, REVIEW, RELEARNING = MemoryState.LEARNING, MemoryState.REVIEW, MemoryState.RELEARNING


@pytest.mark.parametrize(
    ("state_before", "days", "kind"),
    [
        (None, None, CardKind.LEARNING),  # a new card's first review is a learning review
        (LEARNING, 0.01, CardKind.LEARNING),
        (RELEARNING, 30, CardKind.LEARNING),  # relearning counts as learning (buttons.rs)
        (REVIEW, 1, CardKind.YOUNG),
        (REVIEW, 20, CardKind.YOUNG),  # `last_interval < 21` is young
        (REVIEW, 21, CardKind.MATURE),  # 21 days is mature
        (REVIEW, 400, CardKind.MATURE),
    ],
)
def test_a_review_is_classed_by_the_card_before_it(state_before, days, kind):
    interval = None if days is None else timedelta(days=days)
    assert ankistats.review_kind(state_before, interval) == kind


def test_percent_bins_as_anki_tests_them():
    # eases.rs's own test: bins of 5.
    for percent, low in ((0.0, 0), (4.9, 0), (5.0, 5), (9.9, 5), (99.9, 95), (100.0, 95)):
        assert ankistats.percent_to_bin(percent, 5) == low


def test_difficulty_is_shown_from_0_to_100_percent():
    assert ankistats.difficulty_share(1.0) == 0
    assert ankistats.difficulty_share(10.0) == 1
    bins = ankistats.percent_bins([0.0, 0.5, 1.0])
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]


def test_stability_and_intervals_round_halves_up_as_rust_does():
    assert ankistats.stability_days(2.5) == 3  # Python's round(2.5) would give 2
    assert ankistats.stability_days(2.49) == 2
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = DayClock(zone=UTC, starts_at=4)
    assert ankistats.interval_days(start + timedelta(days=21), start, clock) == 21
    assert ankistats.interval_days(None, start, clock) is None
    # Due before its last review (a due date set earlier): no interval left, never a negative one.
    assert ankistats.interval_days(start - timedelta(days=3), start, clock) == 0


def test_an_interval_counts_the_learners_days_as_its_button_did():
    """A card rated Easy at 17:11 in Tokyo (a day starting at 4:00) for 7 days is due at 4:00 on
    the seventh day: 6 days and 11 hours later, yet an interval of 7 (an outside audit found it
    shown as 6), and one of 21 days given late in a day is mature."""
    tokyo = DayClock(zone=ZoneInfo("Asia/Tokyo"), starts_at=4)
    rated = datetime(2026, 12, 6, 8, 11, tzinfo=UTC)  # 17:11 in Tokyo
    due = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)  # 04:00 on 13 December in Tokyo
    assert ankistats.interval_days(due, rated, tokyo) == 7
    late = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)  # 03:30 in Tokyo: still 6 December's day
    assert ankistats.interval_days(due, late, tokyo) == 7
    three_weeks = datetime(2026, 12, 26, 19, 0, tzinfo=UTC) - rated
    assert three_weeks < timedelta(days=20.5)
    assert ankistats.review_kind(MemoryState.REVIEW, three_weeks) == ankistats.CardKind.MATURE
    twenty = three_weeks - timedelta(days=1)
    assert ankistats.review_kind(MemoryState.REVIEW, twenty) == ankistats.CardKind.YOUNG


def test_day_bins_cover_every_whole_day():
    bins = ankistats.day_bins([0, 1, 2, 3, 6, 7, 21, 364, 365, 5000])
    counted = {b.label: b.count for b in bins}
    assert counted["0–1"] == 2
    assert counted["2"] == 1
    assert counted["3–6"] == 2
    assert counted["365+"] == 2
    assert sum(counted.values()) == 10


def test_retention_periods_count_back_from_the_next_days_start():
    tomorrow = datetime(2026, 6, 11, tzinfo=UTC)
    periods = {p.name: p for p in ankistats.retention_periods(tomorrow)}
    assert periods["today"].start == datetime(2026, 6, 10, tzinfo=UTC)
    assert (periods["yesterday"].start, periods["yesterday"].end) == (
        datetime(2026, 6, 9, tzinfo=UTC),
        datetime(2026, 6, 10, tzinfo=UTC),
    )
    assert periods["week"].start == tomorrow - timedelta(days=7)
    assert periods["month"].start == tomorrow - timedelta(days=30)
    assert periods["year"].start == tomorrow - timedelta(days=365)
    assert periods["all"].start is None


def test_the_interval_given_is_days_for_a_review_card_and_the_steps_time_for_a_learning_one():
    tokyo = DayClock(zone=ZoneInfo("Asia/Tokyo"), starts_at=4)
    rated = datetime(2026, 12, 6, 8, 11, tzinfo=UTC)  # 17:11 in Tokyo
    due = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)  # 04:00 on 13 December in Tokyo
    given = ankistats.interval_given(MemoryState.REVIEW, due=due, since=rated, clock=tokyo)
    assert given == timedelta(days=7)
    step = ankistats.interval_given(
        MemoryState.LEARNING, due=rated + timedelta(minutes=10), since=rated, clock=tokyo
    )
    assert step == timedelta(minutes=10)
    assert step.days == 0
