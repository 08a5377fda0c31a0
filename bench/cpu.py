"""Where the machine's CPU went while a scenario's clock ran: the app servers, the database, the
load generator itself, and the rest (read from Linux's /proc; nothing elsewhere).

The load generator, the app servers and PostgreSQL share this machine's cores, so a request that
costs the database more leaves the servers less: a ratio alone does not say which. Split per
request, it does (docs/benchmarks.md, tenth pass, found a rating's gap on PostgreSQL this way).
"""

import os
from collections import Counter
from pathlib import Path

PROC = Path("/proc")
GROUPS = ("server", "database", "load", "other")


def _group(pid: int, command: str) -> str:
    if pid == os.getpid():
        return "load"
    if "gunicorn" in command:
        return "server"
    # A PostgreSQL backend or background process ("postgres: …"), or the postmaster.
    if command.startswith("postgres") or "/postgresql/" in command:
        return "database"
    return "other"


def snapshot() -> dict[int, tuple[str, int]] | None:
    """Each process's group and CPU time so far (clock ticks), or None off Linux."""
    if not (PROC / "stat").exists():
        return None
    taken: dict[int, tuple[str, int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        # The command name in parentheses may hold spaces: the fields that follow it are split.
        fields = stat.rpartition(")")[2].split()
        if len(fields) < 13:  # read as it ended: nothing to count
            continue
        taken[int(entry.name)] = (
            _group(int(entry.name), command),
            int(fields[11]) + int(fields[12]),
        )
    return taken


def spent(
    before: dict[int, tuple[str, int]] | None, after: dict[int, tuple[str, int]] | None
) -> dict[str, float]:
    """Seconds of CPU each group spent between two snapshots (processes started meanwhile
    counted from nothing; ended ones, lost)."""
    if before is None or after is None:
        return {}
    ticks: Counter[str] = Counter()
    for pid, (group, now) in after.items():
        ticks[group] += now - before.get(pid, (group, 0))[1]
    per_second = os.sysconf("SC_CLK_TCK")
    return {group: ticks[group] / per_second for group in GROUPS}
