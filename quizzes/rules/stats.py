"""The arithmetic of progress: streaks, forecasts and mastery levels. Pure."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from quizzes.enums import Mastery, MemoryState

# One definition of "weak", for the article map's marks and for the quiz's pick of weak cards:
# recall now below 0.6. The quiz used 0.85 and the map 0.6 (with 0.85 for "strong"); 0.6 keeps the
# page a learner reads (the map's legend) as it was, and matches what the README promises of the
# quiz ("likely to be forgotten now"): a card at 0.8 is not. The quiz still puts a card forgotten
# before among its weak ones, as the map marks a sentence with a relearning card weak.
WEAK_RECALL = 0.6
STRONG_RECALL = 0.85


class Streaks(NamedTuple):
    current: int
    longest: int


class DueDay(NamedTuple):
    day: date
    cards: int


class Known(NamedTuple):
    """A seen card of a group: its state and how likely it is recalled now."""

    state: int
    recall: float


def streaks(review_days: Iterable[date], today: date) -> Streaks:
    """Return (current, longest) runs of consecutive days with at least one review.

    The current streak still counts when today has no review yet but yesterday had one: the day
    is not over.
    """
    days = sorted(set(review_days))
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    present = set(days)
    cursor = today if today in present else today - timedelta(days=1)
    current = 0
    while cursor in present:
        current += 1
        cursor -= timedelta(days=1)
    return Streaks(current, longest)


def goal_streak(reviews_by_day: dict[date, int], today: date, goal: int) -> int:
    """Days in a row on which the learner's reviews reached their daily goal (0 with no goal).

    As with the streak, today counts once the goal is reached, and until then the run up to
    yesterday still stands: the day is not over.
    """
    if goal <= 0:
        return 0
    cursor = today if reviews_by_day.get(today, 0) >= goal else today - timedelta(days=1)
    run = 0
    while reviews_by_day.get(cursor, 0) >= goal:
        run += 1
        cursor -= timedelta(days=1)
    return run


def forecast(due_days: Iterable[date], today: date, days: int = 30) -> list[DueDay]:
    """Count cards due on each of the next `days` days; overdue cards count on today."""
    counts = {today + timedelta(days=n): 0 for n in range(days)}
    for day in due_days:
        key = max(day, today)
        if key in counts:
            counts[key] += 1
    return [DueDay(day, cards) for day, cards in sorted(counts.items())]


def is_weak_recall(recall: float) -> bool:
    """Whether a card (or a group's mean) recalled with this probability now is weak."""
    return recall < WEAK_RECALL


def mastery_level(cards: list[Known | None]) -> Mastery:
    """Say how well a group of questions is known from each card's state and recall now.

    None stands for a question the learner has not seen. The level reads the cards seen: a
    sentence whose one question seen is known well is not weak because its other question is
    still to come (the siblings rule holds a fact's other questions back to the next day, so
    after a first session nearly every sentence of two questions had read "weak", however
    well it was answered). It is strong only once every question is seen and known well.
    """
    seen = [c for c in cards if c is not None]
    if not seen:
        return Mastery.UNSEEN
    mean = seen_recall(cards)
    states = [c.state for c in seen]
    if is_weak_recall(mean) or MemoryState.RELEARNING in states:
        return Mastery.WEAK
    if (
        mean >= STRONG_RECALL
        and len(seen) == len(cards)
        and all(s == MemoryState.REVIEW for s in states)
    ):
        return Mastery.STRONG
    return Mastery.LEARNING


def seen_recall(cards: list[Known | None]) -> float:
    """The mean recall now of a group's cards the learner has seen (0 with none seen): what the
    article map says as "your recall", over the questions it counts as seen."""
    seen = [c.recall for c in cards if c is not None]
    return sum(seen) / len(seen) if seen else 0.0
