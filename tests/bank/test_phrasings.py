"""The blind phrasings: learners' answers, right and wrong, written against the article and the
questions by someone who never saw the grader (tests/bank/phrasings.jsonl: slug, answer,
expected, class, why). The grader accepts none of the wrong ones and at least 95 % of the right
ones, graded as the site grades them (each question's fact's forms and its prompt)."""

import json
from pathlib import Path

from quizzes.management.commands.load_questions import DEFAULT_PATH
from quizzes.rules.bankfile import bank_parse, bank_questions
from quizzes.rules.grading import grade


def phrasings_in(name: str) -> list[dict]:
    """The phrasings of one blind set of this folder, a JSON object a line."""
    text = (Path(__file__).parent / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


PHRASINGS = phrasings_in("phrasings.jsonl")
QUESTIONS = {q["slug"]: q for q in bank_questions(bank_parse(DEFAULT_PATH.read_text("utf-8")))}
RIGHT_SHARE = 0.95


def accepted(phrasing) -> bool:
    question = QUESTIONS[phrasing["slug"]]
    return grade(
        phrasing["answer"],
        answer=question["answer"],
        accepted=question["accepted_answers"],
        prompt=question["prompt"],
    ).correct


def test_the_set_is_large_and_names_questions_of_the_bank():
    assert len(PHRASINGS) >= 300
    assert {p["slug"] for p in PHRASINGS} <= set(QUESTIONS)
    assert {p["expected"] for p in PHRASINGS} == {True, False}


def test_no_wrong_phrasing_is_accepted():
    wrongly = [
        (p["slug"], p["answer"], p["class"]) for p in PHRASINGS if not p["expected"] and accepted(p)
    ]
    assert wrongly == []


def test_at_least_95_percent_of_the_right_phrasings_are_accepted():
    right = [p for p in PHRASINGS if p["expected"]]
    refused = [(p["slug"], p["answer"], p["class"]) for p in right if not accepted(p)]
    assert 1 - len(refused) / len(right) >= RIGHT_SHARE, refused
