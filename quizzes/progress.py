"""The arithmetic of progress: streaks, forecasts, mastery levels and chart geometry. Pure."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html_join

from quizzes.enums import MemoryState

UNSEEN, WEAK, LEARNING_LEVEL, STRONG = "unseen", "weak", "learning", "strong"
MASTERY_LABELS = {
    UNSEEN: "Not seen yet",
    WEAK: "Weak",
    LEARNING_LEVEL: "Learning",
    STRONG: "Strong",
}
STRONG_RECALL = 0.85
WEAK_RECALL = 0.6


def streaks(review_days: Iterable[date], today: date) -> tuple[int, int]:
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
    return current, longest


def forecast(due_days: Iterable[date], today: date, days: int = 30) -> list[tuple[date, int]]:
    """Count cards due on each of the next `days` days; overdue cards count on today."""
    counts = {today + timedelta(days=n): 0 for n in range(days)}
    for day in due_days:
        key = max(day, today)
        if key in counts:
            counts[key] += 1
    return sorted(counts.items())


def mastery_level(cards: list[tuple[int, float] | None]) -> str:
    """Say how well a group of questions is known from each card's (state, recall now).

    None stands for a question the learner has not seen. Unseen questions count as zero recall.
    """
    if not cards or all(c is None for c in cards):
        return UNSEEN
    recalls = [c[1] if c else 0.0 for c in cards]
    mean = sum(recalls) / len(recalls)
    states = [c[0] for c in cards if c]
    if mean < WEAK_RECALL or MemoryState.RELEARNING in states:
        return WEAK
    if (
        mean >= STRONG_RECALL
        and len(states) == len(cards)
        and all(s == MemoryState.REVIEW for s in states)
    ):
        return STRONG
    return LEARNING_LEVEL


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str


def bars(
    values: list[tuple[str, float]], *, width: float, height: float, top: float | None = None
) -> list[Bar]:
    """Lay out a bar chart in a width × height box (y grows downwards, as in SVG)."""
    if not values:
        return []
    peak = top if top is not None else max((v for _, v in values), default=0)
    slot = width / len(values)
    gap = min(2.0, slot * 0.2)
    result = []
    for i, (label, value) in enumerate(values):
        h = 0.0 if peak <= 0 else height * value / peak
        result.append(Bar(i * slot + gap / 2, height - h, slot - gap, h, value, label))
    return result


def stack(values: list[tuple[str, float]], *, width: float) -> list[Bar]:
    """Lay out values as segments of one horizontal bar of the given width."""
    total = sum(v for _, v in values)
    segments, x = [], 0.0
    for label, value in values:
        w = 0.0 if total <= 0 else width * value / total
        segments.append(Bar(x, 0.0, w, 0.0, value, label))
        x += w
    return segments


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    day: date
    count: int
    level: int

    @property
    def label(self) -> str:
        return f"{self.day:%a} {self.day.day} {self.day:%b %Y}: {self.count} review" + (
            "" if self.count == 1 else "s"
        )


def heatmap(counts: dict[date, int], today: date, weeks: int = 53, size: int = 11) -> list[Cell]:
    """Lay out a year of days as a calendar: a column per week (Monday on top), shaded 0–4."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    peak = max(counts.values(), default=0)
    cells = []
    day = first
    while day <= today:
        count = counts.get(day, 0)
        level = 0 if count == 0 else 1 + min(3, (3 * (count - 1)) // max(1, peak - 1))
        cells.append(
            Cell(((day - first).days // 7) * size, day.weekday() * size, day, count, level)
        )
        day += timedelta(days=1)
    return cells


def heatmap_rects(cells: list[Cell]) -> str:
    """Render the calendar's squares as SVG. Done here rather than in the template: a year is
    370 squares, and the template loop was most of the dashboard's rendering time."""
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" rx="2" class="heat-{}">'
        "<title>{}</title></rect>",
        ((c.x, c.y, c.level, c.label) for c in cells),
    )
