"""Anki's own memory state for review histories, computed in a process of its own.

Anki's backend reads the local time zone from the `TZ` environment variable once per process, so
a test that needs the learner's zone runs this module as a child process with `TZ` set, instead
of changing `TZ` inside the test process (where an earlier use of Anki has already fixed it).

Input on stdin (JSON): {"rollover": hour, "parameters": [...], "histories": [[[ms, rating, kind],
...], ...]}. Output: one [stability, difficulty] per history.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def _compute(request: dict) -> list[list[float]]:
    from anki.collection import Collection
    from anki.decks import DeckId

    deck = DeckId(1)
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            col.set_config("rollover", request["rollover"])
            col.set_config("fsrs", True)
            config = col.decks.config_dict_for_deck_id(deck)
            config["fsrsParams6"] = list(request["parameters"])
            config["desiredRetention"] = 0.9
            col.decks.update_config(config)
            basic = col.models.by_name("Basic")
            assert basic is not None
            assert col.db is not None
            results = []
            for history in request["histories"]:
                note = col.new_note(basic)
                note["Front"] = "Which legion?"
                col.add_note(note, deck)
                card_id = note.cards()[0].id
                for at_ms, rating, kind in history:
                    col.db.execute(
                        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                        " VALUES (?, ?, -1, ?, 0, 0, 0, 6000, ?)",
                        at_ms,
                        card_id,
                        rating,
                        kind,
                    )
                state = col.compute_memory_state(card_id)
                assert state.stability is not None
                assert state.difficulty is not None
                results.append([state.stability, state.difficulty])
            return results
        finally:
            col.close()


def anki_memories(
    histories: list[list[tuple[int, int, int]]], *, zone: str, rollover: int, parameters
) -> list[tuple[float, float]]:
    """Anki's (stability, difficulty) of each history ([(revlog id in ms, ease, type)]) for a
    learner in `zone` whose day starts at `rollover`."""
    request = {"rollover": rollover, "parameters": list(parameters), "histories": histories}
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.anki_memory"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": zone},
        cwd=Path(__file__).resolve().parents[2],
    )
    return [(s, d) for s, d in json.loads(done.stdout)]


if __name__ == "__main__":
    print(json.dumps(_compute(json.load(sys.stdin))))
