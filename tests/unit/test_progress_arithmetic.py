"""Progress arithmetic and chart geometry, without a database: streaks, forecasts, mastery."""

from datetime import date, timedelta

import pytest

from quizzes.enums import Mastery, MemoryState
from quizzes.rules import charts, stats
from quizzes.rules.stats import Known

LEARNING, REVIEW, RELEARNING = MemoryState.LEARNING, MemoryState.REVIEW, MemoryState.RELEARNING
TODAY = date(2026, 6, 10)


def days(*offsets):
    return {TODAY - timedelta(days=n) for n in offsets}


def test_streak_counts_consecutive_days_up_to_today():
    assert stats.streaks(days(0, 1, 2, 5, 6), TODAY) == (3, 3)


def test_streak_is_kept_while_today_is_not_yet_studied():
    assert stats.streaks(days(1, 2, 3), TODAY) == (3, 3)


def test_streak_is_broken_by_a_missed_day():
    assert stats.streaks(days(2, 3, 4, 5), TODAY) == (0, 4)


def test_no_reviews_means_no_streak():
    assert stats.streaks(set(), TODAY) == (0, 0)


def test_longest_streak_can_lie_in_the_past():
    assert stats.streaks(days(0, 10, 11, 12, 13, 14), TODAY) == (1, 5)


def test_forecast_counts_overdue_cards_today_and_covers_thirty_days():
    due = [TODAY - timedelta(days=4), TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=40)]
    result = stats.forecast(due, TODAY)
    assert len(result) == 30
    assert result[0] == (TODAY, 2)
    assert result[1] == (TODAY + timedelta(days=1), 1)
    assert sum(n for _d, n in result) == 3


@pytest.mark.parametrize(
    ("cards", "level"),
    [
        ([], Mastery.UNSEEN),
        ([None, None], Mastery.UNSEEN),
        ([Known(REVIEW, 0.95), Known(REVIEW, 0.9)], Mastery.STRONG),
        # A group is judged by the cards seen: one known well, one still to come, is learning
        # (neither weak for the one to come, nor strong before it is seen).
        ([Known(REVIEW, 0.95), None], Mastery.LEARNING),
        ([Known(REVIEW, 0.95), Known(REVIEW, 0.95), None], Mastery.LEARNING),
        ([Known(REVIEW, 0.3), None], Mastery.WEAK),
        ([Known(RELEARNING, 0.9), None], Mastery.WEAK),
        ([Known(LEARNING, 0.7)], Mastery.LEARNING),
        ([Known(REVIEW, 0.95), Known(RELEARNING, 0.9)], Mastery.WEAK),
        ([Known(REVIEW, 0.3)], Mastery.WEAK),
    ],
)
def test_mastery_levels(cards, level):
    assert stats.mastery_level(cards) == level


def test_bars_scale_to_the_tallest_and_handle_all_zero():
    laid = charts.bars([("a", 1), ("b", 4)], width=100, height=50)
    assert laid[1].height == 50
    assert laid[0].height == 12.5
    assert all(b.height == 0 for b in charts.bars([("a", 0)], width=10, height=10))


def test_heatmap_covers_a_year_of_days_ending_today():
    cells = charts.heatmap({TODAY: 3, TODAY - timedelta(days=1): 1}, TODAY)
    assert cells[-1].day == TODAY
    assert cells[-1].level == 4
    assert cells[-2].level == 1
    assert len(cells) >= 365


# --- the dashboard ----------------------------------------------------------------------------
