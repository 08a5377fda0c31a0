"""Grading against the whole bank file: every accepted form is right, and no question accepts
what the article tells apart (another question's answer, a wrong year, a name one slip away)."""

import calendar
import json
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from quizzes.management.commands.load_questions import DEFAULT_PATH
from quizzes.rules.answer_dates import parse_date
from quizzes.rules.grading import answer_forms, answer_key, article_name_words, grade, normalise
from quizzes.rules.slips import SLIP_MIN_LETTERS
from tests.helpers import bank_flat

# Read flat: each question with the forms it is graded by (its fact's).
BANK = bank_flat(json.loads(DEFAULT_PATH.read_text(encoding="utf-8")))
CHOICE_KINDS = {"multiple_choice", "true_false"}
# Questions answered by typing (typed answers, and clozes when the bank has them).
TYPED = [q for q in BANK["questions"] if q["kind"] not in CHOICE_KINDS]


def forms(question) -> tuple[str, ...]:
    return answer_forms(question["answer"], question["accepted_answers"])


def verdict(text: str, question):
    return grade(text, answer=question["answer"], accepted=question["accepted_answers"])


def same_answer(one, other) -> bool:
    """Whether the article gives two questions the same answer (Putin signed the law and leads
    the regime; both penalties are up to 20 years), so each may accept the other's forms.

    A cloze's answer is the article's own words, so the same fact asked as a cloze and as a typed
    question can have answers written differently ("Okhlopkov" and "Nikolay Okhlopkov", "two
    battalions" and "two"): they are the same answer when the bank lists the same words as right
    for both. Words alone: "1 June 2022" and "1 June 2023" are never one answer.
    """
    one_forms = {answer_key(form) for form in forms(one)}
    other_forms = {answer_key(form) for form in forms(other)}
    return bool(one_forms & other_forms)


@pytest.mark.parametrize("question", TYPED, ids=lambda q: q["slug"])
def test_every_answer_and_accepted_form_in_the_bank_grades_right(question):
    for form in forms(question):
        assert verdict(form, question).correct, form


def test_no_question_accepts_another_questions_answer_where_the_article_tells_them_apart():
    accepted_across = [
        (question["slug"], other["slug"], form)
        for question in TYPED
        for other in TYPED
        if other is not question and not same_answer(question, other)
        for form in forms(other)
        if verdict(form, question).correct
    ]
    assert accepted_across == []


def _bank_texts() -> list[tuple[str, int]]:
    """Every answer, accepted form and choice of the bank (true/false aside), each with the id of
    the thing it names: the forms of one question name one thing, and so do equal texts."""
    texts: dict[str, int] = {}
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent[node] != node:
            node = parent[node]
        return node

    def thing(text: str) -> int:
        if text not in texts:
            texts[text] = parent.setdefault(len(parent), len(parent))
        return texts[text]

    by_key: dict[str, int] = {}
    for question in BANK["questions"]:
        if question["kind"] == "true_false":
            continue
        one = thing(question["answer"])
        for text in (*question["accepted_answers"], *(c["text"] for c in question["choices"])):
            node = thing(text)
            if text in question["accepted_answers"]:
                parent[root(node)] = root(one)
    for text, node in texts.items():
        for key in {normalise(text), answer_key(text)}:
            if key in by_key:
                parent[root(node)] = root(by_key[key])
            by_key.setdefault(key, node)
    return [(text, root(node)) for text, node in texts.items()]


def _could_match(one: str, other: str) -> bool:
    """Grading accepts a different text only as the same date or as a name with at most one slip
    per word; any other pair cannot match, so the test grades only these (it keeps it fast)."""
    one_date, other_date = parse_date(one), parse_date(other)
    if one_date is not None or other_date is not None:
        return one_date is not None and other_date is not None
    one_key, other_key = answer_key(one), answer_key(other)
    return len(one_key.split()) == len(other_key.split()) and OSA.distance(
        one_key, other_key
    ) <= len(one_key.split())


def test_no_two_names_or_answers_of_the_bank_are_graded_the_same():
    """Ponomarev is never Ponomarenko, 1 June 2022 never 1 June 2023, across every answer,
    accepted form and multiple-choice option (the distractors are the article's own names)."""
    confused = [
        (one, other)
        for (one, one_thing), (other, other_thing) in combinations(_bank_texts(), 2)
        if one_thing != other_thing
        and _could_match(one, other)
        and (grade(one, answer=other).correct or grade(other, answer=one).correct)
    ]
    assert confused == []


# Names of the article one letter apart that are one word: a plural, a country and its adjective.
# ("Lehion", the romanisation the article gives, is a name of its own when typed; a slip near it
# is still a slip of Legion.)
ONE_WORD = {
    ("legion", "legions"),
    ("russia", "russian"),
    ("ukraine", "ukraines"),
    ("ukrainian", "ukrainians"),
}


def test_the_article_names_that_differ_by_little_are_told_apart():
    names = sorted(w for w in article_name_words() if len(w) >= SLIP_MIN_LETTERS)
    close = [(a, b) for a, b in combinations(names, 2) if OSA.distance(a, b) <= 1]
    assert ("forbes", "forces") in close
    for one, other in close:
        same = (one, other) in ONE_WORD
        assert grade(one, answer=other.title()).correct is same, (one, other)
    assert not grade("Ponomarev", answer="Ponomarenko").correct
    assert not grade("Ponomarenko", answer="Ponomarev").correct


def test_every_typed_date_in_the_bank_stores_its_year():
    # The article implies every year it leaves out; the answer states it, so a wrong year is
    # refused, and the forms without a year still accept the day and month alone.
    for question in (q for q in BANK["questions"] if q["kind"] == "typed"):
        dates = [parse_date(form) for form in forms(question)]
        day_dates = [d for d in dates if d is not None and d.day is not None]
        if day_dates:
            answer_date = parse_date(question["answer"])
            assert answer_date is not None, question["slug"]
            assert answer_date.year is not None, question["slug"]
            assert all((d.month, d.day) == (answer_date.month, answer_date.day) for d in day_dates)


DATED = [
    (q, d)
    for q in TYPED
    if (d := parse_date(q["answer"])) is not None and d.day is not None and d.year is not None
]


def _written(day: int, month: int, year: int | None, style: int) -> str:
    month_name = calendar.month_name[month]
    suffix = f" {year}" if year else ""
    return [
        f"{day} {month_name}{suffix}",
        f"{month_name} {day}{',' if year else ''}{suffix}",
        f"{day}/{month:02d}" + (f"/{year}" if year else ""),
        f"{day:02d}.{month:02d}" + (f".{year}" if year else ""),
        f"the {day}th of {month_name[:3]}{suffix}",
    ][style]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), case=st.sampled_from(DATED), style=st.integers(min_value=0, max_value=4))
def test_a_bank_date_is_right_in_any_form_with_its_year_and_wrong_with_any_other(data, case, style):
    question, right = case
    year = data.draw(st.one_of(st.just(right.year), st.integers(min_value=1900, max_value=2100)))
    text = _written(right.day, right.month, year, style)
    assert verdict(text, question).correct is (year == right.year), text


@settings(max_examples=150, deadline=None)
@given(
    case=st.sampled_from(DATED),
    other=st.sampled_from(DATED),
    style=st.integers(min_value=0, max_value=4),
    with_year=st.booleans(),
)
def test_another_bank_date_is_wrong_for_a_date_question(case, other, style, with_year):
    (question, right), (_, wrong) = case, other
    if (wrong.month, wrong.day) == (right.month, right.day) and (
        wrong.year == right.year or not with_year
    ):
        return  # the same date asked twice, or the same day and month, which a question may take
    text = _written(wrong.day, wrong.month, wrong.year if with_year else None, style)
    assert not verdict(text, question).correct, text


NAMED = [
    q for q in TYPED if any(len(w) >= SLIP_MIN_LETTERS for w in answer_key(q["answer"]).split())
]


@st.composite
def slipped(draw, text: str) -> str:
    """The text with one slip: a letter dropped, doubled, replaced, or two letters swapped."""
    position = draw(st.integers(min_value=0, max_value=len(text) - 2))
    how = draw(st.sampled_from(["drop", "double", "replace", "swap"]))
    if how == "drop":
        return text[:position] + text[position + 1 :]
    if how == "double":
        return text[: position + 1] + text[position:]
    if how == "replace":
        letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
        return text[:position] + letter + text[position + 1 :]
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), question=st.sampled_from(NAMED))
def test_a_slip_of_one_answer_is_never_right_for_a_question_with_another_answer(data, question):
    text = data.draw(slipped(question["answer"]))
    for other in TYPED:
        if other is not question and not same_answer(question, other):
            assert not verdict(text, other).correct, (text, other["slug"])


BY_SLUG = {q["slug"]: q for q in BANK["questions"]}


@pytest.mark.parametrize(
    ("slug", "text"),
    [
        ("people-putin-regime-opposed-typed", "Putin's"),
        ("people-putin-regime-opposed-typed", "Vladimir Putin's"),
        ("people-putin-signed-defection-law-typed", "President Putin"),
        ("people-caesar-physiotherapist-typed", "a former physiotherapist"),
        ("legal-terrorist-designation-penalty-typed", "20 years in jail"),
        ("symbols-nom-de-guerre-caesar-typed", '"Caesar" (Tsezar)'),
        ("symbols-nom-de-guerre-caesar-typed", "Ceasar"),
        ("people-clarke-typed", "Professor Clarke"),
        ("people-clarke-typed", "Clark"),
        ("people-company-commander-sbu-typed", "Ukrainian Security Service"),
        ("organizations-fsb-arrest-typed", "Russian FSB"),
        ("organizations-sibir-battalion-typed", "Siberian Battalion"),
        ("symbols-press-conference-balaclavas-typed", "black masks"),
        ("dates-okhlopkov-arrest-typed", "22/06/2022"),
        ("legal-defection-law-date-typed", "14/07/2022"),
        ("dates-shebekino-raid-typed", "1 June"),
        ("dates-shebekino-raid-typed", "1 June 2023"),
        ("dates-press-conference-typed", "05/04/2022"),
        ("dates-pow-captured-typed", "June 29th, 2022"),
        ("dates-withdrawal-statement-typed", "13 July"),
    ],
)
def test_what_the_review_found_refused_though_right_is_right(slug, text):
    assert verdict(text, BY_SLUG[slug]).correct


@pytest.mark.parametrize(
    ("slug", "text"),
    [
        ("dates-shebekino-raid-typed", "1 June 2022"),  # the tank video's year
        ("dates-press-conference-typed", "5 April 2023"),
        ("dates-pow-captured-typed", "29 June 2023"),
        ("dates-withdrawal-statement-typed", "13 July 2023"),
        ("dates-tank-video-typed", "1 June 2023"),
        ("people-ponomarev-political-wing-typed", "Ponomarenko"),
        ("people-ponomarenko-typed", "Ponomarev"),
        ("legal-defection-law-date-typed", "07/14/2022"),
    ],
)
def test_what_the_article_tells_apart_stays_wrong(slug, text):
    assert not verdict(text, BY_SLUG[slug]).correct
