"""The day count the scheduler uses, and when a rating preview goes stale. No database."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.enums import MemoryState, Rating
from quizzes.rules import scheduling
from quizzes.rules.days import elapsed_days, elapsed_days_changed
from quizzes.rules.scheduling import NEW_CARD
from tests.support.schedules import DEFAULT_SCHEDULE

LAST = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)


def test_a_card_never_reviewed_has_no_elapsed_days():
    assert elapsed_days(None, LAST) == 0


def test_days_are_whole_24_hour_periods_whatever_the_calendar_says():
    assert elapsed_days(LAST, LAST + timedelta(hours=9)) == 0  # 07:00 next morning
    assert elapsed_days(LAST, LAST + timedelta(hours=23, minutes=59)) == 0
    assert elapsed_days(LAST, LAST + timedelta(hours=24)) == 1
    assert elapsed_days(LAST, LAST + timedelta(days=3, hours=1)) == 3


def test_a_card_left_open_overnight_across_the_24_hours_changes_the_count():
    shown = LAST + timedelta(hours=23)
    assert elapsed_days_changed(LAST, shown_at=shown, posted_at=shown + timedelta(hours=2))


def test_a_card_left_open_overnight_within_the_same_period_does_not():
    shown = LAST + timedelta(hours=1)  # 23:00, posted at 07:00 the next morning
    assert not elapsed_days_changed(LAST, shown_at=shown, posted_at=shown + timedelta(hours=8))


def test_a_new_card_never_changes_its_count():
    assert not elapsed_days_changed(None, shown_at=LAST, posted_at=LAST + timedelta(days=2))


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

    changed = elapsed_days_changed(card.last_review, shown_at=shown, posted_at=posted)
    if not changed:
        assert intervals(shown) == intervals(posted)


def test_a_learning_card_left_open_past_a_day_gets_another_interval():
    card = CARDS["learning"]
    shown = card.last_review + timedelta(hours=20)
    posted = card.last_review + timedelta(hours=30)
    assert elapsed_days_changed(card.last_review, shown_at=shown, posted_at=posted)

    def intervals(now):
        return scheduling.preview(card, now=now, schedule=DEFAULT_SCHEDULE, seed="4:2")

    assert intervals(shown) != intervals(posted)
