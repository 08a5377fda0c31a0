"""The workload simulator and the optimizer's fit run in a process of their own, at a lower CPU
priority than the web's."""

import os
import threading
import time
from concurrent.futures.process import BrokenProcessPool

import pytest
from pebble import ProcessExpired
from pebble.pool.base_pool import PoolStatus

from quizzes.parameters import offload
from quizzes.rules import simulating
from quizzes.rules.scheduling import DEFAULT_PARAMETERS
from tests.support.waiting import mark, pid_then_wait, refuse_to_start


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


def said_pid(said, within: float = 30) -> int:
    """The pid pid_then_wait wrote, once it has."""
    deadline = time.monotonic() + within
    while not (said.exists() and said.read_text()):
        if time.monotonic() > deadline:
            pytest.fail(f"no process took up the computation within {within} s")
        time.sleep(0.05)
    return int(said.read_text())


@pytest.mark.usefixtures("in_its_own_process")
def test_a_computation_its_caller_stopped_waiting_for_is_stopped(tmp_path):
    """Left running, a fit late for its worker went on to its end, and every later computation
    of that process waited behind it."""
    inputs = _inputs()
    # The process started first, so the wait below is the computation's alone.
    assert offload.offloaded(simulating.simulate, timeout=60)(inputs) == simulating.simulate(inputs)
    said = tmp_path / "pid"
    with pytest.raises(offload.OffloadFailed) as failed:
        offload.offloaded(pid_then_wait, timeout=3)(str(said))
    assert isinstance(failed.value.__cause__, TimeoutError)
    assert gone(said_pid(said), within=10)
    # Another process takes its place.
    assert offload.offloaded(simulating.simulate, timeout=60)(inputs) == simulating.simulate(inputs)


@pytest.mark.usefixtures("in_its_own_process")
def test_a_computation_its_caller_gave_up_on_while_queued_never_runs(tmp_path):
    """It waited behind a long one (one process): when its turn came, nobody waited for it."""
    said, marked = tmp_path / "pid", tmp_path / "mark"
    failures: list[object] = []

    def long_one() -> None:
        try:
            offload.offloaded(pid_then_wait, timeout=6)(str(said))
        except offload.OffloadFailed as failed:
            failures.append(type(failed.__cause__))

    ahead = threading.Thread(target=long_one)
    ahead.start()
    said_pid(said)
    with pytest.raises(offload.OffloadFailed):
        offload.offloaded(mark, timeout=1)(str(marked))
    ahead.join()
    assert failures == [TimeoutError]
    # The process that took the long one's place takes up the queued one, and gives it up.
    time.sleep(3)
    assert not marked.exists()
    assert offload.offloaded(mark, timeout=60)(str(marked)) is None
    assert marked.read_text() == "ran"


@pytest.mark.usefixtures("in_its_own_process")
def test_a_computation_whose_process_dies_fails_and_the_next_runs(tmp_path):
    said = tmp_path / "pid"
    killed: list[int] = []
    killer = threading.Thread(target=lambda: killed.append(_kill(said_pid(said))))
    killer.start()
    with pytest.raises(offload.OffloadFailed) as failed:
        offload.offloaded(pid_then_wait, timeout=60)(str(said))
    killer.join()
    assert killed, "the computation's process was not killed"
    assert isinstance(failed.value.__cause__, ProcessExpired)
    inputs = _inputs()
    assert offload.offloaded(simulating.simulate, timeout=60)(inputs) == simulating.simulate(inputs)


def _kill(pid: int) -> int:
    os.kill(pid, 9)
    return pid


@pytest.mark.usefixtures("in_its_own_process")
def test_a_pool_whose_processes_cannot_start_fails_and_the_next_pool_runs(monkeypatch):
    monkeypatch.setattr(offload, "_lower_priority", refuse_to_start)
    with pytest.raises(offload.OffloadFailed) as failed:
        offload.offloaded(os.getpid, timeout=60)()
    assert isinstance(failed.value.__cause__, BrokenProcessPool)
    monkeypatch.undo()
    assert offload.offloaded(os.getpid, timeout=60)() != os.getpid()


@pytest.mark.usefixtures("in_its_own_process")
def test_a_broken_pool_is_forgotten_only_if_still_the_current_one(monkeypatch):
    """A caller of a broken pool that hears of it late must not stop the pool that has
    replaced it meanwhile, which other computations use."""
    monkeypatch.setattr(offload, "_lower_priority", refuse_to_start)
    broken = offload._pool()
    monkeypatch.undo()
    with offload._lock:
        del offload._pools["pool"]
    current = offload._pool()
    offload._forget(broken)
    assert offload._pool() is current
    assert offload.offloaded(os.getpid, timeout=60)() != os.getpid()


@pytest.mark.usefixtures("in_its_own_process")
def test_a_pool_found_inactive_is_replaced_and_its_processes_are_stopped():
    """A pool whose own threads failed (pebble marks it ERROR) is inactive, but its processes
    live on until it is stopped: the pool that replaces it stops them."""
    old = offload._pool()
    old_pid = old.schedule(os.getpid).result(timeout=60)
    old._context.status = PoolStatus.ERROR  # as pebble marks a pool whose loop thread died
    new = offload._pool()
    assert new is not old
    assert gone(old_pid, within=10)
    assert offload.offloaded(os.getpid, timeout=60)() not in (os.getpid(), old_pid)


def test_a_pool_stopped_as_a_computation_is_handed_to_it_fails_the_computation(
    monkeypatch, settings
):
    """Another thread's shutdown between the pool handed out and used: not a 500."""
    settings.WORKLOAD_PROCESSES = 1

    class Stopped:
        def schedule(self, *args, **kwargs):
            raise RuntimeError("The Pool is not active")

    monkeypatch.setattr(offload, "_pool", Stopped)
    with pytest.raises(offload.OffloadFailed):
        offload.offloaded(os.getpid, timeout=60)()


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


@pytest.mark.usefixtures("in_its_own_process")
def test_a_capped_call_past_the_waiting_ones_is_refused_at_once(tmp_path):
    first = tmp_path / "first"
    outcome: list[BaseException] = []

    def wait_for_the_first() -> None:
        try:
            offload.offloaded(pid_then_wait, timeout=4, waiting_most=1)(str(first))
        except offload.OffloadFailed as failed:  # its time runs out while it waits
            outcome.append(failed)

    waiting = threading.Thread(target=wait_for_the_first)
    waiting.start()
    try:
        for _ in range(300):  # the first is running (its process wrote its id)
            if first.exists():
                break
            time.sleep(0.05)
        assert first.exists()
        refused_mark = tmp_path / "refused"
        # Refused, not queued behind the first (which holds the one process for 4 s).
        with pytest.raises(offload.OffloadBusy):
            offload.offloaded(mark, timeout=30, waiting_most=1)(str(refused_mark))
        # A call that is not capped still queues, and the capped call's refusal ran nothing.
        assert offload.offloaded(os.getpid, timeout=30)() != os.getpid()
        assert not refused_mark.exists()
    finally:
        waiting.join()
    assert [type(failed) for failed in outcome] == [offload.OffloadFailed]
    # The first has given up: a capped call runs again.
    ran = tmp_path / "ran"
    offload.offloaded(mark, timeout=30, waiting_most=1)(str(ran))
    assert ran.read_text() == "ran"
