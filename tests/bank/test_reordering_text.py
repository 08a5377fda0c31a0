"""Characters that reorder the text around them (a right-to-left override, the bidirectional
marks and isolates): refused in what editors write, as the loader refuses them, and named where
editors read what learners typed, so that a learner's "\u202eeurt" never reads as "true"."""

import json
import re

import pytest
from django.urls import reverse

from quizzes.models import AnswerClaim, Fact, Question
from quizzes.rules.visible import bidi_problems, controls_shown, shown_problems
from tests.bank.test_admin import change_form_data
from tests.bank.test_admin_input import change_url, choice_rows, choice_texts
from tests.bank.test_facts import fact_of, inline_data, load_failing, two_facts, write
from tests.claims.test_quiz_mark_right import quiz
from tests.claims.test_regrade import QUEUE
from tests.factories import CategoryFactory, QuestionFactory, QuestionReportFactory, UserFactory
from tests.helpers import BUNDLED
from tests.html import find

pytestmark = pytest.mark.django_db

RLO = "\u202e"
REVERSED = RLO + "eurt"  # shows as "true"


# --- the rule -----------------------------------------------------------------------------------


def test_a_text_holding_a_reordering_character_names_it_once_each():
    assert bidi_problems("Kyiv" + RLO + "vyiK" + RLO) == [
        "holds a character that reorders the text around it as it shows "
        "(U+202E RIGHT-TO-LEFT OVERRIDE)"
    ]
    assert bidi_problems("a\u2067b\u2069\u200f") == [
        "holds characters that reorder the text around them as it shows (U+2067 RIGHT-TO-LEFT "
        "ISOLATE, U+2069 POP DIRECTIONAL ISOLATE, U+200F RIGHT-TO-LEFT MARK)"
    ]


@pytest.mark.parametrize("text", ["Kyiv", "Sibir\u200bBattalion", "\u05d0\u05d1", "22 май 2022"])
def test_a_text_with_no_reordering_character_has_no_such_problem(text):
    """Letters of a right-to-left script reorder by themselves, as written: not a control."""
    assert bidi_problems(text) == []


def test_a_text_of_invisible_characters_alone_is_told_so_first():
    assert shown_problems("\u200b\u200e") == [
        "holds only invisible characters (U+200B ZERO WIDTH SPACE, U+200E LEFT-TO-RIGHT MARK), "
        "so it shows nothing"
    ]


def test_each_reordering_character_is_named_in_its_place_and_nothing_else_changes():
    assert controls_shown(REVERSED) == "[U+202E]eurt"
    assert controls_shown("a\u2066b\u202cc\u061c") == "a[U+2066]b[U+202C]c[U+061C]"
    assert controls_shown("Sibir\u200b Battalion \u05d0") == "Sibir\u200b Battalion \u05d0"


# --- what editors write ------------------------------------------------------------------------


def test_a_prompt_holding_an_override_is_refused_and_nothing_is_saved(editor_client, question):
    data = change_form_data(question, prompt="Which unit " + RLO + "fought at Belgorod?")
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["prompt"] == [
        "This text holds a character that reorders the text around it as it shows "
        "(U+202E RIGHT-TO-LEFT OVERRIDE)."
    ]
    assert Question.objects.get(pk=question.pk).prompt == question.prompt


def test_a_choice_holding_a_mark_is_refused_on_its_row(editor_client, question):
    texts = choice_texts(question)
    data = change_form_data(question)
    data["choices-2-text"] = "Sibir Battalion\u200f"
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert choice_rows(response)[2].has_error("text", code="reorders")
    assert choice_texts(question) == texts


def test_a_facts_accepted_answer_holding_an_isolate_is_refused(editor_client, bank):
    fact = Fact.objects.get(slug="legion-formed-date")
    data = inline_data(fact)
    data["accepted_answers"] = "Mar 2022\n\u2067March\u2069 2022"
    response = editor_client.post(reverse("admin:quizzes_fact_change", args=[fact.pk]), data)
    errors = response.context["adminform"].form.errors
    assert errors["accepted_answers"] == [
        "Accepted answer number 2 holds characters that reorder the text around them as it "
        "shows (U+2067 RIGHT-TO-LEFT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE)."
    ]
    assert Fact.objects.get(pk=fact.pk).accepted_answers == fact.accepted_answers


def test_the_loader_refuses_a_prompt_holding_an_override(tmp_path):
    data = two_facts(json.loads(BUNDLED.read_text(encoding="utf-8")))
    typed = next(
        q for q in fact_of(data, "legion-formed-date")["questions"] if q["kind"] == "typed"
    )
    typed["prompt"] = RLO + typed["prompt"]
    said = load_failing(write(tmp_path, data))
    assert (
        f"{typed['slug']}: prompt: holds a character that reorders the text around it as it "
        "shows (U+202E RIGHT-TO-LEFT OVERRIDE)"
    ) in said
    assert not Question.objects.exists()


# --- what learners typed, as editors read it ---------------------------------------------------


def test_a_reports_response_and_comment_are_shown_as_typed_in_the_list_and_on_its_page(
    editor_client,
):
    report = QuestionReportFactory.create(response=REVERSED, comment="It says " + REVERSED)
    listed = editor_client.get(reverse("admin:quizzes_questionreport_changelist"))
    shown = listed.content.decode()
    assert RLO not in shown
    row = find(shown, "table", id="result_list").text
    assert "[U+202E]eurt" in row
    assert "It says [U+202E]eurt" in row
    page = editor_client.get(reverse("admin:quizzes_questionreport_change", args=[report.pk]))
    assert RLO not in page.content.decode()
    assert page.content.decode().count("[U+202E]eurt") == 2


def test_an_open_report_beside_its_question_is_shown_as_typed(editor_client):
    report = QuestionReportFactory.create(comment="Line one\n" + REVERSED)
    page = editor_client.get(change_url(report.question))
    text = page.content.decode()
    assert RLO not in text
    assert re.search(r"Line one<br>\s*\[U\+202E\]eurt", text)


def test_a_phrasing_a_learner_typed_is_shown_as_typed_in_the_claims_and_the_queue(editor_client):
    people = CategoryFactory.create(slug="people", name="People")
    QuestionFactory.create(category=people, slug="typed", answer="Ilya Ponomarev")
    quiz(UserFactory.create(), {"typed": "Ilya " + RLO + "vyeramonoP"})
    listed = editor_client.get(reverse("admin:quizzes_answerclaim_changelist")).content.decode()
    assert RLO not in listed
    assert "Ilya [U+202E]vyeramonoP" in find(listed, "table", id="result_list").text
    queue = editor_client.get(reverse(QUEUE)).content.decode()
    assert RLO not in queue
    assert "Ilya [U+202E]vyeramonoP" in find(queue, "table", id="phrasings").text


def test_a_phrasing_a_learner_typed_is_named_as_typed_in_the_claims_own_page(editor_client):
    """The claim's name (its page's title and breadcrumbs, the list's action boxes) quoted the
    learner's text with its override."""
    people = CategoryFactory.create(slug="people", name="People")
    QuestionFactory.create(category=people, slug="typed", answer="Ilya Ponomarev")
    quiz(UserFactory.create(), {"typed": "Ilya " + RLO + "vyeramonoP"})
    claim = AnswerClaim.objects.get()
    page = editor_client.get(reverse("admin:quizzes_answerclaim_change", args=[claim.pk]))
    assert RLO not in page.content.decode()
    assert str(claim) == "“Ilya [U+202E]vyeramonoP” for typed"
