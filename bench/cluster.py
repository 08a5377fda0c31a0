"""The scale-out, proven on this machine: nginx in front of two app servers, PostgreSQL and Redis.

    python -m bench.cluster [--clients 50] [--duration 60]        (make cluster)

Everything listens on 127.0.0.1 only. The run:

1. Installs nginx from Debian's packages if it is missing (as root), checks that Redis and
   PostgreSQL answer, creates the cluster's database, migrates and seeds it.
2. Starts two gunicorn masters on two ports (standing for two machines) with one shared
   PostgreSQL database, one shared Redis (CACHE_URL, cached_db sessions) and TRUSTED_PROXIES set
   to the proxy, and nginx on its own port, configured from docs/deploy/nginx.conf (the
   production config, rendered for 127.0.0.1 without TLS).
3. Drives `clients` simulated learners rating cards through the proxy for `duration` seconds; a
   third of the way in, one app server is killed (SIGKILL, master and workers) and brought back
   10 s later. A rating whose answer is lost (a 5xx) is sent again with the same card: the app
   either records it then or says it was already recorded, so every rating is accounted for.
4. Checks, across the two servers: acknowledged ratings = review-log rows; where the 5xx fell;
   the sign-up limit and a log-in lock-out hold across both; a log-out through one server ends
   the session on the other; a question an editor deactivates leaves study on both servers
   within BANK_CACHE_SECONDS.

The figures are appended to docs/cluster.md with the date and the command.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import run
from bench.load import CSRF, TOKEN, Learner
from bench.run import RESULTS, ROOT, machine, server_env, wait_for
from bench.seed import HEAVY, PASSWORD
from bench.soak import learner_pools, review_rows
from tests.support.nginx import LOOPBACK, render_nginx

PY = sys.executable
REPORT = ROOT / "docs" / "cluster.md"
EDITOR, LOCKED = "cluster-editor", "cluster-lockout"
STAFF_PASSWORD = "cluster-editor-password-4821"


# --- the pieces ---------------------------------------------------------------------------------


def nginx_binary() -> str:
    """nginx from Debian's packages, installed when missing (only as root)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is not installed: run 'sudo apt-get install nginx' first.")
    print("Installing nginx from Debian's packages …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env)
    # Debian's package starts the system service; this run uses its own instance only.
    subprocess.run(["systemctl", "stop", "nginx"], check=False, capture_output=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start_app(env: dict, port: int) -> subprocess.Popen:
    """One app server: a gunicorn master in a process group of its own, so it can be killed."""
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "learnfrl.wsgi",
            "--bind",
            f"{LOOPBACK}:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            "2",
            "--threads",
            "4",
            "--graceful-timeout",
            "20",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    wait_for(f"http://{LOOPBACK}:{port}/ping")
    return server


def kill_app(server: subprocess.Popen) -> None:
    """A crash: SIGKILL to the master and its workers at once; nothing is finished."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def stop_app(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def manage_shell(env: dict, code: str) -> str:
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def make_staff(env: dict) -> None:
    manage_shell(
        env,
        "from django.contrib.auth.models import Group\n"
        "from learnfrl.accounts.users import User\n"
        f"editor, _ = User.objects.get_or_create(username={EDITOR!r})\n"
        f"editor.is_staff = True; editor.set_password({STAFF_PASSWORD!r}); editor.save()\n"
        "editor.groups.add(Group.objects.get(name='Editors'))\n"
        f"locked, _ = User.objects.get_or_create(username={LOCKED!r})\n"
        f"locked.set_password({STAFF_PASSWORD!r}); locked.save()\n"
        "from axes.models import AccessAttempt\n"
        f"AccessAttempt.objects.filter(username={LOCKED!r}).delete()\n",
    )


def database_create(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def redis_fresh(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.ping()
    client.flushdb()  # the cluster's own Redis database: limits and sessions start empty


def card_question(token: str) -> int:
    """The question id inside a card token (signed, not secret: the payload is base64 JSON)."""
    payload = token.split(":", 1)[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload) % 4))
    return int(json.loads(zlib.decompress(raw) if compressed else raw)["q"])


# --- the load, through the proxy -----------------------------------------------------------------


@dataclass
class Tally:
    recorded: int = 0  # "recorded" answers
    confirmed: int = 0  # a resend after a lost answer said "already rated": the first counted
    stale: int = 0  # "already rated" without a lost answer before it
    server_errors: list[float] = field(default_factory=list)  # when each 5xx came (monotonic)
    refused: int = 0  # connection refused by the proxy (never expected)
    other: int = 0


async def log_in(learner: Learner) -> int:
    """Log a learner in; the status of the step that failed, or 302."""
    page = await learner.client.get("/accounts/login/")
    match = CSRF.search(page.text)
    if page.status_code != 200 or not match:
        return page.status_code
    response = await learner.client.post(
        "/accounts/login/",
        data={"username": learner.username, "password": PASSWORD, "csrfmiddlewaretoken": match[1]},
    )
    return response.status_code


async def learner_loop(base: str, names: list[str], deadline: float, tally: Tally) -> None:
    names = list(names)
    learner = None
    lost_answer = False
    while time.monotonic() < deadline and (names or learner):
        try:
            if learner is None:
                learner = Learner(base, names[0])
                status = await log_in(learner)
                if status != 302:
                    await learner.close()
                    learner = None
                    if status >= 500:
                        tally.server_errors.append(time.monotonic())
                    else:
                        tally.other += 1
                    await asyncio.sleep(0.2)
                    continue
                names.pop(0)
                first = await learner.client.get("/study/", headers={"HX-Request": "true"})
                match = TOKEN.search(first.text)
                learner.token = match.group(1) if match else ""
                lost_answer = False
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
            tally.refused += 1
            lost_answer = True
            await asyncio.sleep(0.2)
            continue
        if response.status_code >= 500:
            tally.server_errors.append(time.monotonic())
            lost_answer = True  # send the same card again: recorded once either way
            await asyncio.sleep(0.2)
            continue
        if response.status_code != 200:
            tally.other += 1
            learner.token = ""
            continue
        if "already rated" in response.text:
            if lost_answer:
                tally.confirmed += 1
            else:
                tally.stale += 1
        else:
            tally.recorded += 1
        lost_answer = False
        match = TOKEN.search(response.text)
        learner.token = match.group(1) if match else ""
    if learner is not None:
        await learner.close()


async def drive(base: str, clients: int, learners: int, duration: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + duration
    pools = learner_pools(clients, learners)
    await asyncio.gather(*(learner_loop(base, pool, deadline, tally) for pool in pools))
    return tally


# --- the checks across the two servers -----------------------------------------------------------


def _client(port: int, client_ip: str) -> httpx.Client:
    """A client of one app server, as the proxy would forward it: 127.0.0.1 is trusted."""
    return httpx.Client(
        base_url=f"http://{LOOPBACK}:{port}",
        headers={"X-Forwarded-For": client_ip},
        timeout=30,
        follow_redirects=False,
    )


def _post_form(client: httpx.Client, path: str, data: dict, page: str | None = None):
    form = client.get(page or path)
    match = CSRF.search(form.text)
    token = match.group(1) if match else client.cookies.get("csrftoken", "")
    return client.post(path, data={**data, "csrfmiddlewaretoken": token})


def check_signup_limit(ports: list[int], run_id: str) -> tuple[list[int], bool]:
    """Sign-ups from one client, alternating servers: the 11th (SIGNUP_RATE 10/h) is refused."""
    statuses = []
    for n in range(11):
        with _client(ports[n % 2], "198.51.100.23") as client:
            data = {"username": f"c{run_id}-{n}", "password1": "violet-harbour-4821"}
            data["password2"] = data["password1"]
            statuses.append(_post_form(client, "/accounts/signup/", data).status_code)
    return statuses, statuses[:10] == [302] * 10 and statuses[10] == 429


def check_lockout(ports: list[int]) -> tuple[list[int], bool]:
    """Five wrong passwords alternating servers lock (user, client) out on both."""
    statuses = []
    for n in range(5):
        with _client(ports[n % 2], "198.51.100.45") as client:
            data = {"username": LOCKED, "password": "wrong"}
            statuses.append(_post_form(client, "/accounts/login/", data).status_code)
    right = {"username": LOCKED, "password": STAFF_PASSWORD}
    final = []
    for port in ports:
        with _client(port, "198.51.100.45") as client:
            final.append(_post_form(client, "/accounts/login/", right).status_code)
    with _client(ports[0], "192.0.2.99") as other:
        elsewhere = _post_form(other, "/accounts/login/", right).status_code
    statuses += [*final, elsewhere]
    return statuses, final == [429, 429] and elsewhere == 302


def check_logout(ports: list[int]) -> tuple[list[int], bool]:
    """Log in through server A, log out through A: server B no longer knows the session."""
    a, b = _client(ports[0], "192.0.2.10"), _client(ports[1], "192.0.2.10")
    try:
        _post_form(a, "/accounts/login/", {"username": "bench-00003", "password": PASSWORD})
        b.cookies = a.cookies
        before = b.get("/study/").status_code
        _post_form(a, "/accounts/logout/", {}, page="/study/")
        b.cookies = a.cookies
        after = b.get("/study/").status_code
    finally:
        a.close()
        b.close()
    return [before, after], before == 200 and after == 302


def check_deactivation(ports: list[int], bank_seconds: float) -> tuple[dict, bool]:
    """An editor deactivates the card a learner is shown; it leaves study on both servers."""
    learner = _client(ports[1], "192.0.2.11")
    editor = _client(ports[0], "192.0.2.12")
    try:
        # The heavy learner is never driven by the load, so a card is always waiting.
        _post_form(learner, "/accounts/login/", {"username": HEAVY, "password": PASSWORD})
        page = learner.get("/study/", headers={"HX-Request": "true"})
        shown = TOKEN.search(page.text)
        if not shown:
            return {"error": f"no card to study (HTTP {page.status_code})"}, False
        question = card_question(shown.group(1))
        _post_form(
            editor, "/admin/login/?next=/admin/", {"username": EDITOR, "password": STAFF_PASSWORD}
        )

        def admin_action(action: str) -> int:
            changelist = "/admin/quizzes/question/"
            data = {"action": action, "_selected_action": str(question), "index": "0"}
            # Deactivating asks first: this is the editor's "Yes".
            data |= {"post": "yes"} if action == "deactivate" else {}
            try:
                return _post_form(editor, changelist, data).status_code
            except httpx.TransportError:
                # The editor's kept connection, idle past gunicorn's keep-alive while study was
                # watched, was closed as it was reused: once more, on a new one.
                return _post_form(editor, changelist, data).status_code

        if admin_action("deactivate") != 302:
            return {"question": question, "error": "the admin action failed"}, False
        started = time.monotonic()
        gone: dict[int, float] = {}
        clients = {port: _client(port, "192.0.2.11") for port in ports}
        for client in clients.values():
            client.cookies = learner.cookies
        while len(gone) < len(ports) and time.monotonic() - started < bank_seconds + 10:
            for port, client in clients.items():
                if port in gone:
                    continue
                study = client.get("/study/", headers={"HX-Request": "true"})
                if study.status_code != 200:
                    # The account's request rate (a 429) or a server away: no card read, so
                    # nothing learnt, where reading no card as "gone" counted it left.
                    continue
                match = TOKEN.search(study.text)
                if not match or card_question(match.group(1)) != question:
                    gone[port] = time.monotonic() - started
            # Within the account's request rate (LEARNER_REQUEST_RATE, 20 in 2 s) for both.
            time.sleep(0.25)
        for client in clients.values():
            client.close()
        admin_action("activate")  # leave the bank as it was
    finally:
        learner.close()
        editor.close()
    seconds = {f"server {i + 1}": round(gone.get(p, float("inf")), 2) for i, p in enumerate(ports)}
    within = all(gone.get(p, float("inf")) <= bank_seconds + 0.5 for p in ports)
    return {"question": question, "left study after (s)": seconds}, within


# --- the run ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--learners", type=int, default=400)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--down-seconds", type=float, default=10.0)
    parser.add_argument("--proxy-port", type=int, default=8210)
    parser.add_argument("--app-ports", default="8211,8212")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/learnfrl_cluster"
        ),
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("CLUSTER_CACHE_URL", "redis://127.0.0.1:6379/2")
    )
    parser.add_argument("--report", default=str(REPORT))
    args = parser.parse_args(argv)
    ports = [int(p) for p in args.app_ports.split(",")]
    for url in (args.database_url, args.cache_url):
        if "127.0.0.1" not in url and "localhost" not in url:
            raise SystemExit(f"The cluster runs on this machine only: {url} is not local.")
    nginx = nginx_binary()
    redis_fresh(args.cache_url)
    database_create(args.database_url)
    bank_seconds = 2.0

    env = server_env(argparse.Namespace(session_engine=""))
    env.pop("QUERY_COUNT_HEADER", None)
    env.pop("SQLITE_PATH", None)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "CACHE_URL": args.cache_url,
            "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
            "TRUSTED_PROXIES": LOOPBACK,
            "WEB_CONCURRENCY": "2",
            "BANK_CACHE_SECONDS": str(bank_seconds),
            "SIGNUP_RATE": "10/h",
        }
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    run.prepare(env, args.learners, reviews=20, heavy=10)
    make_staff({**env, "DEBUG": "1"})
    check = subprocess.run(
        [PY, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            **env,
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_SSL_REDIRECT": "1",
            "SESSION_COOKIE_SECURE": "1",
            "CSRF_COOKIE_SECURE": "1",
        },
        capture_output=True,
        text=True,
    )
    deploy_clean = check.returncode == 0 and "WARNING" not in check.stdout + check.stderr

    prefix = RESULTS / "cluster-nginx"
    conf = render_nginx(prefix, args.proxy_port, ports)
    subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(conf)], check=True, capture_output=True
    )
    apps = {port: start_app(env, port) for port in ports}
    subprocess.run([nginx, "-p", str(prefix), "-c", str(conf)], check=True)
    base = f"http://{LOOPBACK}:{args.proxy_port}"
    since = datetime.now(UTC)
    marks: dict[str, float] = {}
    try:
        wait_for(f"{base}/ping")
        print(
            f"{args.clients} learners for {args.duration:g} s through nginx → 2 app servers; "
            f"server 1 killed at {args.duration / 3:.0f} s, back {args.down_seconds:g} s later …",
            flush=True,
        )

        async def scenario() -> Tally:
            load = asyncio.create_task(drive(base, args.clients, args.learners, args.duration))
            await asyncio.sleep(args.duration / 3)
            marks["killed"] = time.monotonic()
            await asyncio.to_thread(kill_app, apps[ports[0]])
            await asyncio.sleep(args.down_seconds)
            marks["restarting"] = time.monotonic()
            apps[ports[0]] = await asyncio.to_thread(start_app, env, ports[0])
            marks["back"] = time.monotonic()
            return await load

        started = time.monotonic()
        tally = asyncio.run(scenario())
        rows = review_rows(env, since)
        run_id = datetime.now(UTC).strftime("%H%M%S")
        signup, signup_ok = check_signup_limit(ports, run_id)
        lockout, lockout_ok = check_lockout(ports)
        logout, logout_ok = check_logout(ports)
        deactivation, deactivation_ok = check_deactivation(ports, bank_seconds)
    finally:
        subprocess.run([nginx, "-p", str(prefix), "-c", str(conf), "-s", "quit"], check=False)
        for server in apps.values():
            stop_app(server)

    acknowledged = tally.recorded + tally.confirmed
    balanced = rows == acknowledged
    errors = sorted(tally.server_errors)
    during_outage = [t for t in errors if marks["killed"] <= t <= marks["back"]]
    outside = len(errors) - len(during_outage)
    offsets = [f"{t - started:.1f}" for t in errors]
    ok = all([balanced, outside == 0, signup_ok, lockout_ok, logout_ok, deactivation_ok])
    yes = {True: "yes", False: "NO"}
    command = "python -m bench.cluster " + " ".join(argv or sys.argv[1:])
    section = "\n".join(
        [
            f"## Cluster run, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"- Command: `make cluster` (`{command.strip()}`)",
            f"- Machine: {machine()}",
            f"- Topology, all on 127.0.0.1: nginx {nginx_version(nginx)} on :{args.proxy_port} "
            f"(docs/deploy/nginx.conf rendered without TLS) → gunicorn ×2 on :{ports[0]} and "
            f":{ports[1]} (2 workers × 4 threads each) → PostgreSQL "
            f"({args.database_url.rsplit('/', 1)[1]}) + Redis ({args.cache_url}); "
            "sessions cached_db; TRUSTED_PROXIES=127.0.0.1",
            f"- Load: {args.clients} learners rating cards for {args.duration:g} s through the "
            f"proxy; server 1 killed (SIGKILL) at {marks['killed'] - started:.1f} s, restarted "
            f"at {marks['restarting'] - started:.1f} s, answering again at "
            f"{marks['back'] - started:.1f} s",
            "- `check --deploy` with these settings: "
            + ("no warnings" if deploy_clean else "WARNINGS"),
            "",
            "| check | result | holds |",
            "| --- | --- | --- |",
            f"| ratings acknowledged (recorded {tally.recorded} + confirmed on resend "
            f"{tally.confirmed}) = review-log rows | {acknowledged} = {rows} | {yes[balanced]} |",
            f"| 5xx answers (all while server 1 was down and the proxy had not yet failed over) "
            f"| {len(errors)} (outside the outage: {outside}; at s: {', '.join(offsets) or '–'}) "
            f"| {yes[outside == 0]} |",
            f"| other answers | {tally.stale} already rated, {tally.other} other 4xx, "
            f"{tally.refused} connections refused by the proxy | – |",
            f"| sign-up limit across both servers (11 sign-ups from one client, alternating) "
            f"| {signup} | {yes[signup_ok]} |",
            f"| lock-out across both servers (5 wrong, alternating; then the right password on "
            f"each, then from another client) | {lockout} | {yes[lockout_ok]} |",
            f"| log-out through server 1 ends the session on server 2 (before, after) | {logout} "
            f"| {yes[logout_ok]} |",
            f"| deactivated question leaves study on both servers within BANK_CACHE_SECONDS "
            f"({bank_seconds:g} s) | {deactivation} | {yes[deactivation_ok]} |",
            "",
        ]
    )
    print(section)
    report = Path(args.report)
    if not report.exists():
        report.write_text(
            "# Cluster runs\n\nWritten by `make cluster` (bench/cluster.py); see README "
            '"Scaling".\n',
            encoding="utf-8",
        )
    with report.open("a", encoding="utf-8") as handle:
        handle.write("\n" + section)
    if not ok:
        raise SystemExit("The cluster run failed a check: see above.")


def nginx_version(nginx: str) -> str:
    out = subprocess.run([nginx, "-v"], capture_output=True, text=True)
    return (out.stderr or out.stdout).strip().split("/")[-1]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
