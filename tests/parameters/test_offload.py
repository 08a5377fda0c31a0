"""The workload simulator and the optimizer's fit run in a process of their own, at a lower CPU
priority than the web's."""

import os
import threading

import pytest

from quizzes.parameters import offload
from quizzes.rules import simulating
from quizzes.rules.scheduling import DEFAULT_PARAMETERS


@pytest.fixture
def in_its_own_process(settings):
    settings.WORKLOAD_PROCESSES = 1
    yield
    offload.offload_shutdown()


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


def a_thread_policy() -> int:
    """The scheduling class of a thread started now (fsrs-rs starts its own to fit)."""
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(os.sched_getscheduler(0)))
    thread.start()
    thread.join()
    return seen[0]


@pytest.mark.usefixtures("in_its_own_process")
def test_a_simulation_in_its_process_is_the_one_on_the_request_thread():
    inputs = _inputs()
    assert offload.offloaded(simulating.simulate, timeout=60)(inputs) == simulating.simulate(inputs)


@pytest.mark.usefixtures("in_its_own_process")
def test_the_simulators_process_runs_at_a_lower_priority():
    ours = os.nice(0)
    theirs = offload._pool().submit(os.nice, 0).result(timeout=60)
    assert theirs == min(19, ours + offload.NICENESS)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's idle scheduling class")
@pytest.mark.usefixtures("in_its_own_process")
def test_the_simulators_process_runs_only_on_a_cpu_nothing_else_wants():
    """Nice alone left it a tenth of a busy CPU, which slowed other learners' pages."""
    assert offload._pool().submit(os.sched_getscheduler, 0).result(timeout=60) == os.SCHED_IDLE


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's idle scheduling class")
@pytest.mark.usefixtures("in_its_own_process")
def test_the_threads_a_fit_starts_inherit_the_idle_class():
    assert offload._pool().submit(a_thread_policy).result(timeout=60) == os.SCHED_IDLE


@pytest.mark.usefixtures("in_its_own_process")
def test_a_simulation_that_does_not_finish_in_time_fails():
    with pytest.raises(offload.OffloadFailed):
        offload.offloaded(simulating.simulate, timeout=0.0001)(_inputs())


@pytest.mark.usefixtures("in_its_own_process")
def test_a_fit_in_its_process_is_the_one_on_this_thread():
    """The optimizer's fit (seconds on every core for a long history) runs there too."""
    from datetime import timedelta

    from quizzes.rules import optimizing
    from tests.support.schedules import UTC_DAY
    from tests.support.synthetic import START, synthetic_history

    history = synthetic_history(reviews=600, cards=30, seed=3)
    current, now = tuple(DEFAULT_PARAMETERS), START + timedelta(days=90)
    there = offload.offloaded(optimizing.fit, timeout=120)(
        history, current=current, day=UTC_DAY, now=now
    )
    here = optimizing.fit(history, current=current, day=UTC_DAY, now=now)
    assert isinstance(there, optimizing.Fit)
    assert isinstance(here, optimizing.Fit)
    assert there.parameters == pytest.approx(here.parameters)
    assert there.fitted.log_loss == pytest.approx(here.fitted.log_loss)
