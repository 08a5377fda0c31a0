"""Chart geometry, in SVG units: the dashboard's bars, stacked bar and year calendar, and the
settings page's workload lines. Pure."""

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quizzes.rules.simulating import Workload

# The workload chart's box: the settings page's SVG is drawn for it.
WORKLOAD_WIDTH, WORKLOAD_HEIGHT = 600, 180
# The most steps the workload chart's y axes are divided into (each to its own scale).
WORKLOAD_Y_STEPS = 5
# The workload chart's room beside its box on a phone: its y axes' values at 13 px fit in it, and
# with the box PHONE_WIDTH wide they are 10 px or more on a 320 px screen.
WORKLOAD_PHONE_MARGIN = 36
# A bar chart's width on a phone: with the axes' margins (60) it is the 356 px box of a 390 px
# screen, so the chart fills the box with its text at about the size the stylesheet gives it.
PHONE_WIDTH = 296


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


@dataclass(frozen=True)
class YTick:
    """A value on a chart's y axis: where its line and label go (y grows downwards)."""

    y: float
    value: float
    label: str


def nice_step(top: float, count: int = 4, *, whole: bool = False) -> float:
    """The step between y-axis values: 1, 2 or 5 times a power of ten, giving at most `count`
    steps from 0 to `top` (at least 1 when the values are `whole` numbers, as counts are)."""
    if top <= 0:
        return 1.0
    raw = max(top / count, 1.0) if whole else top / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def nice_top(peak: float, count: int = 4, *, whole: bool = False) -> float:
    """The top of a chart's y axis: the first multiple of nice_step at or above `peak` (1 for
    nothing to show), so the axis's last value is at the top and every value is under it."""
    if peak <= 0:
        return 1.0
    step = nice_step(peak, count, whole=whole)
    # The tolerance keeps a peak on a step (1.1 / 0.1 is 11.000000000000002) from a step more.
    return step * math.ceil(peak / step - 1e-9)


def y_ticks(
    top: float, *, height: float, count: int = 4, unit: str = "", whole: bool = False
) -> list[YTick]:
    """The y axis of a chart whose box is `height` tall with `top` at its top: round values
    from 0 up to `top`, each with its label (`unit` appended, e.g. "%")."""
    if top <= 0:
        return [YTick(height, 0.0, f"0{unit}")]
    step = nice_step(top, count, whole=whole)
    ticks = []
    n = 0
    while n * step <= top * (1 + 1e-9):
        value = n * step
        label = f"{value:g}" if step >= 1 else f"{value:.{-math.floor(math.log10(step))}f}"
        ticks.append(YTick(height - height * value / top, value, f"{label}{unit}"))
        n += 1
    return ticks


@dataclass(frozen=True)
class BarChart:
    """A bar chart with its axes: bars in a width × height box, the y axis's values, labels
    under the bars (every `label_every`th), and what each axis counts."""

    bars: list[Bar]
    y_ticks: list[YTick]
    x_labels: list["Tick"]
    y_title: str
    x_title: str
    unit: str
    width: float
    height: float
    noun: str = ""
    css: str = ""
    # Classes the bars take in turn (a colour per button, per young/mature), if any.
    cycle: tuple[str, ...] = ()
    # The same chart drawn narrower for a phone, which shows it whole in place of this one; a
    # chart without one keeps this width on a phone and scrolls sideways.
    phone: "BarChart | None" = None

    @property
    def body(self) -> SafeString:
        """The chart's grid, y-axis values, bars and labels as SVG. Rendered here, with plain
        string formatting (only the labels are text to escape), rather than in the template:
        a year of daily bars was most of the statistics panel's time."""
        w, h = f"{self.width:g}", self.height
        css = escape(f"bar {self.css}".strip())
        cycle: list[str] = [escape(c) for c in self.cycle] or [""]
        noun = escape(f" {self.noun}" if self.noun else "")
        unit = escape(self.unit)
        parts = [
            f'<line x1="-4" y1="{t.y:.1f}" x2="{w}" y2="{t.y:.1f}" class="grid"/>'
            f'<text x="-6" y="{t.y:.1f}" dy="4" text-anchor="end" class="tick y-tick">'
            f"{escape(t.label)}</text>"
            for t in self.y_ticks
        ]
        parts.append(
            f'<line x1="0" y1="{h:g}" x2="{w}" y2="{h:g}" class="axis"/>'
            f'<line x1="0" y1="0" x2="0" y2="{h:g}" class="axis"/>'
        )
        parts.extend(
            f'<rect x="{b.x:.2f}" y="{b.y:.2f}" width="{b.width:.2f}" height="{b.height:.2f}"'
            f' class="{css} {cycle[n % len(cycle)]}">'
            f"<title>{escape(b.label)}: {b.value:g}{unit}{noun}</title></rect>"
            for n, b in enumerate(self.bars)
        )
        parts.extend(
            f'<text x="{t.x:.1f}" y="{h + 14:g}" text-anchor="middle" class="tick x-tick">'
            f"{escape(t.label)}</text>"
            for t in self.x_labels
        )
        parts.append(
            f'<text x="{w}" y="{h + 32:g}" text-anchor="end" class="axis-title">'
            f"{escape(self.x_title)}</text>"
            f'<text x="-52" y="-12" class="axis-title">{escape(self.y_title)}</text>'
        )
        return mark_safe("".join(parts))  # every text in it is escaped above

    @property
    def view_box(self) -> str:
        """The SVG's viewBox: the box with room for the y-axis values and the axis titles."""
        return f"-52 -26 {self.width + 60:g} {self.height + 64:g}"


def bar_chart(
    values: list[tuple[str, float]],
    *,
    y_title: str,
    x_title: str,
    unit: str = "",
    top: float | None = None,
    label_every: int = 1,
    width: float = 600,
    height: float = 160,
    noun: str = "",
    css: str = "",
    cycle: tuple[str, ...] = (),
) -> BarChart:
    """Lay out a bar chart and its axes: the y axis from 0 to a round value at or above the
    tallest bar (or to `top`), so every bar can be read against the values beside it."""
    peak = max((v for _, v in values), default=0)
    whole = all(float(v).is_integer() for _, v in values)
    if top is None:
        top = nice_top(peak, whole=whole)
    laid = bars(values, width=width, height=height, top=top)
    every = max(1, label_every)
    labels = [Tick(b.x + b.width / 2, b.label) for n, b in enumerate(laid) if n % every == 0]
    return BarChart(
        bars=laid,
        y_ticks=y_ticks(top, height=height, unit=unit, whole=whole),
        x_labels=labels,
        y_title=y_title,
        x_title=x_title,
        unit=unit,
        width=width,
        height=height,
        noun=noun,
        css=css,
        cycle=cycle,
    )


def grouped(chart: BarChart, groups: list[str]) -> BarChart:
    """Label a chart's bars by group instead of one by one: bars come in runs of equal length,
    one run per group, and each group's name goes under the middle of its run."""
    size = len(chart.bars) // len(groups) if groups else 0
    labels = []
    for n, name in enumerate(groups):
        run = chart.bars[n * size : (n + 1) * size]
        if run:
            labels.append(Tick((run[0].x + run[-1].x + run[-1].width) / 2, name))
    return replace(chart, x_labels=labels)


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


def heatmap_months(cells: list[Cell]) -> list["Tick"]:
    """The calendar's month labels: each over the week column that holds the month's first day
    (a month whose first day is before the calendar's first column gets no label)."""
    return [Tick(float(c.x), f"{c.day:%b}") for c in cells if c.day.day == 1]


def heatmap_rects(cells: list[Cell]) -> SafeString:
    """Render the calendar's squares as SVG. Done here rather than in the template: a year is
    370 squares, and the template loop was most of the dashboard's rendering time. Plain string
    formatting, as `BarChart.body`: format_html's escaping of every number was about a fifth of
    the dashboard's time at 20,000 reviews; the one text, the label, is escaped."""
    return mark_safe(  # every text in it is escaped
        "".join(
            f'<rect x="{c.x}" y="{c.y}" width="10" height="10" rx="2" class="heat-{c.level}">'
            f"<title>{escape(c.label)}</title></rect>"
            for c in cells
        )
    )


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class Series:
    """A line of the chart: its points in SVG coordinates (y grows downwards)."""

    name: str
    points: tuple[ChartPoint, ...]

    @property
    def path(self) -> str:
        """The SVG path through the points: "M x,y L x,y …"."""
        return " ".join(
            f"{'M' if n == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for n, p in enumerate(self.points)
        )


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class WorkloadChart:
    """Reviews a day (30 and 365 days, one scale) and cards remembered after a year (their own
    scale) against desired retention; the most of each (`reviews_top`, `remembered_top`), each
    scale's values, and the suggestion's x."""

    reviews_short: Series
    reviews_long: Series
    remembered: Series
    reviews_top: float
    remembered_top: float
    ticks: tuple[Tick, ...]
    suggestion_x: float | None
    # The y axes: reviews a day on the left, cards remembered (their own scale) on the right.
    reviews_ticks: tuple[YTick, ...] = ()
    remembered_ticks: tuple[YTick, ...] = ()
    # Where the learner's own retention falls, if within the chart.
    current_x: float | None = None
    width: float = WORKLOAD_WIDTH
    height: float = WORKLOAD_HEIGHT
    # Room beside the box for each y axis's values.
    margin: float = 48
    # The same chart drawn narrower for a phone, shown there in place of this one: scaled to a
    # phone's width, this one's text was 5-6 px.
    phone: "WorkloadChart | None" = None

    @property
    def view_box(self) -> str:
        """The SVG's viewBox: the box, the values beside it and the percentages under it."""
        return f"{-self.margin:g} -8 {self.width + 2 * self.margin:g} {self.height + 38:g}"


def _percent(retention: float) -> str:
    return f"{round(retention * 100)}%"


def _series(
    name: str, values: list[tuple[float, float]], *, top: float, xs: list[float], height: float
) -> Series:
    """Place (retention, value) pairs at `xs`, with `top` at the top of the box."""
    points = tuple(
        ChartPoint(x, height - (height * value / top if top > 0 else 0.0), value, label)
        for x, (retention, value), label in zip(
            xs, values, (f"{_percent(r)}: {v:.1f} {name}" for r, v in values), strict=True
        )
    )
    return Series(name, points)


def workload_chart(
    workload: Workload,
    *,
    width: float = WORKLOAD_WIDTH,
    height: float = WORKLOAD_HEIGHT,
    current: float | None = None,
    margin: float = 48,
) -> WorkloadChart:
    """Lay out the simulator's outcomes as lines in a width × height box, and the learner's
    `current` retention, with `margin` beside the box for the y axes' values."""
    outcomes = workload.outcomes
    if not outcomes:
        empty = Series("", ())
        return WorkloadChart(empty, empty, empty, 0.0, 0.0, (), None, width=width, height=height)
    low, high = outcomes[0].desired_retention, outcomes[-1].desired_retention
    span = high - low

    def x_of(retention: float) -> float:
        return width * (retention - low) / span if span > 0 else width / 2

    xs = [x_of(o.desired_retention) for o in outcomes]
    reviews_top = max(max(o.reviews_per_day_short, o.reviews_per_day_long) for o in outcomes)
    remembered_top = max(o.remembered_long for o in outcomes)
    # Each y axis runs to a round value at or above its line's highest point, as a bar chart's
    # does: with the highest point at the top, the last value shown (200 of 247 cards) stopped
    # short of the line, which rose past it with nothing to read it against.
    reviews_scale = nice_top(reviews_top, WORKLOAD_Y_STEPS)
    remembered_scale = nice_top(remembered_top, WORKLOAD_Y_STEPS)
    short = [(o.desired_retention, o.reviews_per_day_short) for o in outcomes]
    long = [(o.desired_retention, o.reviews_per_day_long) for o in outcomes]
    kept = [(o.desired_retention, o.remembered_long) for o in outcomes]
    ticks = tuple(
        Tick(x_of(o.desired_retention), _percent(o.desired_retention))
        for o in outcomes
        if round(o.desired_retention * 100) % 5 == 0
    )
    current_x = None
    if current is not None and span > 0 and low <= current <= high:
        current_x = x_of(current)
    return WorkloadChart(
        reviews_short=_series(
            "reviews a day, next 30 days", short, top=reviews_scale, xs=xs, height=height
        ),
        reviews_long=_series(
            "reviews a day, next 365 days", long, top=reviews_scale, xs=xs, height=height
        ),
        remembered=_series(
            "cards remembered in a year", kept, top=remembered_scale, xs=xs, height=height
        ),
        reviews_top=reviews_top,
        remembered_top=remembered_top,
        ticks=ticks,
        suggestion_x=None if workload.suggestion is None else x_of(workload.suggestion),
        reviews_ticks=tuple(y_ticks(reviews_scale, height=height, count=WORKLOAD_Y_STEPS)),
        remembered_ticks=tuple(y_ticks(remembered_scale, height=height, count=WORKLOAD_Y_STEPS)),
        current_x=current_x,
        width=width,
        height=height,
        margin=margin,
    )
