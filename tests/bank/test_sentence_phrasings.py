"""A third blind set (tests/bank/sentence_phrasings.jsonl: slug, answer, expected, why), written
against the article and every typed and cloze question by someone who never saw the grader nor
the accepted forms, asked for what learners write at length: whole sentences ("It was created
on 10 March 2022."), the question's hedge kept, numbers and days in words, true details added.
No wrong one may pass (one row the writer judged wrong is an accepted form of the bank, and is
marked right, saying so in its "why").

Most right ones the grader still refuses add a detail of their own ("Gazprombank, a Russian
bank"), which it cannot tell true from false, or a synonym ("UAVs"). It accepted 230 of the 282
when the set was written, and 240 with `rules/answer_frames.py`; the floor is that count."""

from tests.bank.test_phrasings import QUESTIONS, accepted, phrasings_in

PHRASINGS = phrasings_in("sentence_phrasings.jsonl")
RIGHT_ACCEPTED_AT_LEAST = 240


def test_the_set_names_questions_of_the_bank_and_both_verdicts():
    assert len(PHRASINGS) >= 600
    assert {p["slug"] for p in PHRASINGS} <= set(QUESTIONS)
    assert {p["expected"] for p in PHRASINGS} == {True, False}


def test_no_wrong_phrasing_of_the_set_is_accepted():
    wrongly = [(p["slug"], p["answer"]) for p in PHRASINGS if not p["expected"] and accepted(p)]
    assert wrongly == []


def test_the_right_phrasings_accepted_do_not_fall():
    right = [p for p in PHRASINGS if p["expected"]]
    taken = [p for p in right if accepted(p)]
    assert len(taken) >= RIGHT_ACCEPTED_AT_LEAST, [p["answer"] for p in right if p not in taken]
