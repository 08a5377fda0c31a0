"""Every colour a chart fills or draws a line with stands out from the page, 3:1 or more, in both
schemes (WCAG 1.4.11): the light scheme's new, buried and learning states were 1.5-2.3:1, the dark
scheme's answer-button bars kept the light scheme's colours, 2.0-2.9:1, and the workload chart's
line at the learner's retention was the focus ring's gold, 1.9:1 (outside tests)."""

import colorsys
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

# A day without reviews is the calendar's empty ground (and the mastery meter's track), not a
# mark on it: it is meant to sit back, as a chart's background does.
EMPTY_GROUND = {"heat-0"}
# A chart's grid sits back behind its bars and lines in the same way.
GRID = {"line"}


def _stylesheet(name: str = "learnfrl/site.css") -> str:
    path = finders.find(name)
    assert isinstance(path, str)
    return Path(path).read_text(encoding="utf-8")


def _schedule_stylesheet() -> str:
    """The settings page's own stylesheet: the workload chart's lines and their legend."""
    return _stylesheet("quizzes/schedule.css")


def _tokens(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", block))


def _schemes(css: str) -> dict[str, dict[str, str]]:
    """Each scheme's custom properties: the light :root's, and those with the dark block's
    re-valued ones laid over them."""
    light_block = re.search(r"^:root\s*\{(.*?)^\}", css, re.S | re.M)
    dark_block = re.search(
        r"@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S
    )
    assert light_block
    assert dark_block
    light = _tokens(light_block.group(1))
    return {"light": light, "dark": light | _tokens(dark_block.group(1))}


def _colour(tokens: dict[str, str], name: str) -> tuple[int, int, int]:
    """A token's colour, following var() to the token it names."""
    value = tokens[name].strip()
    while match := re.fullmatch(r"var\(--([\w-]+)\)", value):
        value = tokens[match.group(1)].strip()
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"--{name} is {value}, not #rrggbb"
    red, green, blue = (int(value[n : n + 2], 16) for n in (1, 3, 5))
    return red, green, blue


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG's contrast ratio of two colours, 1 to 21."""
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)


def _chart_fills(css: str) -> set[str]:
    """The tokens the stylesheet fills an SVG shape with: bars, segments, calendar squares."""
    return set(re.findall(r"\bfill:\s*var\(--([\w-]+)\)", css)) - EMPTY_GROUND


def _chart_lines(css: str) -> set[str]:
    """The tokens a stylesheet draws a chart's lines with (axes, series, marks), but the grid."""
    return set(re.findall(r"\bstroke:\s*var\(--([\w-]+)\)", css)) - GRID


def _workload_marks(css: str) -> dict[str, str]:
    """The workload chart's lines and marks: class name to the token it is drawn with."""
    return dict(
        re.findall(r"\.workload-chart \.([\w-]+) \{[^}]*\bstroke:\s*var\(--([\w-]+)\)", css)
    )


def test_the_contrast_sum_is_wcags():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chart_colour_stands_out_from_the_page(scheme):
    css = _stylesheet()
    tokens = _schemes(css)[scheme]
    fills = _chart_fills(css)
    page = _colour(tokens, "bg")
    weak = {
        name: round(ratio, 2)
        for name in sorted(fills)
        if (ratio := contrast(_colour(tokens, name), page)) < 3
    }
    assert weak == {}
    # The card states, the calendar and the answer buttons were all measured.
    assert {"state-new", "state-buried", "state-learning", "heat-1", "chart-again"} <= fills


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chart_line_stands_out_from_the_page(scheme):
    """The charts' axes and the workload chart's lines and marks, the learner's retention too."""
    tokens = _schemes(_stylesheet())[scheme]
    lines = _chart_lines(_stylesheet()) | _chart_lines(_schedule_stylesheet())
    page = _colour(tokens, "bg")
    weak = {
        name: round(ratio, 2)
        for name in sorted(lines)
        if (ratio := contrast(_colour(tokens, name), page)) < 3
    }
    assert weak == {}
    marks = _workload_marks(_schedule_stylesheet())
    assert set(marks.values()) <= lines
    # Each line's key in the legend is drawn in the line's colour.
    legend = re.findall(
        r"\.legend \.mark\.([\w-]+) \{[^}]*border-color:\s*var\(--([\w-]+)\)",
        _schedule_stylesheet(),
    )
    assert dict(legend) == marks


def _hue(rgb: tuple[int, int, int]) -> tuple[float, float]:
    """A colour's hue in degrees and its saturation (0 to 1), as HSV has them."""
    hue, saturation, _ = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    return hue * 360, saturation


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_workload_mark_can_be_taken_for_the_focus_ring(scheme):
    """The focus ring is gold: a chart line of its colour, or of a hue near it, reads as a
    focused control. Each of the workload chart's lines is a grey (no hue) or a hue 60 degrees
    or more from the ring's."""
    tokens = _schemes(_stylesheet())[scheme]
    ring, _ = _hue(_colour(tokens, "focus"))
    marks = _workload_marks(_schedule_stylesheet())
    assert {"line-short", "line-kept", "suggestion-mark", "current-mark"} <= set(marks)
    near = {}
    for mark, name in marks.items():
        hue, saturation = _hue(_colour(tokens, name))
        apart = min(abs(hue - ring), 360 - abs(hue - ring))
        if name == "focus" or (saturation > 0.3 and apart < 60):
            near[mark] = name
    assert near == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "series",
    [
        ("chart-again", "chart-hard", "chart-good", "chart-easy"),
        ("state-learning", "state-review"),  # young and mature, in true retention
        (
            "state-new",
            "state-learning",
            "state-review",
            "state-relearning",
            "state-suspended",
            "state-buried",
        ),
        ("accent", "ok", "fg", "chart-current"),  # the workload chart's lines and marks
    ],
)
def test_the_series_of_a_chart_keep_colours_of_their_own(scheme, series):
    tokens = _schemes(_stylesheet())[scheme]
    colours = [_colour(tokens, name) for name in series]
    assert len(set(colours)) == len(colours)
