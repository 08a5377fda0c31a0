"""Chart axes, without a database: the values beside the y axis and the calendar's months."""

from datetime import date

import pytest

from quizzes.rules import charts
from quizzes.rules.simulating import Outcome, Workload


@pytest.mark.parametrize(
    ("peak", "labels"),
    [
        (3, ["0", "1", "2", "3"]),
        (7, ["0", "2", "4", "6", "8"]),
        (37, ["0", "10", "20", "30", "40"]),
        (100, ["0", "50", "100"]),
        (0, ["0", "1"]),
    ],
)
def test_a_count_charts_y_axis_runs_in_round_steps_to_at_least_the_tallest_bar(peak, labels):
    chart = charts.bar_chart([("a", peak)], y_title="Reviews", x_title="Day", height=160)
    assert [t.label for t in chart.y_ticks] == labels
    top = chart.y_ticks[-1]
    assert top.y == 0  # the last value sits at the top of the box
    assert chart.y_ticks[0].y == 160  # and 0 on the x axis
    # The bar is drawn to the same scale as the values beside it.
    assert chart.bars[0].height == pytest.approx(160 * peak / top.value)


def test_a_percent_chart_labels_its_values_with_the_unit():
    chart = charts.bar_chart(
        [("a", 40)], y_title="Score", x_title="Quiz", unit="%", top=100, height=160
    )
    assert [t.label for t in chart.y_ticks] == ["0%", "50%", "100%"]
    assert chart.bars[0].height == pytest.approx(64)


def test_only_every_nth_bar_is_labelled():
    chart = charts.bar_chart(
        [(str(n), n) for n in range(30)], y_title="Cards", x_title="Day", label_every=7
    )
    assert [t.label for t in chart.x_labels] == ["0", "7", "14", "21", "28"]


def test_fractions_get_decimal_values():
    assert [t.label for t in charts.y_ticks(0.8, height=100)] == ["0.0", "0.2", "0.4", "0.6", "0.8"]


def test_the_heatmap_labels_each_month_over_the_week_of_its_first_day():
    cells = charts.heatmap({}, date(2026, 6, 10))
    months = charts.heatmap_months(cells)
    first = {c.day: c for c in cells}
    assert [m.label for m in months] == [
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    ]  # fmt: skip
    assert months[-1].x == first[date(2026, 6, 1)].x


def test_the_workload_charts_y_axes_run_to_a_round_value_over_their_lines():
    """Each y axis ran to its line's highest point, so the last value shown stopped short of the
    line (200 of 247 cards remembered, an outside test): it now runs to a round value at or
    above it, its last value at the top of the box, as a bar chart's does."""
    outcomes = tuple(
        Outcome(
            desired_retention=r / 100,
            reviews_per_day_short=r / 10,
            reviews_per_day_long=r / 20,
            remembered_short=2 * r,
            remembered_long=3 * r,
        )
        for r in (70, 80, 90)
    )
    chart = charts.workload_chart(Workload(outcomes=outcomes, suggestion=None), height=180)
    assert [t.label for t in chart.reviews_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert chart.reviews_ticks[-1].y == 0
    assert [t.label for t in chart.remembered_ticks] == ["0", "100", "200", "300"]
    assert chart.remembered_ticks[-1].y == 0
    # The lines are drawn to the scale of the values beside them: 9 reviews at 9/10 of the box.
    assert chart.reviews_short.points[-1].y == pytest.approx(180 - 180 * 9 / 10)
    assert chart.remembered.points[-1].y == pytest.approx(180 - 180 * 270 / 300)
    # What the description says is still the most of each line, not the axis's top.
    assert (chart.reviews_top, chart.remembered_top) == (9, 270)


def test_the_workload_chart_marks_the_learners_retention_at_its_own_width():
    outcomes = tuple(
        Outcome(
            desired_retention=r / 100,
            reviews_per_day_short=1.0,
            reviews_per_day_long=1.0,
            remembered_short=1.0,
            remembered_long=1.0,
        )
        for r in (70, 80, 90)
    )
    workload = Workload(outcomes=outcomes, suggestion=None)
    phone = charts.workload_chart(workload, width=charts.PHONE_WIDTH, current=0.85)
    assert phone.current_x == pytest.approx(charts.PHONE_WIDTH * 0.75)
    assert phone.view_box == f"-48 -8 {charts.PHONE_WIDTH + 96} 218"
    assert charts.workload_chart(workload, current=0.95).current_x is None
    assert charts.workload_chart(workload).current_x is None
