"""Does one account hammering the expensive endpoints slow another learner down? (issue 21, 4)

    python -m bench.hammer [--seconds 20] [--loops 8] [--port 8150] [--only suspend|expensive]
                           [--proxy]

Seeds a SQLite database (bench/results/hammer.sqlite3; DATABASE_URL for PostgreSQL) with the
heavy learner (20,000 reviews) and a few ordinary ones, starts gunicorn as `make bench` does
(gthread, 2 workers x 4 threads, DEBUG=0) and the background worker (db_worker, which runs
"Optimize my schedule"), then times an ordinary learner's `/study/` page, one request after
another:

1. idle, for `--seconds`;
2. while the heavy learner runs `--loops` loops at once, each as fast as the server answers:
   suspend one more card (so the simulator's inputs change and its cache cannot answer), ask
   for the workload simulator, and POST "Optimize my schedule";
3. idle again.

With `--crowd N` the hammering is N ordinary learners at once instead (bench-00002 on), each one
loop that suspends one more of its own cards and asks for the simulator: every learner within
their own limits, so only a bound across learners (WORKLOAD_WAITING) keeps the threads of a web
process free for the others.

With `--proxy` both learners go through nginx configured from docs/deploy/nginx.conf (rendered
for 127.0.0.1 as `make cluster` renders it, on the port after `--port`), whose per-session rate
answers a looping account's excess requests before they reach an app server.

It prints the medians and p95s of the idle phases and of the hammered one, their ratio
(the target: the hammered median within 1.5x of the idle one), and what the hammering
account got back (simulations run, refused, optimizer runs queued or refused).
"""

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import httpx

from bench.run import ROOT, prepare, server_env, start_server, stop_server
from bench.seed import HEAVY, PASSWORD
from tests.support.nginx import render_nginx

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CARD = re.compile(r'href="/study/cards/(\d+)/"')
VICTIM = "bench-00001"


def logged_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60.0, follow_redirects=False)
    page = client.get("/accounts/login/")
    match = CSRF.search(page.text)
    if not match:
        raise SystemExit(f"The log-in page has no CSRF token (HTTP {page.status_code})")
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)},
    )
    if response.status_code != 302:
        raise SystemExit(f"Log-in of {username} failed: HTTP {response.status_code}")
    return client


def time_study(client: httpx.Client, seconds: float, every: float = 0.0) -> list[float]:
    """Milliseconds of each /study/ request, one after another, for `seconds`; with `every`,
    one request at most every `every` seconds (the ordinary learner keeps to a person's pace,
    well inside a session's rate at the proxy and an account's in the app)."""
    times = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        response = client.get("/study/")
        took = time.perf_counter() - started
        times.append(took * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/study/ answered {response.status_code}")
        if every > took:
            time.sleep(every - took)
    return times


def outcome(kind: str, response: httpx.Response) -> str:
    text = response.text
    if response.status_code == 429 and "from your session" in text:
        return f"{kind}: refused by the proxy, over the session's rate (429)"
    if response.status_code == 429 and "from your account" in text:
        return f"{kind}: refused, over the account's request rate (429)"
    if response.status_code == 429:
        return f"{kind}: refused, another of its slow requests in flight (429)"
    if response.status_code != 200:
        return f"{kind}: HTTP {response.status_code}"
    if kind == "simulator":
        if "busy with other learners" in text:
            return "simulator: refused, as many requests of its process wait already (busy)"
        if 'class="notice" role="status"' in text:
            return "simulator: refused (one at a time, or the hourly rate)"
        return "simulator: answered (simulated or from its cache)"
    if "being fitted" in text or "was optimized: see" in text:
        return "optimizer: queued (or the run under way)"
    return "optimizer: refused (rate, or a run under way)"


def hammer(
    base: str,
    cards: list[int],
    stop: threading.Event,
    seen: Counter[str],
    lock: threading.Lock,
    only: str = "",
) -> None:
    """One loop of the hammering account: its own connection and session. `only` cuts the loop
    down to its suspensions ("suspend": one card after another, round and round, so each is a
    write) or to the simulator and the optimizer ("expensive": nothing changes their inputs)."""
    client = logged_in(base, HEAVY)
    headers = {"HX-Request": "true", "X-CSRFToken": client.cookies.get("csrftoken") or ""}
    while not stop.is_set():
        card = None
        with lock:
            if only == "suspend" and cards:
                card = cards.pop(0)
                cards.append(card)
            elif not only and cards:
                card = cards.pop()
        if card is not None:
            suspended = client.post(
                "/study/cards/bulk/",
                data={"action": "suspend", "card": card, "back": "/study/cards/"},
                headers=headers,
            )
            if only == "suspend":
                with lock:
                    seen[f"suspension: HTTP {suspended.status_code}"] += 1
                continue
        simulated = client.get("/study/settings/workload/", headers=headers)
        optimized = client.post("/study/settings/optimize/", headers=headers)
        with lock:
            seen[outcome("simulator", simulated)] += 1
            seen[outcome("optimizer", optimized)] += 1
    client.close()


def crowd_member(
    base: str, username: str, stop: threading.Event, seen: Counter[str], lock: threading.Lock
) -> None:
    """One learner of the crowd (--crowd): suspend one more of its cards, so the simulator's
    inputs change, then ask for the simulator; again a second after the answer, until stopped
    (a person asking again, not a script spinning on refusals)."""
    client = logged_in(base, username)
    headers = {"HX-Request": "true", "X-CSRFToken": client.cookies.get("csrftoken") or ""}
    cards = [int(n) for n in dict.fromkeys(CARD.findall(client.get("/study/cards/").text))]
    while not stop.is_set():
        if cards:
            client.post(
                "/study/cards/bulk/",
                data={"action": "suspend", "card": cards.pop(), "back": "/study/cards/"},
                headers=headers,
            )
        started = time.perf_counter()
        simulated = client.get("/study/settings/workload/", headers=headers)
        took = time.perf_counter() - started
        with lock:
            seen[outcome("simulator", simulated)] += 1
            seen["simulator requests slower than 1 s"] += took > 1
        stop.wait(1.0)
    client.close()


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.1f} ms, p95 {p95:6.1f} ms, n={len(ordered)}"


def _cpu_seconds() -> float:
    """CPU this process has used (user and system), in seconds."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def start_proxy(prefix: Path, app_port: int) -> list[str]:
    """Start nginx on `app_port` + 1 in front of the app server, configured from the shipped
    docs/deploy/nginx.conf; return the command that addresses it (add "-s quit" to stop it)."""
    from bench.cluster import nginx_binary

    # The shipped file names two app servers: both are this one.
    conf = render_nginx(prefix, app_port + 1, [app_port, app_port])
    command = [nginx_binary(), "-p", str(prefix), "-c", str(conf)]
    subprocess.run([*command, "-t"], check=True, capture_output=True)
    subprocess.run(command, check=True)
    return command


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--loops", type=int, default=8, help="the hammering account's loops")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--heavy-reviews", type=int, default=20_000)
    parser.add_argument(
        "--only",
        choices=["suspend", "expensive"],
        default="",
        help="profile: only the loop's suspensions, or only its simulator and optimizer requests",
    )
    parser.add_argument(
        "--proxy", action="store_true", help="through nginx (docs/deploy/nginx.conf), as deployed"
    )
    parser.add_argument(
        "--crowd", type=int, default=0, help="N ordinary learners asking for simulations at once"
    )
    args = parser.parse_args(argv)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    env = server_env(SimpleNamespace(session_engine=""))
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(results / "hammer.sqlite3")
        for leftover in results.glob("hammer.sqlite3*"):
            leftover.unlink()
    if args.proxy:
        env["TRUSTED_PROXIES"] = "127.0.0.1"  # as deployed: the app believes its proxy
    prepare(env, learners=max(5, args.crowd + 1), reviews=400, heavy=args.heavy_reviews)
    base = f"http://127.0.0.1:{args.port}"
    print(f"Starting gunicorn on {base} and the background worker …", flush=True)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    server = start_server(env, args.port, workers=2, threads=4)
    proxy: list[str] | None = None
    try:
        if args.proxy:
            proxy = start_proxy(results / "hammer-nginx", args.port)
            base = f"http://127.0.0.1:{args.port + 1}"
            print(f"Through nginx on {base} (docs/deploy/nginx.conf) …", flush=True)
        victim = logged_in(base, VICTIM)
        heavy = logged_in(base, HEAVY)
        cards = [int(n) for n in dict.fromkeys(CARD.findall(heavy.get("/study/cards/").text))]
        heavy.close()
        every = 0.1
        time_study(victim, 2, every)  # warm both workers
        print(f"Idle: timing {VICTIM}'s /study/ for {args.seconds:g} s …", flush=True)
        idle = time_study(victim, args.seconds, every)
        stop, lock, seen = threading.Event(), threading.Lock(), Counter[str]()
        loops = [
            threading.Thread(target=hammer, args=(base, cards, stop, seen, lock, args.only))
            for _ in range(args.loops)
        ]
        if args.crowd:
            crowd = [f"bench-{n:05d}" for n in range(2, args.crowd + 2)]
            loops = [
                threading.Thread(target=crowd_member, args=(base, name, stop, seen, lock))
                for name in crowd
            ]
        cpu_before, wall_before = _cpu_seconds(), time.monotonic()
        for loop in loops:
            loop.start()
        time.sleep(1)
        who = f"{args.crowd} learners" if args.crowd else f"{HEAVY} ({args.loops} loops)"
        print(f"Hammered by {who} for {args.seconds:g} s …", flush=True)
        hammered = time_study(victim, args.seconds, every)
        stop.set()
        for loop in loops:
            loop.join()
        # The loops run on this machine's cores too: what they took from the server.
        loops_cores = (_cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
        print(f"Idle again for {args.seconds:g} s …", flush=True)
        idle += time_study(victim, args.seconds, every)
    finally:
        if proxy is not None:
            subprocess.run([*proxy, "-s", "quit"], check=False)
        stop_server(server)
        worker.terminate()
        worker.wait(timeout=30)
    ratio = statistics.median(hammered) / statistics.median(idle)
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    through = ", through nginx" if proxy is not None else ""
    print(f"\n{database}, {os.cpu_count()} cores{through}; {VICTIM}'s /study/, one at a time:")
    print(f"  idle:     {summary(idle)}")
    print(f"  hammered: {summary(hammered)}")
    print(f"  hammered / idle median: {ratio:.2f}x (target <= 1.5x)")
    print(f"  the hammering loops themselves (this process) used {loops_cores:.2f} cores")
    print(f"What {f'the {args.crowd} learners' if args.crowd else HEAVY} got back:")
    for what, n in sorted(seen.items()):
        print(f"  {n:5d}  {what}")
    if ratio > 1.5:
        raise SystemExit("The hammered median is more than 1.5x the idle one.")


if __name__ == "__main__":
    main(sys.argv[1:])
