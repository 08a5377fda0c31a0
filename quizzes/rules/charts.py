"""Chart geometry for the dashboard: bars, a stacked bar and a year calendar, in SVG units. Pure."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html_join


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
