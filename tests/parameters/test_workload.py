"""The workload simulator on the settings page: on demand, for this learner, cached by inputs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.enums import MemoryState
from quizzes.limits import RETENTION_MAX, RETENTION_MIN
from quizzes.models import CardHold, CardState
from quizzes.rules import simulating
from quizzes.rules.scheduling import DEFAULT_PARAMETERS
from tests.factories import (
    CardHoldFactory,
    CardStateFactory,
    QuestionFactory,
    StudyProfileFactory,
)
from tests.helpers import HX
from tests.html import Element, elements, find

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def learner(user):
    """A learner with 12 cards in review and 8 questions not started."""
    questions = QuestionFactory.create_batch(20)
    for n, question in enumerate(questions[:12]):
        CardStateFactory(
            user=user,
            question=question,
            state=MemoryState.REVIEW,
            stability=2.0 + n,
            difficulty=4.0 + n % 4,
            last_review=NOW - timedelta(days=1 + n % 3),
            due=NOW + timedelta(days=n % 5),
        )
    StudyProfileFactory(user=user, desired_retention=0.88, new_per_day=5)
    return user


@pytest.fixture
def simulations(monkeypatch):
    """Count the simulator's runs (the real simulator still runs)."""
    calls = []
    real = simulating.simulate

    def counted(inputs):
        calls.append(inputs)
        return real(inputs)

    monkeypatch.setattr(simulating, "simulate", counted)
    return calls


def test_the_settings_page_offers_the_simulator_without_running_it(
    learner_client, learner, simulations
):
    response = learner_client.get(reverse("quizzes:study_settings"))
    assert response.context_data["workload"] is None
    assert simulations == []
    assert "Show what each retention costs" in response.content.decode()


def test_the_simulator_covers_70_to_97_percent_for_this_learners_cards(
    learner_client, learner, simulations
):
    response = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    view = response.context_data["workload"]
    retentions = [o.desired_retention for o in view.workload.outcomes]
    assert retentions[0] == 0.70
    assert retentions[-1] == 0.97
    assert len(retentions) == 28
    assert (view.cards, view.new_cards) == (12, 8)
    (inputs,) = simulations
    assert inputs.limits.new_per_day == 5
    assert inputs.suggest_within == (RETENTION_MIN, RETENTION_MAX)
    assert RETENTION_MIN <= view.workload.suggestion <= RETENTION_MAX
    # More retention, more reviews over the year.
    assert (
        view.workload.outcomes[-1].reviews_per_day_long
        > view.workload.outcomes[0].reviews_per_day_long
    )


def test_the_chart_has_a_title_a_description_a_table_and_the_suggestion_marked(
    learner_client, learner
):
    response = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    html = response.content.decode()
    view = response.context_data["workload"]
    assert "<html" not in html
    assert 'role="img"' in html
    assert "<title " in html
    assert "<desc " in html
    assert 'class="suggestion-mark"' in html
    assert html.count('<tr class="suggested">') == 1
    assert f"{round(view.workload.suggestion * 100)}% (suggested)" in html
    assert view.current_x == pytest.approx(600 * (0.88 - 0.70) / (0.97 - 0.70))


def test_without_javascript_the_simulator_is_the_settings_page_with_the_chart(
    learner_client, learner
):
    response = learner_client.get(reverse("quizzes:schedule_workload"))
    html = response.content.decode()
    assert "<html" in html
    assert 'id="workload-title"' in html
    assert "Save settings" in html
    assert response.context_data["workload"] is not None


def test_without_javascript_the_simulator_opens_at_its_result(learner_client, learner):
    """The result is some 3,500 px down the settings page, which opened at its top (an outside
    test): the form's address leads to the result; htmx still asks for the part alone."""
    workload_url = reverse("quizzes:schedule_workload")
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    form = find(html, "form", hx_get=workload_url)
    assert form.attrs["action"] == f"{workload_url}#workload"
    result = learner_client.get(workload_url).content.decode()
    assert find(result, "section", id="workload").attrs["aria-labelledby"] == "workload-title"


def test_the_result_is_cached_until_its_inputs_change(learner_client, learner, simulations, frozen):
    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert len(simulations) == 1

    learner.study_profile.desired_retention = 0.9  # not an input: the grid is the same
    learner.study_profile.save()
    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert len(simulations) == 1

    learner.study_profile.max_reviews_per_day = 50  # an input
    learner.study_profile.save()
    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert len(simulations) == 2
    assert simulations[0].cache_key != simulations[1].cache_key


def test_the_simulator_uses_the_learners_own_parameters(learner_client, learner, simulations):
    own = list(DEFAULT_PARAMETERS)
    own[0] = 0.5
    learner.study_profile.parameters = own
    learner.study_profile.save()
    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert simulations[0].parameters == tuple(own)


def test_the_simulator_stays_within_its_query_budget(
    learner_client, learner, django_assert_max_num_queries
):
    # Session, user, profile, the learner's fingerprint (the cheap key), holds, cards, the review
    # log's count and latest id, the log itself (rating habits), the optimize panel's two, and
    # four to load the question bank into a cold cache.
    with django_assert_max_num_queries(14):
        learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    # Again: the fingerprint finds the result; neither the cards nor the log are read.
    with django_assert_max_num_queries(7) as queries:
        learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert not _reads_the_inputs(queries)


def _reads_the_inputs(queries) -> bool:
    """Whether any of the captured queries read the learner's cards or holds, as the ORM does
    (naming the table's columns; the fingerprint's one query reads them by alias)."""
    tables = (CardState._meta.db_table, CardHold._meta.db_table)
    return any(
        f'"{table}"."' in sql
        for sql in (q["sql"] for q in queries.captured_queries)
        for table in tables
    )


def test_a_suspension_is_a_new_input_found_without_reading_the_inputs_again(
    learner_client, learner, simulations
):
    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    CardHoldFactory(user=learner, question=CardState.objects.filter(user=learner)[0].question)
    view = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX).context_data[
        "workload"
    ]
    assert view.cards == 11
    assert len(simulations) == 2


def test_a_refusal_while_one_runs_does_not_read_the_inputs(
    learner_client, learner, simulations, django_assert_max_num_queries
):
    from django.core.cache import cache

    cache.set(f"learnfrl:workload-running:{learner.pk}", True, 60)  # one is running
    with django_assert_max_num_queries(12) as queries:
        refused = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert "already running" in refused.context_data["workload_notice"]
    assert not _reads_the_inputs(queries)


def test_a_refusal_once_the_hours_simulations_are_spent_does_not_read_the_inputs(
    learner_client, learner, simulations, settings, django_assert_max_num_queries
):
    settings.WORKLOAD_RATE = "1/h"
    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    learner.study_profile.new_per_day = 6  # a new input
    learner.study_profile.save()
    with django_assert_max_num_queries(12) as queries:
        refused = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert "many times this hour" in refused.context_data["workload_notice"]
    assert not _reads_the_inputs(queries)
    assert len(simulations) == 1


def test_suspended_cards_are_left_out_and_buried_ones_kept(learner_client, learner, simulations):
    studied = CardState.objects.filter(user=learner).order_by("id")
    CardHoldFactory(user=learner, question=studied[0].question)  # suspended
    CardHoldFactory(user=learner, question=studied[1].question, buried=True)
    unstarted = QuestionFactory()
    CardHoldFactory(user=learner, question=unstarted)  # a new card, suspended
    view = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX).context_data[
        "workload"
    ]
    assert (view.cards, view.new_cards) == (11, 8)


# --- bounded: one at a time, and a rate, per learner --------------------------------------------


def test_a_second_simulation_while_one_runs_is_not_started(learner_client, learner, simulations):
    from django.core.cache import cache

    cache.set(f"learnfrl:workload-running:{learner.pk}", True, 60)  # one is running
    response = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert response.status_code == 200
    assert simulations == []
    assert response.context_data["workload"] is None
    assert "already running" in response.context_data["workload_notice"]
    assert "already running" in response.content.decode()


def test_simulations_not_in_the_cache_are_limited_per_learner(
    learner_client, learner, other_user, simulations, settings, client
):
    settings.WORKLOAD_RATE = "2/h"
    profile = learner.study_profile
    for new_per_day in (5, 6):  # a new input each time: not in the cache
        profile.new_per_day = new_per_day
        profile.save()
        assert learner_client.get(reverse("quizzes:schedule_workload"), headers=HX).context_data[
            "workload"
        ]
    # A cached result is still shown: it costs nothing.
    profile.new_per_day = 5
    profile.save()
    assert learner_client.get(reverse("quizzes:schedule_workload"), headers=HX).context_data[
        "workload"
    ]
    profile.new_per_day = 7
    profile.save()
    refused = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert refused.context_data["workload"] is None
    assert "many times this hour" in refused.context_data["workload_notice"]
    assert len(simulations) == 2
    # Another learner has a limit of their own.
    client.force_login(other_user)
    assert client.get(reverse("quizzes:schedule_workload"), headers=HX).context_data["workload"]


def test_the_running_slot_is_freed_after_a_simulation(learner_client, learner):
    from django.core.cache import cache

    learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert cache.get(f"learnfrl:workload-running:{learner.pk}") is None


def test_the_chart_shows_values_on_both_y_axes(learner_client, learner):
    response = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    html = response.content.decode()
    chart = response.context_data["workload"].chart
    assert len(chart.reviews_ticks) >= 2
    assert len(chart.remembered_ticks) >= 2
    for tick in (*chart.reviews_ticks, *chart.remembered_ticks):
        assert f">{tick.label}</text>" in html
    assert "(left axis)" in html
    assert "(right axis" in html


def _drawings(html: str) -> list[list[Element]]:
    """The lines and texts of each of the page's charts, in the order they are drawn."""
    drawings: list[list[Element]] = []
    for element in elements(html):
        if element.tag == "svg":
            drawings.append([])
        elif element.tag in {"line", "text"} and drawings:
            drawings[-1].append(element)
    return drawings


def test_the_charts_axes_span_its_lines_and_its_values_sit_on_their_ticks(learner_client, learner):
    """The x axis was drawn under the grid, whose dashed zero line hid it, and each percentage
    began at its tick instead of being centred on it (an outside test). So in both drawings, a
    desktop's and a phone's."""
    response = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    desktop = response.context_data["workload"].chart
    drawn = _drawings(response.content.decode())
    assert len(drawn) == 2
    for chart, svg in zip((desktop, desktop.phone), drawn, strict=True):
        _assert_axes_span_the_lines(chart, svg)


def _assert_axes_span_the_lines(chart, svg):
    points = chart.reviews_long.points
    first, last = points[0].x, points[-1].x
    lines = (chart.reviews_short.points, points, chart.remembered.points)

    def at(element, name):
        return float(element.attrs[name])

    def length(line, start, end):
        return at(line, end) - at(line, start)

    axes = [e for e in svg if e.tag == "line" and e.has_class("axis")]
    (x_axis,) = [e for e in axes if at(e, "y1") == at(e, "y2") and length(e, "x1", "x2") > 4]
    base = at(x_axis, "y1")
    assert (at(x_axis, "x1"), at(x_axis, "x2")) == (first, last) == (0, chart.width)
    assert base == chart.reviews_ticks[0].y == chart.height
    assert base >= max(p.y for line in lines for p in line)
    y_axes = [e for e in axes if at(e, "x1") == at(e, "x2") and length(e, "y1", "y2") > 4]
    assert [(at(e, "x1"), at(e, "y1"), at(e, "y2")) for e in y_axes] == [
        (first, 0, base),
        (last, 0, base),
    ]
    # The axes are drawn after the grid, over it.
    grid = [n for n, e in enumerate(svg) if e.has_class("grid")]
    assert max(grid) < min(svg.index(e) for e in (x_axis, *y_axes))
    # Each percentage is centred under a tick of its own on the x axis.
    labels = [e for e in svg if e.tag == "text" and at(e, "y") > base]
    assert [e.text for e in labels] == [t.label for t in chart.ticks]
    stubs = {at(e, "x1") for e in axes if at(e, "x1") == at(e, "x2") and at(e, "y1") == base}
    for label in labels:
        assert label.attrs.get("text-anchor") == "middle"
        assert at(label, "x") in stubs
    # The values beside the y axes are centred on their ticks' height, whatever the text's size.
    for label in (e for e in svg if e.has_class("y-tick")):
        assert label.attrs.get("dominant-baseline") == "central"


def test_a_simulation_that_fails_in_its_process_is_a_notice_not_an_error(
    learner_client, learner, monkeypatch
):
    from quizzes.parameters import selectors
    from quizzes.parameters.offload import OffloadFailed

    def late(function, *, timeout, waiting_most=None):
        def call(*args):
            raise OffloadFailed

        return call

    monkeypatch.setattr(selectors, "offloaded", late)
    response = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert response.status_code == 200
    assert "did not finish in time" in response.context_data["workload_notice"]


def test_a_busy_simulator_says_so_at_once_and_spends_nothing(
    learner_client, learner, simulations, settings, monkeypatch
):
    """Every request thread of a web process could wait for its one simulator process (an
    outside audit: eight learners at once held them all, and a bystander's /study/ took 3.8 s);
    one past WORKLOAD_WAITING is told the simulator is busy, and its hour is not spent."""
    from quizzes.parameters import offload

    settings.WORKLOAD_PROCESSES = 1
    settings.WORKLOAD_RATE = "1/h"
    monkeypatch.setattr(offload, "_waiting", settings.WORKLOAD_WAITING)  # others are waiting
    refused = learner_client.get(reverse("quizzes:schedule_workload"), headers=HX)
    assert refused.context_data["workload"] is None
    assert "busy with other learners" in refused.context_data["workload_notice"]
    assert simulations == []
    assert offload._pools == {}  # no process was started for it
    # Once the others are done, the learner's one simulation of the hour is still theirs.
    monkeypatch.setattr(offload, "_waiting", 0)
    settings.WORKLOAD_PROCESSES = 0  # run here, where the counting stand-in is
    assert learner_client.get(reverse("quizzes:schedule_workload"), headers=HX).context_data[
        "workload"
    ]
