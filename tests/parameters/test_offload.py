"""The workload simulator and the optimizer's fit run in a process of their own, at a lower CPU
priority than the web's."""

import os
import threading
import time

import pytest

from quizzes.parameters import offload
from quizzes.rules import simulating
from quizzes.rules.scheduling import DEFAULT_PARAMETERS
from tests.support.waiting import pid_then_wait, refuse_to_start


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
    theirs = offload._pool().schedule(os.nice, args=(0,)).result(timeout=60)
    assert theirs == min(19, ours + offload.NICENESS)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's idle scheduling class")
@pytest.mark.usefixtures("in_its_own_process")
def test_the_simulators_process_runs_only_on_a_cpu_nothing_else_wants():
    """Nice alone left it a tenth of a busy CPU, which slowed other learners' pages."""
    policy = offload._pool().schedule(os.sched_getscheduler, args=(0,))
    assert policy.result(timeout=60) == os.SCHED_IDLE


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's idle scheduling class")
@pytest.mark.usefixtures("in_its_own_process")
def test_the_threads_a_fit_starts_inherit_the_idle_class():
    assert offload._pool().schedule(a_thread_policy).result(timeout=60) == os.SCHED_IDLE


@pytest.mark.usefixtures("in_its_own_process")
def test_a_simulation_that_does_not_finish_in_time_fails():
    with pytest.raises(offload.OffloadFailed):
        offload.offloaded(simulating.simulate, timeout=0.0001)(_inputs())


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.usefixtures("in_its_own_process")
def test_a_computation_its_caller_stopped_waiting_for_is_stopped(tmp_path):
    """Left running, a fit late for its worker went on to its end, and every later computation
    of that process waited behind it."""
    inputs = _inputs()
    # The process started first, so the wait below is the computation's alone.
    assert offload.offloaded(simulating.simulate, timeout=60)(inputs) == simulating.simulate(inputs)
    said = tmp_path / "pid"
    with pytest.raises(offload.OffloadFailed):
        offload.offloaded(pid_then_wait, timeout=3)(str(said))
    assert gone(int(said.read_text()), within=10)
    # Another process takes its place.
    assert offload.offloaded(simulating.simulate, timeout=60)(inputs) == simulating.simulate(inputs)


@pytest.mark.usefixtures("in_its_own_process")
def test_a_computation_whose_process_dies_fails_and_the_next_runs(tmp_path):
    said = tmp_path / "pid"
    killer = threading.Thread(target=_kill_when_said, args=(said,))
    killer.start()
    with pytest.raises(offload.OffloadFailed):
        offload.offloaded(pid_then_wait, timeout=60)(str(said))
    killer.join()
    inputs = _inputs()
    assert offload.offloaded(simulating.simulate, timeout=60)(inputs) == simulating.simulate(inputs)


@pytest.mark.usefixtures("in_its_own_process")
def test_a_pool_whose_processes_cannot_start_fails_and_the_next_pool_runs(monkeypatch):
    monkeypatch.setattr(offload, "_lower_priority", refuse_to_start)
    with pytest.raises(offload.OffloadFailed):
        offload.offloaded(os.getpid, timeout=60)()
    monkeypatch.undo()
    assert offload.offloaded(os.getpid, timeout=60)() != os.getpid()


def _kill_when_said(said) -> None:
    deadline = time.monotonic() + 30
    while not said.exists() or not said.read_text():
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    os.kill(int(said.read_text()), 9)


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
