"""Drive HTTP load at a running learnfrl server from this separate process, and report.

    python -m bench.load --url http://127.0.0.1:8100 --concurrency 8 --duration 10 --out r.json

Each scenario runs `concurrency` clients, each logged in as its own learner, for `duration`
seconds or `max-requests` requests, whichever ends first. Only loopback addresses are accepted.
For the rating and the quiz answer each client has a pool of learners, every one logged in and
readied (its first card shown, a quiz started) off the clock: what is timed is the POST alone.
"""

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlparse

import httpx

from bench import cpu
from bench.seed import PASSWORD, heavy_names

TOKEN = re.compile(r'name="token" value="([^"]+)"')
QUESTION = re.compile(r'name="question" value="(\d+)"')
CHOICE = re.compile(r'name="response" value="(\d+)"')
# The question's version, which the quiz page's form sends with the answer.
VERSION = re.compile(r'name="version" value="(\w*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HX = {"HX-Request": "true"}
# The start form as the benchmark's learners fill it in.
QUIZ_START = {"category": "", "length": "20", "seconds_per_question": "300"}


@dataclass
class Result:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    recorded: int = 0  # rating responses that say the review was recorded
    # Requests the clients made inside the timed window that are not the scenario's own (a card
    # looked for once every learner readied before the clock has rated theirs): not counted, but
    # they take the server's time from the scenario's.
    unmeasured: int = 0
    # What those requests were, as the report says it.
    unmeasured_why: str = "a card looked for: the learners readied before the clock were used up"
    # How the scenario was timed, when not as the others (run_rounds), as the report says it.
    note: str = ""
    # CPU seconds each group of processes spent while the clock ran (bench.cpu).
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    def cpu_between(self, before: dict | None, after: dict | None) -> None:
        for group, seconds in cpu.spent(before, after).items():
            self.cpu_seconds[group] = self.cpu_seconds.get(group, 0.0) + seconds

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms) or [0.0]

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, round(p / 100 * (len(lat) - 1)))]

        return {
            "name": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "rps": self.requests / self.seconds if self.seconds else 0.0,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "queries_per_request": statistics.mean(self.queries) if self.queries else None,
            "error_samples": self.error_samples[:5],
            "recorded": self.recorded,
            "unmeasured": self.unmeasured,
            "unmeasured_why": self.unmeasured_why,
            "note": self.note,
            # Milliseconds of CPU a request, by group: where the machine's time went.
            "cpu_ms_per_request": {
                group: 1000 * seconds / self.requests for group, seconds in self.cpu_seconds.items()
            }
            if self.requests
            else {},
        }


class Learner:
    """One simulated learner: an HTTP client with its own cookies."""

    def __init__(self, base: str, username: str):
        self.username = username
        # No keep-alive: with gthread workers a kept connection stays on one worker process, and
        # how 8 connections happen to spread over 2 workers changed throughput by half between
        # runs. A fresh connection per request lets whichever worker is free take it.
        self.client = httpx.AsyncClient(
            base_url=base,
            timeout=30.0,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self.token = ""
        self.attempt_url = ""
        self.question = ""
        self.choice = ""
        self.version = ""
        # The quizzes this learner started in the run: a start answered with one of them was
        # sent to a quiz still running, not a new one.
        self.started: set[str] = set()

    async def login(self) -> None:
        page = await self.client.get("/accounts/login/")
        match = CSRF.search(page.text)
        if not match:
            raise RuntimeError(f"the log-in page has no CSRF token (HTTP {page.status_code})")
        csrf = match.group(1)
        response = await self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
            headers={"Referer": str(self.client.base_url) + "/accounts/login/"},
        )
        if response.status_code != 302:
            raise RuntimeError(f"log-in of {self.username} failed: {response.status_code}")

    def headers(self, htmx: bool = True) -> dict:
        return {**(HX if htmx else {}), "X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    async def close(self) -> None:
        await self.client.aclose()


async def measure(
    result: Result,
    call: Callable[[], Awaitable[httpx.Response]],
    check: Callable[[httpx.Response], str],
) -> httpx.Response | None:
    """Time one request into `result`; the response, or None if it never came."""
    started = time.perf_counter()
    try:
        response = await call()
    except httpx.HTTPError as error:
        result.requests += 1
        result.errors += 1
        result.error_samples.append(repr(error))
        return None
    result.latencies_ms.append((time.perf_counter() - started) * 1000)
    result.requests += 1
    if "X-Query-Count" in response.headers:
        result.queries.append(int(response.headers["X-Query-Count"]))
    problem = check(response)
    if problem:
        result.errors += 1
        result.error_samples.append(f"{response.status_code} {problem}")
    return response


def ok(response: httpx.Response) -> str:
    return "" if response.status_code == 200 else "unexpected status"


# --- scenarios: each returns the coroutine one client runs in a loop ---------------------------


async def ping(learner: Learner, result: Result) -> None:
    await measure(result, lambda: learner.client.get("/ping"), ok)


async def password_change(learner: Learner, result: Result) -> None:
    await measure(result, lambda: learner.client.get("/accounts/password_change/"), ok)


async def study_card(learner: Learner, result: Result) -> None:
    def check(r):
        return ok(r) or ("" if 'id="card"' in r.text else "no card")

    await measure(result, lambda: learner.client.get("/study/", headers=HX), check)


async def _rating_ready(learner: Learner) -> None:
    """The card the learner rates next (its token), or "" if none is left: before the clock."""
    first = await learner.client.get("/study/", headers=HX)
    match = TOKEN.search(first.text)
    learner.token = match.group(1) if match else ""


async def _rating_posted(
    learner: Learner, result: Result, url: str, check: Callable[[httpx.Response], str]
) -> httpx.Response | None:
    """A rating of the learner's card posted to `url`, timed; the token of the card it answers
    with is kept for the next one."""
    if not learner.token:
        # Readied before the clock; since then a rating answered with no next card (a leech's
        # page, or nothing left): look again.
        result.unmeasured += 1
        await _rating_ready(learner)
        if not learner.token:
            raise LookupError(f"{learner.username} has no card left to rate")
    response = await measure(
        result,
        lambda: learner.client.post(
            url, data={"token": learner.token, "rating": "3"}, headers=learner.headers()
        ),
        check,
    )
    match = TOKEN.search(response.text) if response is not None else None
    learner.token = match.group(1) if match else ""
    return response


async def study_rating(learner: Learner, result: Result) -> None:
    def check(r):
        return ok(r) or ("" if 'id="card"' in r.text else "no card")

    response = await _rating_posted(learner, result, "/study/review/", check)
    if (
        response is not None
        and response.status_code == 200
        and "already rated" not in response.text
    ):
        result.recorded += 1


async def study_rating_write(learner: Learner, result: Result) -> None:
    """A rating's write alone: the rating POST up to its write, answered with a token for the same
    card (bench.parts), without the next card a rating answers with."""
    response = await _rating_posted(learner, result, "/bench/rating-write/", ok)
    if response is not None and response.status_code == 200:
        result.recorded += 1


async def progress(learner: Learner, result: Result) -> None:
    await measure(result, lambda: learner.client.get("/progress/"), ok)


async def progress_statistics(learner: Learner, result: Result) -> None:
    """The dashboard's statistics panel, as htmx loads it when it scrolls into view."""
    await measure(result, lambda: learner.client.get("/progress/statistics/", headers=HX), ok)


# The heavy learner's cards in review, searched and sorted by recall, lowest first.
CARDS_URL = "/study/cards/?state=review&q=russia&sort=recall"


async def cards(learner: Learner, result: Result) -> None:
    await measure(result, lambda: learner.client.get(CARDS_URL), ok)


class NextLearner(Exception):
    """The client's learner is through a unit of the scenario (a quiz): go on with the next one
    of its pool, and come back to this one after the others."""


async def _quiz_start(learner: Learner) -> int:
    """A quiz started (or the learner's running one resumed) and its first question read; the
    requests it took. The learner has no question to answer when the start failed."""
    learner.question = ""
    page = await learner.client.get("/quizzes/")
    running = re.search(r'href="(/quizzes/\d+/)">Resume quiz', page.text)
    if running:
        learner.attempt_url = running.group(1)
    else:
        response = await learner.client.post(
            "/quizzes/start/",
            data=QUIZ_START,
            headers=learner.headers(htmx=False),
        )
        learner.attempt_url = response.headers.get("Location", "")
        if response.status_code != 302 or not ATTEMPT_URL.fullmatch(learner.attempt_url):
            learner.attempt_url = ""
            return 2
    await _quiz_read(learner, await learner.client.get(learner.attempt_url))
    return 2 if running else 3


async def _quiz_read(learner: Learner, response: httpx.Response) -> None:
    question = QUESTION.search(response.text)
    choice = CHOICE.search(response.text)
    version = VERSION.search(response.text)
    learner.question = question.group(1) if question else ""
    learner.choice = choice.group(1) if choice else "I do not know"
    learner.version = version.group(1) if version else ""


async def quiz_list(learner: Learner, result: Result) -> None:
    """The quizzes page: the start form and the learner's past quizzes (up to 50)."""
    await measure(result, lambda: learner.client.get("/quizzes/"), ok)


# Where a start sends the learner: the new quiz's first question, and nowhere else.
ATTEMPT_URL = re.compile(r"/quizzes/\d+/")


def _started(response: httpx.Response) -> str:
    location = response.headers.get("Location", "")
    started = response.status_code == 302 and ATTEMPT_URL.fullmatch(location)
    return "" if started else "not started"


def _finished(response: httpx.Response) -> str:
    finished = response.status_code == 302 and "/results/" in response.headers.get("Location", "")
    return "" if finished else "not finished"


async def quiz_start(learner: Learner, result: Result) -> None:
    """A quiz start: the form's POST, answered by a redirect to its first question. Timed in
    rounds (run_rounds): every learner of a client's pool starts one on the clock, then, with the
    clock stopped, all those quizzes are finished so that each learner can start another."""

    def started(response: httpx.Response) -> str:
        problem = _started(response)
        if not problem and response.headers["Location"] in learner.started:
            return "a quiz still running, not a new one"
        return problem

    learner.attempt_url = ""
    response = await measure(
        result,
        lambda: learner.client.post(
            "/quizzes/start/", data=QUIZ_START, headers=learner.headers(htmx=False)
        ),
        started,
    )
    if response is not None and not started(response):
        learner.attempt_url = response.headers["Location"]
        learner.started.add(learner.attempt_url)


async def quiz_finish(learner: Learner, result: Result) -> None:
    """A quiz finished early by the learner's button (a POST, answered by a redirect to the
    results): the other half of quiz_start's rounds, started off the clock and timed here. A
    learner whose start failed has nothing to finish: an error of this scenario, not a skip."""
    if not learner.attempt_url:
        result.requests += 1
        result.errors += 1
        result.error_samples.append("no quiz to finish: its start failed")
        return
    url, learner.attempt_url = learner.attempt_url, ""
    await measure(
        result,
        lambda: learner.client.post(url + "finish/", headers=learner.headers(htmx=False)),
        _finished,
    )


async def quiz_question(learner: Learner, result: Result) -> None:
    if not learner.attempt_url:
        await _quiz_start(learner)

    def check(r):
        return ok(r) or ("" if "Question " in r.text else "no question")

    await measure(result, lambda: learner.client.get(learner.attempt_url), check)


async def quiz_answer(learner: Learner, result: Result) -> None:
    """A quiz answer POST, answered with the next question; NextLearner after the quiz's last
    answer (a redirect to its results), or an answer that gave no next question (an error)."""

    def check(r):
        return ok(r) or ("" if "Question " in r.text or "HX-Redirect" in r.headers else "odd")

    response = await measure(
        result,
        lambda: learner.client.post(
            learner.attempt_url + "answer/",
            data={
                "question": learner.question,
                "version": learner.version,
                "response": learner.choice,
            },
            headers=learner.headers(),
        ),
        check,
    )
    if response is None or "HX-Redirect" in response.headers:
        learner.attempt_url = learner.question = ""  # finished: next_quiz starts another
        raise NextLearner
    await _quiz_read(learner, response)
    if not learner.question:
        learner.attempt_url = ""
        raise NextLearner


async def quiz_answers(learner: Learner, result: Result) -> None:
    """Every question of the learner's quiz answered, each answer timed (quiz_answer): the timed
    half of quiz_answer's rounds. A learner whose start failed (next_quiz counted it) has none."""
    for _ in range(int(QUIZ_START["length"])):
        if not learner.question:
            return
        try:
            await quiz_answer(learner, result)
        except NextLearner:
            return


async def next_quiz(learner: Learner, result: Result) -> None:
    """A quiz started and its first question read (the quizzes page, the start, the question):
    the untimed half of quiz_answer's rounds. A start that gives no question is an error."""
    try:
        # Not `requests += await …`: the sum would be read before the await, and the other
        # clients' starts meanwhile lost.
        made = await _quiz_start(learner)
        result.requests += made
    except httpx.HTTPError as error:
        result.requests += 1
        learner.question = ""
        result.error_samples.append(f"{learner.username}: {error!r}")
    if not learner.question:
        result.errors += 1
        result.error_samples.append(f"{learner.username}: no question to answer after a start")


# What each learner of a scenario's pools does before the clock, so that what is timed is the
# scenario's own request: the first card shown. (A quiz answer's learners start their quizzes
# in rounds, off the clock: run_rounds.)
READY: dict[str, Callable[[Learner], Awaitable[None]]] = {
    "study_rating": _rating_ready,
    "study_rating_write": _rating_ready,
}


SCENARIOS = {
    "ping": ("A view with no database work (baseline)", ping),
    "password_change": ("Django's password-change page, logged in (baseline)", password_change),
    "study_card": ("Study card partial (HTMX GET /study/)", study_card),
    "study_rating": ("Rating POST (/study/review/)", study_rating),
    "study_rating_write": ("Rating's write alone, no next card (bench.parts)", study_rating_write),
    "progress": ("Progress dashboard, learner with 20,000 reviews", progress),
    "progress_statistics": (
        "Its statistics panel (htmx, on demand), 20,000 reviews",
        progress_statistics,
    ),
    "cards": ("Cards page, 20,000 reviews, filtered and sorted", cards),
    "quiz_question": ("Quiz question page", quiz_question),
    "quiz_answer": ("Quiz answer POST", quiz_answer),
    "quiz_list": ("Quizzes page (start form, past quizzes)", quiz_list),
    "quiz_start": ("Quiz start POST", quiz_start),
    "quiz_finish": ("Quiz finish POST (finished early)", quiz_finish),
}

# Scenarios timed in rounds, each of two steps a learner takes in turn, one on the clock for
# `name`, the other off it (run_rounds). A quiz can only be started when the learner's last one
# is finished; finished on the clock too, the finishes took half the start's measured time. A
# quiz's answers are timed, and the next quiz started off the clock: readied only before the
# clock, as they were, a run's 100 learners' quizzes were all answered within its first five
# seconds, and the starts after that (three requests every twenty answers, 5 % of a run's
# requests and a start costing three answers) were on the answers' clock.
Step = Callable[[Learner, Result], Awaitable[None]]


class Rounds(NamedTuple):
    first: Step
    second: Step
    timed: Step  # one of the two


ROUNDS = {
    "quiz_start": Rounds(quiz_start, quiz_finish, timed=quiz_start),
    "quiz_finish": Rounds(quiz_start, quiz_finish, timed=quiz_finish),
    "quiz_answer": Rounds(next_quiz, quiz_answers, timed=quiz_answers),
}


async def run_scenario(
    name: str,
    base: str,
    pools: list[list[str]],
    duration: float,
    max_requests: int,
    ready: int = 6,
) -> dict:
    """Run one scenario: a client per pool of learners. Up to `ready` learners of each pool are
    logged in before the clock starts, every one of them for a scenario with a READY step, which
    each then takes before the clock too; a client moves on to its next learner when the current
    one has nothing left to do (no card left to rate) or is through a quiz (then it comes back
    to it after the others)."""
    _, step = SCENARIOS[name]
    readying = READY.get(name)
    if readying is not None:
        ready = max(len(pool) for pool in pools)
    queues = [[Learner(base, u) for u in pool[:ready]] for pool in pools]
    spare = [list(pool[ready:]) for pool in pools]
    await asyncio.gather(*(learner.login() for queue in queues for learner in queue))
    if readying is not None:
        await asyncio.gather(*(readying(learner) for queue in queues for learner in queue))
    # Warm up unmeasured (first requests compile templates, open connections, fill caches).
    warm = Result(name)
    for queue in queues:
        for _ in range(5):
            try:
                await step(queue[0], warm)
            except LookupError:
                break
            except NextLearner:
                queue.append(queue.pop(0))
    result = Result(name)
    before = cpu.snapshot()
    deadline = time.perf_counter() + duration
    started = time.perf_counter()

    async def worker(index: int) -> None:
        queue = queues[index]
        while time.perf_counter() < deadline and result.requests < max_requests:
            try:
                await step(queue[0], result)
            except NextLearner:
                queue.append(queue.pop(0))
            except LookupError as error:
                await queue.pop(0).close()
                if not queue and spare[index]:
                    queue.append(Learner(base, spare[index].pop(0)))
                    await queue[0].login()
                if not queue:
                    result.error_samples.append(str(error))
                    return

    await asyncio.gather(*(worker(i) for i in range(len(queues))))
    result.seconds = time.perf_counter() - started
    result.cpu_between(before, cpu.snapshot())
    await asyncio.gather(*(learner.close() for queue in queues for learner in queue))
    return result.summary()


async def run_rounds(
    name: str, base: str, pools: list[list[str]], duration: float, max_requests: int
) -> dict:
    """Run a scenario of ROUNDS in rounds until the clock has run `duration` seconds: in each,
    every client takes the first step for each learner of its pool, then the second; only the
    timed step's half of a round is on the clock. The clients wait for each other at the end of
    each half, so the server is never busy with the untimed step while the clock runs. (A
    client done early with its half waits idle: if anything, the figure is lower.)"""
    first, second, timed = ROUNDS[name]
    queues = [[Learner(base, u) for u in pool] for pool in pools]
    await asyncio.gather(*(learner.login() for queue in queues for learner in queue))
    result = Result(name)
    # The other step's requests, made with the clock stopped: counted apart, errors included.
    untimed = Result(f"{name} (untimed)")

    async def half(step, measured: Result) -> None:
        async def client(queue: list[Learner]) -> None:
            for learner in queue:
                await step(learner, measured)

        await asyncio.gather(*(client(queue) for queue in queues))

    # A quiz left running by an earlier run is finished first; then a round unmeasured, to warm up.
    await half(_finish_running, Result("warm-up"))
    await half(first, Result("warm-up"))
    await half(second, Result("warm-up"))
    rounds = 0
    while result.seconds < duration and result.requests < max_requests:
        rounds += 1
        sent, failed = result.requests, result.errors
        for step in (first, second):
            if step is timed:
                before = cpu.snapshot()
                started = time.perf_counter()
                await half(step, result)
                result.seconds += time.perf_counter() - started
                result.cpu_between(before, cpu.snapshot())
            else:
                await half(step, untimed)
        # A round whose timed requests mostly failed, or that had none, took next to no time:
        # more would only repeat it, many times over, within the clock's seconds.
        if result.requests == sent:
            result.error_samples.append(f"stopped after round {rounds}: no request was timed")
            result.errors += 1
            break
        if 2 * (result.errors - failed) > result.requests - sent:
            result.error_samples.append(f"stopped after round {rounds}: most requests failed")
            break
    other = second if timed is first else first
    result.note = (
        f"timed in {rounds} rounds of {sum(len(q) for q in queues)} learners: each learner's "
        f"{timed.__name__.replace('_', ' ')} on the clock and, with the clock stopped, their "
        f"{other.__name__.replace('_', ' ')} ({untimed.requests:,} requests, not counted; "
        f"{untimed.errors} failed)"
    )
    await asyncio.gather(*(learner.close() for queue in queues for learner in queue))
    return result.summary()


async def _finish_running(learner: Learner, result: Result) -> None:
    page = await learner.client.get("/quizzes/")
    running = re.search(r'href="(/quizzes/\d+/)">Resume quiz', page.text)
    if running:
        learner.attempt_url = running.group(1)
        await quiz_finish(learner, result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per scenario")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--learners", type=int, default=100, help="bench-00001… to use")
    parser.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    host = urlparse(args.url).hostname or ""
    if not (host.startswith("127.") or host in {"localhost", "::1"}):
        sys.exit("The load generator only targets loopback addresses (127.0.0.0/8, localhost).")

    results = []
    for name in args.scenarios.split(","):
        if name in {"progress", "progress_statistics", "cards"}:
            # Each client a heavy learner of its own (20,000 reviews each), as eight people.
            heavy = heavy_names()
            pools = [[heavy[i % len(heavy)]] for i in range(args.concurrency)]
        elif name not in READY and name not in ROUNDS:
            pools = [[f"bench-{i + 1:05d}"] for i in range(args.concurrency)]
        else:
            # Client i gets learners i+1, i+1+C, i+1+2C, …: pools never overlap.
            pools = [
                [f"bench-{n:05d}" for n in range(i + 1, args.learners + 1, args.concurrency)]
                for i in range(args.concurrency)
            ]
        print(f"  {name}: {args.concurrency} clients for {args.duration:g}s …", flush=True)
        run = run_rounds if name in ROUNDS else run_scenario
        summary = asyncio.run(run(name, args.url, pools, args.duration, args.max_requests))
        summary["title"] = SCENARIOS[name][0]
        results.append(summary)
        print(
            f"    {summary['rps']:.0f} req/s, p95 {summary['p95_ms']:.1f} ms, "
            f"{summary['errors']} errors",
            flush=True,
        )
    text = json.dumps(results, indent=2)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
