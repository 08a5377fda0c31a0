"""The workload simulator runs in a process of its own, at a lower CPU priority than the web's."""

import os

import pytest

from quizzes.parameters import simulator
from quizzes.rules import simulating
from quizzes.rules.scheduling import DEFAULT_PARAMETERS


@pytest.fixture
def in_its_own_process(settings):
    settings.WORKLOAD_PROCESSES = 1
    yield
    simulator.simulator_shutdown()


def _inputs() -> simulating.Inputs:
    cards = tuple(
        simulating.SimCard(
            state=2,
            step=None,
            stability=3.0 + n,
            difficulty=5.0,
            days_since_review=1,
            due_in_days=n % 4,
        )
        for n in range(20)
    )
    return simulating.Inputs(cards=cards, new_cards=10, parameters=tuple(DEFAULT_PARAMETERS))


@pytest.mark.usefixtures("in_its_own_process")
def test_a_simulation_in_its_process_is_the_one_on_the_request_thread():
    inputs = _inputs()
    assert simulator.simulate(inputs, timeout=60) == simulating.simulate(inputs)


@pytest.mark.usefixtures("in_its_own_process")
def test_the_simulators_process_runs_at_a_lower_priority():
    ours = os.nice(0)
    theirs = simulator._pool().submit(os.nice, 0).result(timeout=60)
    assert theirs == min(19, ours + simulator.SIMULATOR_NICENESS)


@pytest.mark.usefixtures("in_its_own_process")
def test_a_simulation_that_does_not_finish_in_time_fails_as_the_simulator():
    with pytest.raises(simulator.SimulatorFailed):
        simulator.simulate(_inputs(), timeout=0.0001)
