"""The statistics panel: Anki's graphs, each a chart with labelled axes and a table behind it.

Loaded on demand: the dashboard asks for it (htmx) when it scrolls into view, and links to it as
a page of its own without JavaScript, so the dashboard's first paint stays cheap.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from quizzes.bank.cache import bank_current
from quizzes.enums import Rating
from quizzes.progress.figures import FIGURES_SECONDS, progress_figures_key
from quizzes.progress.forms import StatisticsForm
from quizzes.progress.statistics import Day, Statistics, statistics
from quizzes.rules import charts
from quizzes.rules.ankistats import Bin, CardKind
from quizzes.rules.charts import BarChart
from quizzes.study.selectors import study_profile
from quizzes.web import LearnerRequest, one_at_a_time, page

PAGE = "quizzes/progress_statistics.html"


def _percent(share: float | None) -> float:
    return 0.0 if share is None else round(100 * share, 1)


def _fitted(draw: Callable[[float, int], BarChart]) -> BarChart:
    """A chart of a few bars, drawn by `draw(width, label_every)` for a desktop and again for a
    phone, where it fills the screen's width whole with every other bar labelled: kept at a
    desktop's width in a box scrolled sideways, the recall chart's bars were all out of sight
    (an outside test)."""
    return replace(draw(600, 1), phone=draw(charts.PHONE_WIDTH, 2))


def _bins(bins: list[Bin], *, y_title: str, x_title: str) -> BarChart:
    values = [(b.label, float(b.count)) for b in bins]
    return _fitted(
        lambda width, every: charts.bar_chart(
            values,
            y_title=y_title,
            x_title=x_title,
            noun="cards",
            width=width,
            label_every=every,
        )
    )


def _day_rows(days: list[Day], *columns: Callable[[Day], object]) -> SafeString:
    """The rows of a per-day table, for the days with reviews: rendered here, not in the
    template, as all time is a row a day for years."""
    return format_html_join(
        "",
        "<tr><td>{}</td>" + "<td>{}</td>" * len(columns) + "</tr>",
        (
            (f"{d.day:%a} {d.day.day} {d.day:%b %Y}", *(column(d) for column in columns))
            for d in days
            if d.reviews
        ),
    )


def _charts(s: Statistics) -> dict[str, BarChart]:
    log, cards = s.log, s.cards
    presses = [
        (f"{row.kind.label}, {Rating(n + 1).label}", float(c))
        for row in log.buttons
        for n, c in enumerate(row.counts)
    ]
    buttons = _fitted(
        lambda width, _every: charts.grouped(
            charts.bar_chart(
                presses,
                y_title="Presses",
                noun="presses",
                cycle=tuple(f"rating-{rating}" for rating in Rating),
                x_title="Again, Hard, Good, Easy for each card type",
                width=width,
            ),
            [kind.label for kind in CardKind],
        )
    )
    retention = charts.bar_chart(
        [
            (f"{r.period.label}, {kind}", _percent(share))
            for r in log.retention
            for kind, share in (("young", r.young), ("mature", r.mature))
        ],
        y_title="Passed",
        noun="passed",
        cycle=("young", "mature"),
        x_title="Young, then mature cards, by period",
        unit="%",
        top=100,
    )
    every = max(1, len(log.days) // 6)
    return {
        "buttons": buttons,
        "retention": charts.grouped(retention, [r.period.label for r in log.retention]),
        "hours": charts.bar_chart(
            [(h.label, h.total) for h in log.hours],
            y_title="Reviews",
            noun="reviews",
            x_title="Hour of the day",
            label_every=3,
        ),
        "success": charts.bar_chart(
            [(h.label, _percent(h.success)) for h in log.hours],
            y_title="Not Again",
            noun="not Again",
            x_title="Hour of the day",
            unit="%",
            top=100,
            label_every=3,
        ),
        "time": charts.bar_chart(
            [(d.day.strftime("%-d %b"), round(d.minutes, 1)) for d in log.days],
            y_title="Minutes",
            noun="minutes",
            x_title="Day",
            label_every=every,
        ),
        "introduced": charts.bar_chart(
            [(d.day.strftime("%-d %b"), d.introduced) for d in log.days],
            y_title="New cards",
            noun="new cards",
            x_title="Day",
            label_every=every,
        ),
        "intervals": _bins(cards.intervals, y_title="Cards", x_title="Interval (days)"),
        "stability": _bins(cards.stability, y_title="Cards", x_title="Stability (days)"),
        "difficulty": _bins(cards.difficulty, y_title="Cards", x_title="Difficulty"),
        "recall": _bins(cards.recall, y_title="Cards", x_title="Recall now"),
    }


@login_required
@require_safe
@one_at_a_time
def progress_statistics(request: LearnerRequest) -> HttpResponse:
    """The statistics over the range asked for: the panel for htmx, a page otherwise. The panel
    is rendered once and reused, in the cache, while nothing of the learner's changes (a key
    made as the dashboard's figures', progress_figures_key)."""
    form = StatisticsForm(request.GET)
    range_days = form.cleaned_or_bad_request()["range"]
    if not request.htmx:
        return page(request, PAGE, _context(request, form, range_days, own_page=True))
    own_page = _asked_from_own_page(request)
    now = timezone.now()
    part = f"statistics{'-page' if own_page else ''}:{range_days}"
    key = progress_figures_key(user=request.user, now=now, part=part, bank=bank_current())
    html = cache.get(key)
    if html is None:
        context = _context(request, form, range_days, now, own_page=own_page)
        html = render_to_string(f"{PAGE}#panel", context, request)
        cache.set(key, html, timeout=FIGURES_SECONDS)
    return HttpResponse(html)


def _asked_from_own_page(request: LearnerRequest) -> bool:
    """Whether htmx asked from the statistics' own page (the range changed there): the panel is
    then shown as that page shows it. A header no browser sends (`http://[::1`, which urlsplit
    refuses) is asked from elsewhere, not a 500."""
    try:
        path = urlsplit(request.htmx.current_url or "").path
    except ValueError:
        return False
    return path == request.path


def _context(
    request: LearnerRequest,
    form: StatisticsForm,
    range_days: int | None,
    now: datetime | None = None,
    *,
    own_page: bool,
) -> dict[str, Any]:
    figures = statistics(
        user=request.user,
        now=now or timezone.now(),
        schedule=study_profile(user=request.user).schedule,
        range_days=range_days,
    )
    return {
        # On its own page the page's h1 names the panel, and its parts are the page's h2s; in
        # the dashboard it has its own h2 ("Statistics" twice on the page, an outside test).
        "own_page": own_page,
        "part_level": 2 if own_page else 3,
        "st": figures,
        "form": form,
        "range_value": "all" if range_days is None else str(range_days),
        "charts": _charts(figures),
        "log_days": sum(1 for d in figures.log.days if d.reviews),
        "time_rows": _day_rows(figures.log.days, lambda d: d.reviews, lambda d: f"{d.minutes:.1f}"),
        "introduced_rows": _day_rows(figures.log.days, lambda d: d.introduced),
    }
