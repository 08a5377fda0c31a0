"""Time each page of `make bench` in one process (Django's test client, no server): the median
and p90 of each, its SQL statements, and, asked for, a profile of one page. A quick way to see
where a page's time goes before and after a change; `make bench` remains the measure.

    python -m bench.pages_quick [--rounds 100] [--pages password,study,rating,cards,...]
                                [--profile rating [--sort tottime] [--lines 40]
                                 [--callees attempt_start]] [--sql rating]
                                [--pieces quizzes.quiz.services:attempt_start,...]
    python -m bench.pages_quick --interleave [--rounds 200] [--pages ...]

`--interleave` takes one request of each page in turn, round after round, and reports each
page's median CPU time (this thread's) and its ratio to the password page's: on a machine whose
speed drifts, pages timed side by side compare more fairly than pages timed one after another.

`--pieces module:function,...` wraps each function named with a timer and prints, under each page,
the wall time each took a request (a mean, with how many calls a request): where a page's time
goes without a profiler's overhead, which is larger the smaller the functions. Name a function in
the module its caller finds it in (`quizzes.quiz.services:quiz_questions_pick`, which services
imports by name, not the selectors module that defines it); a method is `module:Class.method`.

SQLite by default: a fresh file in /tmp, seeded as `make bench` seeds (50 learners with 400
reviews each, one with 20,000). With DATABASE_URL, that database (seeded if it is empty of the
benchmark learners). Rating and answering write: run it on a fresh seed for comparable figures.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from bench.load import CARDS_URL, CHOICE, HX, QUESTION, QUIZ_START, TOKEN, VERSION
from bench.statistics_quick import ENV, sqlite_afresh

SQLITE = "/tmp/learnfrl-pages-quick.sqlite3"
FORM = "application/x-www-form-urlencoded"
# Past quizzes of the learner whose quizzes page is timed.
PAST_QUIZZES = 12
RESUME = re.compile(r'href="(/quizzes/\d+/)">Resume quiz')


def _setup() -> None:
    if os.environ.get("DATABASE_URL"):
        for key, value in ENV.items():
            os.environ.setdefault(key, value)
    else:
        sqlite_afresh(SQLITE)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    # Static files by name: no collectstatic manifest for an in-process run.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()
    from bench import seed

    seed.seed(learners=50, reviews=400, heavy_reviews=20_000)


class Pages:
    """The scenarios of bench/load.py, driven through the test client."""

    def __init__(self, client: Any):
        self.client = client
        self.token = ""
        self.attempt_url = ""
        self.question = ""
        self.choice = ""
        self.version = ""
        # What a page leaves to do after it, off the clock (a quiz started is finished).
        self.untimed: Callable[[], Any] | None = None
        self.listed = False

    def _post(self, url: str, data: dict[str, str], **extra: Any) -> Any:
        """A form posted as a browser and htmx post it (URL-encoded, not the test client's
        multipart), so that parsing it costs what it costs under `make bench`."""
        return self.client.post(url, urlencode(data), content_type=FORM, **extra)

    def password(self) -> Any:
        return self.client.get("/accounts/password_change/")

    def study(self) -> Any:
        return self.client.get("/study/", headers=HX)

    def rating(self) -> Any:
        if not self.token:
            shown = TOKEN.search(self.study().content.decode())
            if shown is None:
                raise LookupError("The learner has no card left to rate: seed afresh.")
            self.token = shown.group(1)
        data = {"token": self.token, "rating": "3"}
        response = self._post("/study/review/", data, headers=HX)
        found = TOKEN.search(response.content.decode())
        self.token = found.group(1) if found else ""
        return response

    def progress(self) -> Any:
        return self.client.get("/progress/")

    def statistics(self) -> Any:
        return self.client.get("/progress/statistics/", headers=HX)

    def cards(self) -> Any:
        return self.client.get(CARDS_URL)

    def _quiz_start(self) -> None:
        running = RESUME.search(self.client.get("/quizzes/").content.decode())
        if running:
            self.attempt_url = running.group(1)
        else:
            self._start_unread()
        self._read(self.client.get(self.attempt_url))

    def _read(self, response: Any) -> None:
        text = response.content.decode()
        question, choice = QUESTION.search(text), CHOICE.search(text)
        self.question = question.group(1) if question else ""
        self.choice = choice.group(1) if choice else "I do not know"
        version = VERSION.search(text)
        self.version = version.group(1) if version else ""

    def quiz_list(self) -> Any:
        """The quizzes page of a learner with PAST_QUIZZES finished quizzes (given on the first
        call, a warm-up one)."""
        if not self.listed:
            for _ in range(PAST_QUIZZES):
                self.quiz_start()
                _after(self.quiz_start)
            self.listed = True
        return self.client.get("/quizzes/")

    def quiz_start(self) -> Any:
        """A quiz start; the quiz is finished off the clock (`untimed`) for the next start."""
        response = self._post("/quizzes/start/", QUIZ_START)
        finish = response.headers["Location"] + "finish/"
        self.untimed = lambda: self.client.post(finish)
        return response

    def quiz_finish(self) -> Any:
        """A quiz finished early; the next is started off the clock (`untimed`)."""
        if not self.attempt_url:  # the first call, a warm-up one
            self._start_unread()
        response = self._post(self.attempt_url + "finish/", {})
        self.attempt_url = ""
        self.untimed = self._start_unread
        return response

    def _start_unread(self) -> None:
        """A quiz started, its first question not read."""
        self.attempt_url = self._post("/quizzes/start/", QUIZ_START).headers["Location"]

    def quiz_question(self) -> Any:
        if not self.attempt_url:
            self._quiz_start()
        return self.client.get(self.attempt_url)

    def quiz_answer(self) -> Any:
        """A quiz answer; after a quiz's last one, the next quiz is started off the clock."""
        if not self.question:  # the first call, a warm-up one
            self._quiz_start()
        data = {"question": self.question, "version": self.version, "response": self.choice}
        response = self._post(self.attempt_url + "answer/", data, headers=HX)
        if "HX-Redirect" in response.headers:
            self.attempt_url = self.question = ""
            self.untimed = self._quiz_start
        else:
            self._read(response)
        return response


# Which learner each page is timed for: the heavy one for its heavy pages.
HEAVY_PAGES = {"progress", "statistics", "cards"}
PAGES = (
    "password",
    "study",
    "rating",
    "progress",
    "statistics",
    "cards",
    "quiz_question",
    "quiz_answer",
)


def _after(page: Callable[[], Any]) -> None:
    """Do what the page left to do off the clock, if anything."""
    pages = getattr(page, "__self__", None)
    if isinstance(pages, Pages) and pages.untimed is not None:
        untimed, pages.untimed = pages.untimed, None
        untimed()


def _time(
    page: Callable[[], Any],
    rounds: int,
    profile: cProfile.Profile | None,
    pieces: "_Pieces | None" = None,
) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        page()
        _after(page)
    times, queries = [], []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            if pieces and not times:
                pieces.clear()  # the warm-up's and earlier pages' calls are not counted
            start = time.perf_counter()
            if profile:
                profile.enable()
            response = page()
            if profile:
                profile.disable()
            times.append((time.perf_counter() - start) * 1000)
        # Read before what the page left to do: its request empties the log they are read from
        # (the quiz start's and finish's statements read 0 when read after it).
        last = captured.captured_queries
        queries.append(len(last))
        if pieces:
            # What the page left to do off the clock is not the page's: its calls are dropped.
            counted = {path: len(spent) for path, spent in pieces.spent.items()}
        _after(page)
        if pieces:
            for path, spent in pieces.spent.items():
                del spent[counted[path] :]
        assert response.status_code in (200, 302), response.status_code
    times.sort()
    return {
        "median": statistics.median(times),
        "p90": times[int(0.9 * (len(times) - 1))],
        "sql": statistics.mean(queries),
        "last": last,
    }


def _interleaved(pages: list[str], rounds: int) -> None:
    """Time the pages in turn, a request of each a round, in CPU time; print each against the
    password page. A learner who has rated every card they may is replaced by the next one."""
    from django.test import Client

    from bench.seed import HEAVY
    from learnfrl.accounts.users import User

    names = ["password", *(p for p in pages if p != "password")]
    learners = {name: 7 + 5 * n for n, name in enumerate(names)}

    def page_of(name: str) -> Callable[[], Any]:
        client = Client()
        learner = HEAVY if name in HEAVY_PAGES else f"bench-{learners[name]:05d}"
        client.force_login(User.objects.get(username=learner))
        return getattr(Pages(client), name)  # type: ignore[no-any-return]

    timed = {name: page_of(name) for name in names}
    for page in timed.values():
        for _ in range(3):
            page()
            _after(page)
    cpu: dict[str, list[float]] = {name: [] for name in names}
    server = _DatabaseServer()
    served: dict[str, float] = dict.fromkeys(names, 0.0)
    for _ in range(rounds):
        for name in names:
            # The server's figure first: reading it is this thread's work, not the page's.
            server_start = server.cpu()
            start = time.thread_time()
            try:
                timed[name]()
            except LookupError:
                learners[name] += 1
                timed[name] = page_of(name)
                continue
            cpu[name].append((time.thread_time() - start) * 1000)
            served[name] += (server.cpu() - server_start) * 1000
            _after(timed[name])
    password = statistics.median(cpu["password"])
    if not server.pid:
        print(f"{'page':16} {'CPU ms':>8} {'× password':>11}")
        for name in names:
            median = statistics.median(cpu[name])
            print(f"{name:16} {median:8.3f} {password / median:11.2f}")
        return
    # PostgreSQL: its server's CPU for the connection too (a mean: the kernel counts it in
    # ticks of 10 ms), and the ratio of both together, as 2 cores shared by both serve make bench.
    both = password + served["password"] / len(cpu["password"])
    print(f"{'page':16} {'CPU ms':>8} {'× password':>11} {'server ms':>10} {'× with server':>14}")
    for name in names:
        median = statistics.median(cpu[name])
        on_server = served[name] / len(cpu[name])
        print(
            f"{name:16} {median:8.3f} {password / median:11.2f} {on_server:10.3f}"
            f" {both / (median + on_server):14.2f}"
        )
    _replanned()


def _replanned() -> None:
    """The prepared statements PostgreSQL planned anew on most runs (a custom plan each time,
    up to a millisecond a run), with how often: candidates for their generic plan."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT custom_plans, generic_plans, statement FROM pg_prepared_statements"
            " WHERE custom_plans > 5 ORDER BY custom_plans DESC"
        )
        rows = cursor.fetchall()
    if rows:
        print("\nPlanned anew on each run (custom plans, generic plans, statement):")
    for custom, generic, statement in rows:
        print(f"{custom:6} {generic:6}  {' '.join(statement.split())[:150]}")


class _DatabaseServer:
    """The CPU time PostgreSQL's process serving this connection has used, from /proc (the
    server runs on this machine in `make bench`); none on SQLite, whose work is the thread's, nor
    for a server elsewhere."""

    def __init__(self) -> None:
        from django.db import connection

        self.pid = 0
        self.tick = os.sysconf("SC_CLK_TCK")
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        # Only a server on this machine, in this process namespace: elsewhere (another host, a
        # container) the pid is not PostgreSQL's here, and the column is left out.
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if comm.read().startswith("postgres"):
                    self.pid = pid
        except OSError:
            pass

    def cpu(self) -> float:
        if not self.pid:
            return 0.0
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        # utime and stime: the 14th and 15th fields, the 12th and 13th after the name.
        return (int(fields[11]) + int(fields[12])) / self.tick


class _Pieces:
    """Timers around the functions named (`module:function` or `module:Class.method`)."""

    def __init__(self, names: str):
        import functools
        import importlib

        self.spent: dict[str, list[float]] = {}
        for name in filter(None, names.split(",")):
            module_name, _, path = name.partition(":")
            owner: Any = importlib.import_module(module_name)
            *parents, attribute = path.split(".")
            for parent in parents:
                owner = getattr(owner, parent)
            original = getattr(owner, attribute)
            spent = self.spent.setdefault(path, [])

            def timed(*args: Any, _original: Any = original, _spent: list = spent, **kw: Any):
                started = time.perf_counter()
                try:
                    return _original(*args, **kw)
                finally:
                    _spent.append(time.perf_counter() - started)

            setattr(owner, attribute, functools.wraps(original)(timed))

    def clear(self) -> None:
        for spent in self.spent.values():
            spent.clear()

    def report(self, requests: int) -> None:
        for path, spent in self.spent.items():
            if not spent:
                continue
            per = sum(spent) / requests * 1000
            print(f"    {path:40} {per:8.3f} ms a request ({len(spent) / requests:.2f} calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--profile", default="", help="a page to profile (cProfile)")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats)")
    parser.add_argument("--lines", type=int, default=40, help="the profile's lines shown")
    parser.add_argument(
        "--callees", default="", help="also what the functions matching this pattern call"
    )
    parser.add_argument("--sql", default="", help="a page whose statements to print")
    parser.add_argument(
        "--pieces", default="", help="module:function,... to time within each page (wall time)"
    )
    parser.add_argument(
        "--interleave", action="store_true", help="pages in turn, in CPU time, × password"
    )
    args = parser.parse_args()
    _setup()
    if args.interleave:
        _interleaved(args.pages.split(","), args.rounds)
        return
    from django.test import Client

    from bench.seed import HEAVY
    from learnfrl.accounts.users import User

    pieces = _Pieces(args.pieces) if args.pieces else None
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"{engine}, {args.rounds} requests a page after 3 to warm up, one process")
    print(f"{'page':16} {'median ms':>10} {'p90 ms':>8} {'SQL':>6}")
    for name in args.pages.split(","):
        client = Client()
        learner = HEAVY if name in HEAVY_PAGES else "bench-00007"
        client.force_login(User.objects.get(username=learner))
        profile = cProfile.Profile() if name == args.profile else None
        result = _time(getattr(Pages(client), name), args.rounds, profile, pieces)
        print(f"{name:16} {result['median']:10.2f} {result['p90']:8.2f} {result['sql']:6.1f}")
        if pieces:
            pieces.report(args.rounds)
        if name == args.sql:
            for query in result["last"]:
                print("   ", query["sql"][:200])
        if profile:
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
            stats.print_stats(args.lines)
            if args.callees:
                stats.print_callees(args.callees)
            print(out.getvalue())


if __name__ == "__main__":
    main()
