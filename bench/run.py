"""Run the whole benchmark: seed, serve with gunicorn on 127.0.0.1, load, and write the report.

    python -m bench.run                       # SQLite file bench/results/bench.sqlite3
    DATABASE_URL=postgres://… python -m bench.run --learners 10000 --reviews 200

The report goes to docs/benchmarks.md (and the raw figures to bench/results/).
"""

import argparse
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.seed import HEAVY_LEARNERS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REPORT = ROOT / "docs" / "benchmarks.md"
PY = sys.executable


def server_env(args) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        # Production settings plus the SQL count per response (X-Query-Count).
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "LOG_LEVEL": "WARNING",
    }
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(RESULTS / "bench.sqlite3")
    if args.session_engine:
        env["SESSION_ENGINE"] = args.session_engine
    return env


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"The server did not answer at {url}")


def prepare(env: dict, learners: int, reviews: int, heavy: int, whole_bank: bool = False) -> None:
    """Seed the benchmark learners (see bench.seed) and collect the static files."""
    print("Seeding …", flush=True)
    seed = [
        PY,
        "-m",
        "bench.seed",
        "--learners",
        str(learners),
        "--reviews",
        str(reviews),
        "--heavy-reviews",
        str(heavy),
        *(["--whole-bank"] if whole_bank else []),
    ]
    subprocess.run(seed, cwd=ROOT, env={**env, "DEBUG": "1"}, check=True)
    collect = [PY, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)


def start_server(env: dict, port: int, *, workers: int, threads: int) -> subprocess.Popen:
    """Start gunicorn (gthread) on 127.0.0.1 and wait until it answers."""
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "learnfrl.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--graceful-timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    wait_for(f"http://127.0.0.1:{port}/ping")
    return server


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn gracefully (SIGTERM): requests in flight are finished first."""
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {system}, Python {platform.python_version()}"


def report(results: list[dict], args, env: dict, command: str) -> str:
    by_name = {r["name"]: r for r in results}
    baselines = [b for b in ("ping", "password_change") if b in by_name]
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite (WAL)"
    lines = [
        f"### {database}, {args.concurrency} concurrent clients, {args.duration:g} s per scenario",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Server: gunicorn gthread, {args.workers} workers × {args.threads} threads, 127.0.0.1",
        f"- Data: {args.learners:,} learners"
        f"{' with a card for every question' if args.whole_bank else ''}, "
        f"{args.reviews:,} reviews each, and {HEAVY_LEARNERS} heavy learners with "
        f"{args.heavy_reviews:,} each (one per client of the heavy pages); "
        f"sessions: {env.get('SESSION_ENGINE', 'database (default)')}",
        f"- Command: `{command}`",
        "",
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | SQL/request | "
        + " | ".join(f"× {b}" for b in baselines)
        + " |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | "
        + " | ".join("---:" for _ in baselines)
        + " |",
    ]
    for r in results:
        ratios = " | ".join(
            f"{r['rps'] / by_name[b]['rps']:.2f}" if by_name[b]["rps"] else "–" for b in baselines
        )
        queries = "–" if r["queries_per_request"] is None else f"{r['queries_per_request']:.1f}"
        lines.append(
            f"| {r['title']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['errors']} | {queries} | {ratios} |"
        )
    busy = [r for r in results if r.get("unmeasured")]
    if busy or any(r.get("note") for r in results):
        lines.append("")
    for r in busy:
        lines.append(
            f"- {r['title']}: {r['unmeasured']:,} other requests inside the window, not "
            f"counted ({r['unmeasured_why']})"
        )
    for r in results:
        if r.get("note"):
            lines.append(f"- {r['title']}: {r['note']}")
    lines += _cpu_table(results)
    return "\n".join(lines) + "\n"


def _cpu_table(results: list[dict]) -> list[str]:
    """Milliseconds of CPU a request, by group of processes, while each scenario's clock ran
    (bench.cpu): which part of the machine a scenario costs more of than the password page."""
    measured = [r for r in results if r.get("cpu_ms_per_request")]
    if not measured:
        return []
    lines = [
        "",
        "CPU a request while the clock ran, ms (bench.cpu; the machine's cores are shared):",
        "",
        "| scenario | app servers | database | load generator | other | all |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in measured:
        spent = r["cpu_ms_per_request"]
        groups = [spent.get(g, 0.0) for g in ("server", "database", "load", "other")]
        lines.append(
            f"| {r['title']} | "
            + " | ".join(f"{ms:.2f}" for ms in groups)
            + f" | {sum(groups):.2f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--reviews", type=int, default=400)
    parser.add_argument("--heavy-reviews", type=int, default=20_000)
    parser.add_argument("--whole-bank", action="store_true", help="see bench.seed")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--scenarios", default="")
    parser.add_argument("--session-engine", default="")
    parser.add_argument("--label", default="", help="a heading for this run in the report")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the SQLite benchmark database of the last run"
    )
    parser.add_argument("--report", default=str(REPORT))
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = server_env(args)
    # Each client here is a machine asking as fast as it is answered (some 40 requests a second,
    # several times a person's pace): the account's request rate is counted, as in production,
    # but set beyond reach, so what is measured is each page, not the limit's refusals.
    env["LEARNER_REQUEST_RATE"] = "1000000/s"
    command = "python -m bench.run " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))

    if not env.get("DATABASE_URL") and not args.reuse:
        for leftover in RESULTS.glob("bench.sqlite3*"):
            leftover.unlink()  # a fresh database each run: ratings use cards up
    prepare(env, args.learners, args.reviews, args.heavy_reviews, args.whole_bank)

    url = f"http://127.0.0.1:{args.port}"
    print(f"Starting gunicorn on {url} …", flush=True)
    server = start_server(env, args.port, workers=args.workers, threads=args.threads)
    try:
        out = RESULTS / "latest.json"
        load = [
            PY,
            "-m",
            "bench.load",
            "--url",
            url,
            "--concurrency",
            str(args.concurrency),
            "--learners",
            str(args.learners),
            "--duration",
            str(args.duration),
            "--max-requests",
            str(args.max_requests),
            "--out",
            str(out),
        ]
        if args.scenarios:
            load += ["--scenarios", args.scenarios]
        subprocess.run(load, cwd=ROOT, env=os.environ, check=True)
    finally:
        stop_server(server)
    results = json.loads(out.read_text())
    section = report(results, args, env, command)
    if args.label:
        section = f"## {args.label}\n\n" + section
    print("\n" + section)
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    with open(args.report, "a", encoding="utf-8") as handle:
        handle.write("\n" + section)
    errors = sum(r["errors"] for r in results)
    if errors:
        raise SystemExit(f"{errors} request(s) failed: see the report.")


if __name__ == "__main__":
    main()
