"""Load and faults: many learners rating at once, a server restart in the middle, a database away.

    python -m bench.soak [--clients 50] [--duration 60]      # SQLite; DATABASE_URL for PostgreSQL

1. `clients` learners rate cards against gunicorn on 127.0.0.1 for `duration` seconds; half-way
   the server is stopped gracefully (SIGTERM) and started again. Requests that find it down are
   retried. Checks: no 5xx, and exactly as many review-log rows as rating responses that said
   "recorded" — no acknowledged review lost, none counted twice.
2. The database is made unavailable (SQLite: another process holds the write lock; PostgreSQL:
   the server is pointed at a port where nothing listens). Checks: a 503 page, not a trace.
The figures are appended to docs/benchmarks.md.
"""

import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx

from bench import run
from bench.load import TOKEN, Learner
from bench.run import RESULTS, ROOT, machine, server_env, stop_server
from bench.seed import HEAVY

PY = sys.executable


def start_server(env: dict, port: int) -> subprocess.Popen:
    return run.start_server(env, port, workers=2, threads=8)


class Tally:
    def __init__(self):
        self.recorded = self.stale = self.ok = self.server_errors = self.refused = 0
        self.other = 0


async def learner_loop(base: str, names: list[str], deadline: float, tally: Tally) -> None:
    names = list(names)
    learner = None
    while time.monotonic() < deadline and (names or learner):
        try:
            if learner is None:
                learner = Learner(base, names.pop(0))
                await learner.login()
                first = await learner.client.get("/study/", headers={"HX-Request": "true"})
                match = TOKEN.search(first.text)
                learner.token = match.group(1) if match else ""
            if not learner.token:
                await learner.close()
                learner = None
                continue
            response = await learner.client.post(
                "/study/review/",
                data={"token": learner.token, "rating": "3"},
                headers=learner.headers(),
            )
        except httpx.TransportError:
            tally.refused += 1  # the server is restarting: nothing was acknowledged, try again
            await asyncio.sleep(0.2)
            continue
        if response.status_code >= 500:
            tally.server_errors += 1
        elif response.status_code == 200:
            tally.ok += 1
            if "already rated" in response.text:
                tally.stale += 1
            else:
                tally.recorded += 1
            match = TOKEN.search(response.text)
            learner.token = match.group(1) if match else ""
        else:
            tally.other += 1
    if learner is not None:
        await learner.close()


def learner_pools(clients: int, learners: int) -> list[list[str]]:
    """Share the seeded learners (bench-00001, …) out among the clients, each learner to one."""
    return [[f"bench-{n:05d}" for n in range(i + 1, learners + 1, clients)] for i in range(clients)]


async def drive(base: str, clients: int, learners: int, duration: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + duration
    pools = learner_pools(clients, learners)
    await asyncio.gather(*(learner_loop(base, pool, deadline, tally) for pool in pools))
    return tally


def review_rows(env: dict, since: datetime) -> int:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','learnfrl.settings');"
        "django.setup(); from quizzes.models import ReviewLog; from datetime import datetime;"
        f"print(ReviewLog.objects.filter(reviewed_at__gte=datetime.fromisoformat('{since.isoformat()}'),"
        " origin='study').count())"
    )
    out = subprocess.run(
        [PY, "-c", code],
        cwd=ROOT,
        env={**env, "DEBUG": "1"},
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--learners", type=int, default=400)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--report", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = server_env(argparse.Namespace(session_engine=""))
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the production settings, as deployed
    postgres = bool(env.get("DATABASE_URL"))
    if not postgres:
        env["SQLITE_PATH"] = str(RESULTS / "soak.sqlite3")
        for leftover in RESULTS.glob("soak.sqlite3*"):
            leftover.unlink()
    run.prepare(env, args.learners, reviews=20, heavy=10)

    base = f"http://127.0.0.1:{args.port}"
    since = datetime.now(UTC)
    server = start_server(env, args.port)
    print(
        f"{args.clients} learners rating for {args.duration:g} s; restart at half-time …",
        flush=True,
    )

    async def scenario() -> Tally:
        load = asyncio.create_task(drive(base, args.clients, args.learners, args.duration))
        await asyncio.sleep(args.duration / 2)
        nonlocal server
        await asyncio.to_thread(stop_server, server)
        server = await asyncio.to_thread(start_server, env, args.port)
        return await load

    try:
        tally = asyncio.run(scenario())
    finally:
        stop_server(server)
    rows = review_rows(env, since)

    # The database away: a 503 page, not a stack trace.
    if postgres:
        away_env = {**env, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/learnfrl"}
        fault = "PostgreSQL unreachable (server pointed at a closed port)"
    else:
        away_env = {**env, "SQLITE_TIMEOUT": "1"}
        fault = "SQLite write lock held by another process"
    server = start_server(away_env, args.port)
    try:
        holder = None
        client = httpx.Client(base_url=base)
        if not postgres:
            learner = asyncio.run(_logged_in_token(base))
            holder = sqlite3.connect(env["SQLITE_PATH"], isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            client.cookies.update(learner[0])
            page = client.post(
                "/study/review/",
                data={"token": learner[1], "rating": "3"},
                headers={"X-CSRFToken": learner[0].get("csrftoken", "")},
            )
        else:
            client.cookies.set("sessionid", "x" * 32)
            page = client.get("/study/")
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
        fault_status = page.status_code
        fault_ok = page.status_code == 503 and "Traceback" not in page.text
    finally:
        stop_server(server)

    database = "PostgreSQL" if postgres else "SQLite (WAL)"
    balanced = rows == tally.recorded
    section = "\n".join(
        [
            f"## Load and faults: {database}",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {machine()}",
            f"- Command: `python -m bench.soak {' '.join(argv or sys.argv[1:])}`"
            + (" with DATABASE_URL" if postgres else ""),
            f"- {args.clients} concurrent learners rating for {args.duration:g} s against gunicorn "
            "(2 workers × 8 threads), restarted (SIGTERM, then started again) at half-time",
            "",
            "| rating responses | recorded | refused as stale | 5xx | other 4xx "
            "| connection refused during the restart (retried) | review-log rows written "
            "| rows = recorded |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {tally.ok} | {tally.recorded} | {tally.stale} | {tally.server_errors} "
            f"| {tally.other} | {tally.refused} | {rows} | {'yes' if balanced else 'NO'} |",
            "",
            f"- Fault, {fault}: HTTP {fault_status}, "
            + ("the 503 page." if fault_ok else "NOT the 503 page."),
            "",
        ]
    )
    print(section)
    with open(args.report, "a", encoding="utf-8") as handle:
        handle.write("\n" + section)
    if tally.server_errors or not balanced or not fault_ok:
        raise SystemExit("The load-and-faults run failed: see above.")


async def _logged_in_token(base: str):
    learner = Learner(base, HEAVY)  # never rated in the load phase: it still has cards due
    await learner.login()
    page = await learner.client.get("/study/", headers={"HX-Request": "true"})
    match = TOKEN.search(page.text)
    if not match:
        raise LookupError(f"{HEAVY} has no card to study (HTTP {page.status_code})")
    token = match.group(1)
    cookies = dict(learner.client.cookies)
    await learner.close()
    return cookies, token


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
