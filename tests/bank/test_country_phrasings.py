"""The blind phrasings that add or change a country (tests/bank/country_phrasings.jsonl: slug,
answer, expected, class, why), written against the article and the questions by someone who
never saw the grader, for the questions whose prompts name a country. No wrong one may pass.

The right ones are harder than the general set's: most add a description of their own ("Ilya
Ponomarev, a former Russian MP", "Ukrainian-born Igor Volobuyev"), which the grader refuses
unless the question says it. It accepted 26 of the 41 when the set was written, as many as the
grader before the twenty-ninth pass's country rules (which let three of the wrong ones through);
the floor below is that count, so that a grader grown stricter in countries shows here."""

from tests.bank.test_phrasings import QUESTIONS, accepted, phrasings_in

PHRASINGS = phrasings_in("country_phrasings.jsonl")
RIGHT_ACCEPTED_AT_LEAST = 26


def test_the_set_names_questions_of_the_bank_and_both_verdicts():
    assert len(PHRASINGS) >= 80
    assert {p["slug"] for p in PHRASINGS} <= set(QUESTIONS)
    assert {p["expected"] for p in PHRASINGS} == {True, False}


def test_no_wrong_country_phrasing_is_accepted():
    wrongly = [(p["slug"], p["answer"]) for p in PHRASINGS if not p["expected"] and accepted(p)]
    assert wrongly == []


def test_the_right_country_phrasings_accepted_do_not_fall():
    right = [p for p in PHRASINGS if p["expected"]]
    taken = [p for p in right if accepted(p)]
    assert len(taken) >= RIGHT_ACCEPTED_AT_LEAST, [p["answer"] for p in right if p not in taken]
