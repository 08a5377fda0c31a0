"""Cloze questions in the app: the bank file, the admin, study, quizzes and the article map."""

import copy
import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, strip_tags

from quizzes.enums import QuestionKind
from quizzes.models import AttemptAnswer, Question, QuizAttempt
from quizzes.rules.bankfile import bank_dumps
from quizzes.rules.cloze import cloze_parse
from tests.factories import (
    CLOZE_PROMPT,
    CLOZE_TEXT,
    CategoryFactory,
    QuestionFactory,
)
from tests.helpers import BUNDLED, HX, bank_flat, bank_of_own_facts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SPAN = "March 2022"
FILLED = f'<mark class="cloze-span">{SPAN}</mark>'

GOOD_ENTRY = {
    "slug": "dates-legion-formed-cloze-test",
    "category": "dates",
    "kind": "cloze",
    "prompt": CLOZE_PROMPT,
    "answer": SPAN,
    "accepted_answers": ["Mar 2022"],
    "choices": [],
    "explanation": "The article dates the Legion's formation to March 2022.",
    "passage": CLOZE_TEXT,
}


def bank_file(tmp_path, *entries) -> str:
    bundled = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data = bank_of_own_facts(bundled["categories"], list(entries))
    path = tmp_path / "bank.json"
    path.write_text(bank_dumps(data), encoding="utf-8")
    return str(path)


def load(path: str) -> str:
    out = StringIO()
    call_command("load_questions", path, stdout=out, stderr=StringIO())
    return out.getvalue()


def load_failing(path: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_questions", path, stdout=StringIO(), stderr=err)
    return err.getvalue() + str(excinfo.value)


# --- the bank file ----------------------------------------------------------------------------


def test_the_loader_takes_a_good_cloze_and_export_gives_back_the_same_bytes(tmp_path):
    path = bank_file(tmp_path, GOOD_ENTRY)

    assert "1 added" in load(path)

    question = Question.objects.get(slug=GOOD_ENTRY["slug"])
    assert question.kind == QuestionKind.CLOZE
    cloze = question.cloze
    assert cloze is not None
    assert cloze.span == SPAN
    assert question.fact.accepted_answers == ["Mar 2022"]
    exported = tmp_path / "export.json"
    call_command("export_questions", str(exported), stdout=StringIO())
    assert exported.read_bytes() == Path(path).read_bytes()


def _changed(**fields):
    entry = copy.deepcopy(GOOD_ENTRY)
    entry.update(fields)
    return entry


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (_changed(prompt=CLOZE_TEXT), "prompt: has no cloze marker"),
        (
            _changed(
                prompt=CLOZE_PROMPT.replace("International Legion", "{{c1::International Legion}}")
            ),
            "prompt: has 2 cloze markers",
        ),
        (_changed(prompt=CLOZE_PROMPT.replace("c1::", "c2::")), "prompt: uses c2"),
        (
            _changed(
                prompt=CLOZE_PROMPT.replace("formed", "founded"),
                passage=CLOZE_TEXT.replace("formed", "founded"),
            ),
            "prompt: with the marker removed, the text is not a verbatim span of the article body",
        ),
        (
            _changed(passage="It was formed in March 2022"),
            "passage: the passage must be exactly the prompt with the marker removed",
        ),
        (_changed(answer="2022"), 'answer: the answer "2022" differs from the blank "March 2022"'),
        (
            _changed(
                prompt="It was formed in March 2022 {{c1::and}} is reportedly part of Ukraine's "
                "International Legion.",
                answer="and",
            ),
            'prompt: the blank "and" holds only function words',
        ),
        (
            _changed(
                prompt="It was formed in March 2022 and is {{c1::reportedly part}} of Ukraine's "
                "International Legion.",
                answer="reportedly part",
            ),
            'prompt: the blank holds the hedge "reportedly"',
        ),
        (
            _changed(choices=[{"text": SPAN, "correct": True}]),
            "choices: a cloze question has no choices",
        ),
    ],
    ids=[
        "no-marker",
        "two-markers",
        "not-c1",
        "not-verbatim",
        "passage-not-the-text",
        "answer-not-the-span",
        "function-word-blank",
        "hedge-in-the-blank",
        "choices",
    ],
)
def test_the_loader_refuses_each_bad_cloze_with_its_message(tmp_path, entry, expected):
    message = load_failing(bank_file(tmp_path, entry))

    assert f"{GOOD_ENTRY['slug']}: {expected}" in message
    assert "nothing was loaded" in message
    assert Question.objects.count() == 0


def test_the_bundled_bank_loads_its_clozes():
    load(str(BUNDLED))

    clozes = Question.objects.filter(kind=QuestionKind.CLOZE)
    assert clozes.count() >= 69
    assert all(question.cloze is not None for question in clozes)


BUNDLED_CLOZES = [
    entry
    for entry in bank_flat(json.loads(BUNDLED.read_text(encoding="utf-8")))["questions"]
    if entry["kind"] == "cloze"
]


@pytest.mark.parametrize("entry", BUNDLED_CLOZES, ids=lambda entry: entry["slug"])
def test_every_bundled_cloze_shows_its_blank_without_the_span_and_fills_it_on_the_back(entry):
    cloze = cloze_parse(entry["prompt"])

    front = render_to_string("quizzes/cloze.html#blanked", {"cloze": cloze})
    back = render_to_string("quizzes/cloze.html#filled", {"cloze": cloze})

    assert escape(cloze.span) not in front
    assert f"[{escape(cloze.hint or '…')}]" in front
    assert f'<mark class="cloze-span">{escape(cloze.span)}</mark>' in back
    assert strip_tags(back) == escape(entry["passage"])


# --- the admin --------------------------------------------------------------------------------


def admin_data(question: Question, **overrides) -> dict:
    data = {
        "slug": question.slug,
        "category": question.category_id,
        "kind": question.kind,
        "is_active": "on",
        "position": question.position,
        "prompt": question.prompt,
        "answer": question.answer,
        "fact": question.fact_id,
        "explanation": question.explanation,
        "source_passage": question.source_passage,
        "choices-TOTAL_FORMS": 0,
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    return {**data, **overrides}


def test_the_admin_refuses_a_cloze_whose_text_is_not_the_articles(editor_client):
    question = QuestionFactory.create(cloze=True)
    url = reverse("admin:quizzes_question_change", args=[question.pk])

    response = editor_client.post(
        url,
        admin_data(
            question,
            prompt=CLOZE_PROMPT.replace("formed", "founded"),
            source_passage=CLOZE_TEXT.replace("formed", "founded"),
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "With the marker removed, the text is not a verbatim span" in errors["prompt"][0]
    question.refresh_from_db()
    assert question.prompt == CLOZE_PROMPT


def test_the_admin_refuses_an_answer_that_is_not_the_blank(editor_client):
    question = QuestionFactory.create(cloze=True)
    url = reverse("admin:quizzes_question_change", args=[question.pk])

    response = editor_client.post(url, admin_data(question, answer="2022"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["answer"] == ['The answer "2022" differs from the blank "March 2022".']


def test_the_admin_saves_a_good_cloze(editor_client):
    question = QuestionFactory.create(cloze=True)
    url = reverse("admin:quizzes_question_change", args=[question.pk])

    response = editor_client.post(url, admin_data(question, explanation="Formed in March 2022."))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.explanation == "Formed in March 2022."


def test_the_admin_preview_shows_the_blanked_and_the_filled_text(editor_client):
    question = QuestionFactory.create(cloze=True)

    response = editor_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))

    html = response.content.decode()
    assert "It was formed in [month and year] and is reportedly part" in html
    assert FILLED in html


# --- study ------------------------------------------------------------------------------------


def test_the_front_of_a_cloze_card_hides_the_span_and_asks_for_it_in_one_box(learner_client):
    QuestionFactory(cloze=True)

    response = learner_client.get(reverse("quizzes:study"))

    html = response.content.decode()
    assert response.context["side"] == "front"
    assert response.context["question"].kind == QuestionKind.CLOZE
    assert SPAN not in html
    assert "[month and year]" in html
    assert "reportedly part of Ukraine" in html  # the hedge stays visible
    assert '<label for="response">The missing words (optional)</label>' in html
    assert html.count('name="response"') == 1


def test_the_front_partial_for_htmx_hides_the_span_too(learner_client):
    QuestionFactory(cloze=True)

    html = learner_client.get(reverse("quizzes:study"), headers=HX).content.decode()

    assert SPAN not in html
    assert "[month and year]" in html


def _show_answer(client, response_text: str):
    front = client.get(reverse("quizzes:study"))
    return client.post(
        reverse("quizzes:study_answer"),
        {"token": front.context["token"], "response": response_text},
    )


def test_the_back_fills_the_blank_highlighted_and_judges_a_typed_form(learner_client):
    QuestionFactory(cloze=True)

    back = _show_answer(learner_client, "mar. 2022")

    assert back.context["side"] == "back"
    assert back.context["correct"] is True
    assert FILLED in back.content.decode()


def test_the_back_says_a_wrong_year_is_wrong(learner_client):
    QuestionFactory(cloze=True)

    back = _show_answer(learner_client, "March 2023")

    assert back.context["correct"] is False
    assert FILLED in back.content.decode()


# --- quizzes ----------------------------------------------------------------------------------


def _cloze_quiz(client, user) -> tuple[QuizAttempt, Question]:
    question = QuestionFactory.create(cloze=True, category=CategoryFactory(slug="dates"))
    client.post(
        reverse("quizzes:quiz_start"),
        {"category": "dates", "length": 5, "seconds_per_question": 30},
    )
    return QuizAttempt.objects.get(user=user), question


def test_a_quiz_draws_a_cloze_and_asks_for_the_missing_words(learner_client, user):
    attempt, question = _cloze_quiz(learner_client, user)

    response = learner_client.get(reverse("quizzes:quiz_attempt", args=[attempt.pk]))

    html = response.content.decode()
    assert response.context["question"].id == question.pk
    assert SPAN not in html
    assert "[month and year]" in html
    assert '<label for="response">The missing words</label>' in html


@pytest.mark.parametrize(
    ("typed", "right"), [("March 2022", True), ("2022-03", True), ("May 2023", False)]
)
def test_a_quiz_answer_to_a_cloze_is_graded_like_a_typed_answer(learner_client, user, typed, right):
    attempt, question = _cloze_quiz(learner_client, user)

    learner_client.post(
        reverse("quizzes:quiz_answer", args=[attempt.pk]),
        {"question": question.pk, "response": typed},
    )

    answer = AttemptAnswer.objects.get(attempt=attempt)
    assert (answer.response, answer.is_correct) == (typed, right)
    attempt.refresh_from_db()
    assert attempt.score == int(right)


def test_the_results_show_the_filled_text(learner_client, user):
    attempt, question = _cloze_quiz(learner_client, user)
    learner_client.post(
        reverse("quizzes:quiz_answer", args=[attempt.pk]),
        {"question": question.pk, "response": "x"},
    )

    response = learner_client.get(reverse("quizzes:quiz_results", args=[attempt.pk]))

    assert FILLED in response.content.decode()


# --- the article map and progress -------------------------------------------------------------


def test_the_article_map_marks_the_sentence_of_a_cloze_like_any_question(learner_client):
    QuestionFactory(cloze=True)

    response = learner_client.get(reverse("quizzes:article"))

    marked = [mark for mark in response.context["marks"] if mark.questions]
    assert [(mark.text, mark.questions, mark.level) for mark in marked] == [
        (CLOZE_TEXT, 1, "unseen")
    ]
