"""The scale run: the same load on a small and a large PostgreSQL database, and the query plans.

    python -m bench.scale [--server postgres://postgres@127.0.0.1:5432] [--learners 10000]

Creates (once) the databases learnfrl_bench_small (50 learners) and learnfrl_bench_large
(10,000 learners × every question: about 1.8 million card states and 2 million reviews), runs
bench.run on each, compares the next-card (study partial) p50, and saves the plans of the hot
queries on the large one.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"


def ensure_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=200)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--report", default=str(REPORT))
    args = parser.parse_args(argv)
    scenarios = "ping,password_change,study_card,study_rating,progress"
    p50 = {}
    for size, learners in (("small", 50), ("large", args.learners)):
        name = f"learnfrl_bench_{size}"
        ensure_database(args.server, name)
        env = {**os.environ, "DATABASE_URL": f"{args.server}/{name}"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.run",
                "--learners",
                str(learners),
                "--reviews",
                str(args.reviews),
                "--whole-bank",
                "--duration",
                str(args.duration),
                "--scenarios",
                scenarios,
                "--label",
                f"PostgreSQL, {size} database ({learners:,} learners)",
                "--report",
                args.report,
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        results = json.loads((ROOT / "bench" / "results" / "latest.json").read_text())
        p50[size] = next(r["p50_ms"] for r in results if r["name"] == "study_card")
        if size == "large":
            subprocess.run(
                [sys.executable, "-m", "bench.explain"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    ratio = p50["large"] / p50["small"]
    verdict = "within" if ratio <= 1.5 else "OVER"
    summary = (
        f"\nNext card (study partial) p50: {p50['small']:.1f} ms on the small database, "
        f"{p50['large']:.1f} ms on the large one: {ratio:.2f}× ({verdict} the 1.5× target). "
        "Query plans: docs/benchmarks-explain.txt.\n"
    )
    with open(args.report, "a", encoding="utf-8") as handle:
        handle.write(summary)
    print(summary)
    if ratio > 1.5:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
