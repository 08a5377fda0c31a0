"""The clozes of fixtures/questions.json: verbatim, one blank, graded right, in article order."""

import json

import pytest

from quizzes.limits import MAX_LENGTHS
from quizzes.rules.answer_dates import parse_date
from quizzes.rules.article import passage_offset, passage_sentences, sentences
from quizzes.rules.bankfile import SLUG_RE
from quizzes.rules.cloze import cloze_parse, cloze_problems
from quizzes.rules.grading import answer_is_correct
from tests.helpers import ROOT, bank_flat

FIXTURES = ROOT / "fixtures"
# Read flat: each question with the forms it is graded by (its fact's).
FILE = json.loads((FIXTURES / "questions.json").read_text(encoding="utf-8"))
BANK = bank_flat(FILE)
CLOZES = [entry for entry in BANK["questions"] if entry["kind"] == "cloze"]
BY_SLUG = {entry["slug"]: entry for entry in CLOZES}
ENTRY_KEYS = {
    "slug",
    "category",
    "kind",
    "prompt",
    "answer",
    "accepted_answers",
    "fact",
    "choices",
    "explanation",
    "passage",
}


def offset_of(passage: str) -> int:
    """Where the passage stands in the article; every passage of the bank is quoted from it."""
    offset = passage_offset(passage)
    assert offset is not None, passage
    return offset


def each_cloze():
    return pytest.mark.parametrize("entry", CLOZES, ids=[entry["slug"] for entry in CLOZES])


@each_cloze()
def test_every_cloze_is_one_blank_of_a_verbatim_article_span(entry):
    assert cloze_problems(entry["prompt"], entry["answer"], entry["passage"]) == []


@each_cloze()
def test_every_cloze_has_the_bank_entry_shape(entry):
    categories = {category["slug"] for category in BANK["categories"]}
    assert set(entry) == ENTRY_KEYS
    assert entry["kind"] == "cloze"
    assert entry["category"] in categories
    assert entry["choices"] == []
    assert SLUG_RE.match(entry["slug"])
    assert entry["explanation"].strip()
    for field in ("slug", "prompt", "answer", "explanation", "passage"):
        assert len(entry[field]) <= MAX_LENGTHS[field], field


@each_cloze()
def test_the_answer_and_every_accepted_form_grade_right(entry):
    accepted = entry["accepted_answers"]
    assert answer_is_correct(entry["answer"], answer=entry["answer"], accepted=accepted)
    for form in accepted:
        assert answer_is_correct(form, answer=entry["answer"], accepted=accepted), form


def test_the_bank_holds_the_clozes_with_slugs_of_their_own():
    assert len(CLOZES) >= 69
    slugs = [q["slug"] for q in BANK["questions"]]
    assert len(slugs) == len(set(slugs))


def test_facts_are_ordered_by_where_their_passage_stands_in_the_article():
    positions = [offset_of(fact["passage"]) for fact in FILE["facts"]]
    assert positions == sorted(positions)


def test_each_cloze_comes_after_the_other_questions_of_its_fact():
    for fact in FILE["facts"]:
        kinds = [question["kind"] == "cloze" for question in fact["questions"]]
        assert kinds == sorted(kinds), fact["slug"]


def test_every_sentence_of_the_article_body_has_a_card():
    covered: set[int] = set()
    for question in BANK["questions"]:
        offset = offset_of(question["passage"])
        covered.update(passage_sentences(offset, len(question["passage"])))
    missing = [s.text for s in sentences() if s.index not in covered]
    assert missing == []


def test_ponomarev_and_ponomarenko_are_never_taken_for_each_other():
    politician = BY_SLUG["people-ponomarev-political-wing-cloze"]
    reporter = BY_SLUG["people-ponomarenko-cloze"]
    for wrong in ("Ponomarenko", "Illia Ponomarenko"):
        answer, accepted = politician["answer"], politician["accepted_answers"]
        assert not answer_is_correct(wrong, answer=answer, accepted=accepted)
    for wrong in ("Ponomarev", "Ilya Ponomarev"):
        answer, accepted = reporter["answer"], reporter["accepted_answers"]
        assert not answer_is_correct(wrong, answer=answer, accepted=accepted)


def test_the_2022_tank_video_refuses_the_2023_raid_date():
    video = BY_SLUG["dates-tank-video-cloze"]
    assert not answer_is_correct("1 June 2023", answer=video["answer"])
    assert answer_is_correct("June 1, 2022", answer=video["answer"])


def test_year_less_dates_carry_a_hint_that_asks_for_the_day_and_month():
    for entry in CLOZES:
        if entry["answer"] in {"1 June", "5 April", "11 June", "29 June", "13 July"}:
            assert cloze_parse(entry["prompt"]).hint == "day and month", entry["slug"]


def test_hedges_stay_visible_on_the_front_of_every_card():
    hedged = [entry for entry in CLOZES if "reportedly" in entry["passage"]]
    assert hedged
    for entry in hedged:
        assert "reportedly" in cloze_parse(entry["prompt"]).front


def test_a_year_less_date_blank_stores_the_one_year_the_article_implies():
    year_less = 0
    for entry in CLOZES:
        blank = parse_date(entry["answer"])
        if blank is None or blank.day is None or blank.year is not None:
            continue
        year_less += 1
        years = {
            date.year
            for form in entry["accepted_answers"]
            if (date := parse_date(form)) is not None and date.year is not None
        }
        assert len(years) == 1, entry["slug"]
    assert year_less >= 4
