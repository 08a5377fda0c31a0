"""The grader measured against answers it was not written from, in one process, no database:

    python -m bench.grading_answers shares [--list]     the blind sets' shares
    python -m bench.grading_answers generate OUT.json   generated answers, and those accepted
    python -m bench.grading_answers compare OLD NEW     what one tree accepts that another did not
    python -m bench.grading_answers time                ms an answer, the blind set's

`shares` grades `tests/bank/phrasings.jsonl`, `country_phrasings.jsonl` and
`sentence_phrasings.jsonl` (written by someone who never saw the grader) against the bank's
questions: how many right phrasings are accepted, and how many wrong ones (`--list` prints each
miss). `generate` builds answers from each typed and cloze question's forms (a prompt word, a
country, "in" or "of" with a country, "and", "not" or a title put in anywhere; a word dropped;
one letter of a long word changed, dropped or swapped) and writes, per question, the ones the
grader accepts. Run it on two trees (from the older one's folder, by this file's path where its
`bench` lacks it) and `compare` the two files.
"""

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BANK = Path("fixtures/questions.json")
BLIND_SETS = (
    "tests/bank/phrasings.jsonl",
    "tests/bank/country_phrasings.jsonl",
    "tests/bank/sentence_phrasings.jsonl",
)
# Words put into a form: what a learner adds around an answer, right or wrong.
EXTRA = [
    "russia",
    "ukraine",
    "russian",
    "ukrainian",
    ", russia",
    ", ukraine",
    "in russia",
    "in ukraine",
    "and",
    "the",
    "of",
    "not",
    "no",
    "former",
    "president",
    "mr",
]
_CLOZE = re.compile(r"\{\{.*?\}\}")
_PROMPT_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _setup() -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnfrl.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _questions() -> dict[str, tuple[str, list[str], str, str]]:
    """Each question by slug: its answer, accepted forms, prompt and kind."""
    bank = json.loads(BANK.read_text())
    return {
        q["slug"]: (
            q.get("answer", fact["answer"]),
            q.get("accepted_answers", fact.get("accepted_answers", [])),
            q["prompt"],
            q["kind"],
        )
        for fact in bank["facts"]
        for q in fact["questions"]
    }


def _right(text: str, question: tuple[str, list[str], str, str]) -> bool:
    from quizzes.rules.grading import grade

    answer, accepted, prompt, _kind = question
    return grade(text, answer=answer, accepted=accepted, prompt=prompt).correct


def shares(listed: bool) -> None:
    questions = _questions()
    for path in BLIND_SETS:
        rows = _rows(path)
        graded = [(r, _right(r["answer"], questions[r["slug"]])) for r in rows]
        right = [accepted for r, accepted in graded if r["expected"]]
        wrong = [accepted for r, accepted in graded if not r["expected"]]
        print(
            f"{path}: right accepted {sum(right)}/{len(right)}, "
            f"wrong accepted {sum(wrong)}/{len(wrong)}"
        )
        if listed:
            for r, accepted in graded:
                if accepted != r["expected"]:
                    kind = "refused" if r["expected"] else "ACCEPTED"
                    print(f"  {kind} {r['slug']} {r['answer']!r}")


def _rows(path: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def _slips(word: str) -> Iterator[str]:
    """One letter dropped, made a vowel or "r", or two swapped."""
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]
        for letter in "aeiour":
            if letter != word[i]:
                yield word[:i] + letter + word[i + 1 :]
    for i in range(len(word) - 1):
        yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _generated(answer: str, accepted: list[str], prompt: str) -> set[str]:
    prompt_words = sorted(set(_PROMPT_WORD.findall(_CLOZE.sub(" ", prompt))))
    texts = set()
    for form in [answer, *accepted]:
        words = form.split()
        for i in range(len(words) + 1):
            for extra in prompt_words + EXTRA:
                texts.add(" ".join([*words[:i], extra, *words[i:]]))
        for i, word in enumerate(words):
            texts.add(" ".join(words[:i] + words[i + 1 :]))
            if len(word) >= 4:
                texts.update(" ".join([*words[:i], s, *words[i + 1 :]]) for s in _slips(word))
    return {t for t in texts if t.strip()}


def generate(out: Path) -> None:
    accepted: dict[str, list[str]] = {}
    count = 0
    for slug, question in _questions().items():
        if question[3] not in ("typed", "cloze"):
            continue
        texts = sorted(_generated(*question[:3]))
        count += len(texts)
        accepted[slug] = [t for t in texts if _right(t, question)]
    out.write_text(json.dumps(accepted, indent=0, sort_keys=True))
    print(f"{count:,} answers; {sum(len(v) for v in accepted.values()):,} accepted -> {out}")


def compare(old: Path, new: Path) -> None:
    before: dict[str, Any] = json.loads(old.read_text())
    after: dict[str, Any] = json.loads(new.read_text())
    gained = lost = 0
    for slug in sorted(set(before) | set(after)):
        was, now = set(before.get(slug, [])), set(after.get(slug, []))
        for text in sorted(now - was):
            print(f"newly accepted  {slug} {text!r}")
        for text in sorted(was - now):
            print(f"no longer       {slug} {text!r}")
        gained += len(now - was)
        lost += len(was - now)
    print(f"{gained:,} newly accepted, {lost:,} no longer")


def timed() -> None:
    questions = _questions()
    rows = _rows(BLIND_SETS[0])
    items = [(r["answer"], questions[r["slug"]]) for r in rows]
    for text, question in items:  # each question's forms read once, as the app's cache keeps them
        _right(text, question)
    best = min(_pass(items) for _ in range(5))
    print(f"{best * 1000 / len(items):.4f} ms an answer ({len(items)} answers, best of five)")


def _pass(items: list[tuple[str, tuple[str, list[str], str, str]]]) -> float:
    start = time.perf_counter()
    for text, question in items:
        _right(text, question)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    shares_parser = commands.add_parser("shares")
    shares_parser.add_argument("--list", action="store_true")
    commands.add_parser("generate").add_argument("out", type=Path)
    compare_parser = commands.add_parser("compare")
    compare_parser.add_argument("old", type=Path)
    compare_parser.add_argument("new", type=Path)
    commands.add_parser("time")
    args = parser.parse_args()
    if args.command == "compare":
        compare(args.old, args.new)
        return
    _setup()
    if args.command == "shares":
        shares(args.list)
    elif args.command == "generate":
        generate(args.out)
    else:
        timed()


if __name__ == "__main__":
    main()
