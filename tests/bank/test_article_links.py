"""Links to the article go to the sentence that holds what the question asks, across the
bundled bank: a passage of several sentences links to the one with its answer, not its first."""

import json

import pytest
from django.urls import reverse

from quizzes.bank.cache import QuestionData, bank_current
from quizzes.enums import QuestionKind
from quizzes.rules.article import sentences
from quizzes.rules.grading import normalise
from tests.helpers import BUNDLED
from tests.html import find

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fact_forms():
    """Each bundled fact's answer and accepted forms, by its slug."""
    facts = json.loads(BUNDLED.read_text(encoding="utf-8"))["facts"]
    return {f["slug"]: (f["answer"], *f["accepted_answers"]) for f in facts}


def linked(question: QuestionData) -> str:
    return sentences()[question.sentence_index].text


def stands_in(form: str, text: str) -> bool:
    return f" {normalise(form)} " in f" {normalise(text)} "


def answers(question: QuestionData, fact_forms) -> tuple[str, ...]:
    """What the question asks for, as it or its fact says it: a typed card's forms, a cloze's
    hidden words, a right choice (or the fact's answer it is worded around)."""
    if question.kind == QuestionKind.TRUE_FALSE:
        return ()
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        right = tuple(c.text for c in question.choices if c.is_correct)
        return right + fact_forms[question.fact_slug]
    cloze = question.cloze
    return question.accepted_answers + ((cloze.span,) if cloze is not None else ())


def spanning(bank) -> list[QuestionData]:
    return [q for q in bank.active if len(q.sentence_indexes) > 1]


def test_a_passage_of_several_sentences_links_to_the_one_with_the_answer(bank, fact_forms):
    questions = spanning(bank_current(fresh=True))
    assert len(questions) >= 24
    missed = [
        q.slug
        for q in questions
        if answers(q, fact_forms)
        and not any(stands_in(form, linked(q)) for form in answers(q, fact_forms))
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("slug", "opening"),
    [
        # The outside tester's examples.
        ("dates-shebekino-raid-typed", "The two groups launched another raid on 1 June"),
        ("people-company-commander-appeal-tf", "He called on his compatriots"),
        # True/false statements, found by the words they share with a sentence or their fact's
        # answer; Shebekino's shares as many words with the May raid's sentence.
        ("dates-shebekino-raid-tf", "The two groups launched another raid on 1 June"),
        ("events-press-conference-composition-tf", "They said it was made up wholly"),
        ("events-false-targets-tf", 'This was done by creating "false targets"'),
        ("people-caesar-single-interview-tf", "He said the unit's recruitment process"),
        ("organizations-battalions-raising-more-tf", "He claimed in February 2023"),
        # Right choices the passage words otherwise: "Assembling and launching drones".
        ("legal-fsb-arrest-confession-mc", "He confessed that he had assembled"),
        ("legal-geneva-context-mc", "They said it was made up wholly"),
    ],
)
def test_a_link_goes_to_the_sentence_of_the_fact(bank, slug, opening):
    question = next(q for q in bank_current(fresh=True).active if q.slug == slug)
    assert linked(question).startswith(opening)


def test_every_link_goes_to_a_sentence_its_passage_touches(bank):
    """The article marks every sentence a passage touches, and "Study this passage" studies the
    questions touching one: the linked sentence is always one of them."""
    questions = bank_current(fresh=True).questions.values()
    assert all(q.sentence_index in q.sentence_indexes for q in questions)


def test_the_card_page_links_to_the_sentence_of_the_answer(bank, learner_client):
    question = next(
        q for q in bank_current(fresh=True).active if q.slug == "dates-shebekino-raid-typed"
    )
    html = learner_client.get(reverse("quizzes:card_detail", args=[question.id])).content.decode()
    link = find(html, "a", href=f"{reverse('quizzes:article')}#s-{question.sentence_index}")
    assert link.text == "read it in place"
    assert linked(question).startswith("The two groups launched another raid")
