"""What an editor types or a page posts that the admin must refuse clearly (an outside audit of
the editors' admin): a NUL character, two choices of one text, a choice that shows nothing, a row
of another question, a choice whose text the question has already (added since the page was
opened); and, where the loader shares the rule, what it refuses too."""

import json

import pytest
from django.urls import reverse

from quizzes.bank.admin_choices import ChoiceInlineFormSet
from quizzes.bank.admin_forms import NUL_IN_TEXT
from quizzes.enums import QuestionKind
from quizzes.limits import MAX_CHOICES, MIN_CHOICES
from quizzes.models import Choice, Fact, Question
from quizzes.rules.choices import choice_problems
from tests.bank.test_admin import change_form_data
from tests.bank.test_facts import fact_of, inline_data, load_failing, two_facts, write
from tests.helpers import BUNDLED

pytestmark = pytest.mark.django_db


def change_url(question: Question) -> str:
    return reverse("admin:quizzes_question_change", args=[question.pk])


def choice_rows(response) -> list:
    return response.context["inline_admin_formsets"][0].formset.forms


def choice_texts(question: Question) -> list[str]:
    return list(question.choices.values_list("text", flat=True))


# --- a NUL character: an error on the field that holds it -------------------------------------


def test_a_nul_in_a_questions_prompt_is_an_error_on_the_prompt(editor_client, question):
    data = change_form_data(question, prompt="Which unit\x00 fought at Belgorod?")
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["prompt"] == [NUL_IN_TEXT]
    assert Question.objects.get(pk=question.pk).prompt == question.prompt


def test_a_nul_in_a_choices_text_is_an_error_on_its_row(editor_client, question):
    texts = choice_texts(question)
    data = change_form_data(question)
    data["choices-2-text"] = "Sibir\x00 Battalion"
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert [row.errors for row in choice_rows(response)][1:3] == [{}, {"text": [NUL_IN_TEXT]}]
    assert choice_texts(question) == texts


def test_a_nul_on_a_fact_page_is_an_error_on_each_field_that_holds_one(editor_client, bank):
    fact = Fact.objects.get(slug="legion-formed-date")
    forms = list(fact.accepted_answers)
    data = inline_data(fact)
    data["answer"] = "March\x00 2022"
    data["accepted_answers"] = "Mar 2022\n03\x00/2022"
    data["questions-0-explanation"] = "The article\x00 says so."
    response = editor_client.post(reverse("admin:quizzes_fact_change", args=[fact.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert (errors["answer"], errors["accepted_answers"]) == ([NUL_IN_TEXT], [NUL_IN_TEXT])
    inline = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert inline.errors["explanation"] == [NUL_IN_TEXT]
    fact.refresh_from_db()
    assert (fact.answer, fact.accepted_answers) == ("March 2022", forms)


def test_a_nul_elsewhere_in_the_admin_is_still_a_400_that_names_the_field(
    editor_client, client, question
):
    # A field's name, the address, a list's action: no form shows these on a field.
    data = change_form_data(question)
    data["prompt\x00"] = "x"
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 400
    assert response.context["message"] == (
        "The field “prompt␀” held a NUL character, which no text here may hold. "
        "Nothing was changed."
    )
    assert (
        editor_client.get(change_url(question), {"_changelist_filters": "\x00"}).status_code == 400
    )
    listed = editor_client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "deactivate", "_selected_action": [f"{question.pk}\x00"], "post": "yes"},
    )
    assert listed.status_code == 400
    assert "“_selected_action”" in listed.context["message"]
    assert Question.objects.get(pk=question.pk).is_active
    # The log-in (django-axes reads what it posts) keeps the site's refusal.
    client.logout()
    login = client.post(reverse("admin:login"), {"username": "ed\x00", "password": "x"})
    assert login.status_code == 400
    assert "“username”" in login.context["message"]


# --- two choices of one text: each row says which other has it ---------------------------------


def test_two_choices_of_one_text_are_each_told_which_other_has_it(editor_client, question):
    texts = choice_texts(question)
    data = change_form_data(question)
    data["choices-3-text"] = texts[2]
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    rows = choice_rows(response)
    assert rows[2].errors["text"] == [
        f"Choice 4 has the same text, “{texts[2]}”. Give each choice a text of its own."
    ]
    assert rows[3].errors["text"] == [
        f"Choice 3 has the same text, “{texts[2]}”. Give each choice a text of its own."
    ]
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == []  # Django's own "Please correct the duplicate data"
    assert choice_texts(question) == texts


def test_choices_that_differ_only_in_case_are_twins_too(editor_client, question):
    texts = choice_texts(question)
    data = change_form_data(question)
    data["choices-3-text"] = texts[2].upper()
    response = editor_client.post(change_url(question), data)
    assert choice_rows(response)[3].errors["text"] == [
        f"Choice 3 has the same text, “{texts[2]}” (case and surrounding spaces aside). "
        "Give each choice a text of its own."
    ]
    assert choice_texts(question) == texts


@pytest.mark.parametrize("other_way", ["The {}", "{}.", "{}!"])
def test_a_wrong_choice_that_is_the_right_one_written_another_way_is_refused(
    editor_client, question, other_way
):
    """ "The Free Russia Legion" beside "Free Russia Legion": the grader takes one for the other,
    and a learner who picked it was told the article is wrong (an outside tester)."""
    texts = choice_texts(question)
    right = question.choices.get(is_correct=True).text
    data = change_form_data(question)
    wrong_row = next(i for i, t in enumerate(texts) if t != right)
    data[f"choices-{wrong_row}-text"] = other_way.format(right)
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    errors = choice_rows(response)[wrong_row].errors["text"]
    assert len(errors) == 1
    assert f'The right answer "{right}" is a wrong choice' in errors[0], errors
    assert f'written another way, "{other_way.format(right)}"' in errors[0], errors
    assert choice_texts(question) == texts


def test_the_loader_names_the_twin_choices_and_their_text():
    problems = choice_problems(
        QuestionKind.MULTIPLE_CHOICE, "Kyiv", [("Kyiv", True), ("Lviv", False), (" lviv", False)]
    )
    assert problems == [
        'choices 2 and 3 have the same text, "Lviv" and " lviv" (case and surrounding spaces aside)'
    ]


# --- a text of invisible characters alone: refused by the admin and the loader alike -----------

INVISIBLE = {
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u200c": "U+200C ZERO WIDTH NON-JOINER",
    "\u200d": "U+200D ZERO WIDTH JOINER",
    "\u2060": "U+2060 WORD JOINER",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
}


@pytest.mark.parametrize("char", list(INVISIBLE))
def test_a_choice_of_invisible_characters_alone_is_refused_on_its_row(
    editor_client, question, char
):
    texts = choice_texts(question)
    data = change_form_data(question)
    data["choices-2-text"] = f" {char}{char} "
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert choice_rows(response)[2].errors["text"] == [
        f"This text holds only invisible characters ({INVISIBLE[char]}), so it shows nothing."
    ]
    assert choice_texts(question) == texts


def test_a_prompt_or_a_facts_answer_of_invisible_characters_alone_is_refused(
    editor_client, question
):
    data = change_form_data(question, prompt="\u200b\u2060")
    response = editor_client.post(change_url(question), data)
    assert response.context["adminform"].form.has_error("prompt", code="invisible_only")
    fact = Fact.objects.get(slug="legion-formed-date")
    data = inline_data(fact)
    data["answer"] = "\ufeff"
    data["accepted_answers"] = "Mar 2022\n\u200d"
    response = editor_client.post(reverse("admin:quizzes_fact_change", args=[fact.pk]), data)
    errors = response.context["adminform"].form.errors
    assert errors["answer"] == [
        "This text holds only invisible characters (U+FEFF ZERO WIDTH NO-BREAK SPACE), so it "
        "shows nothing."
    ]
    assert errors["accepted_answers"] == [
        "Accepted answer number 2 holds only invisible characters (U+200D ZERO WIDTH JOINER), so "
        "it shows nothing."
    ]
    assert Question.objects.get(pk=question.pk).prompt == question.prompt
    assert Fact.objects.get(pk=fact.pk).answer == "March 2022"


def test_a_visible_text_holding_a_zero_width_character_is_still_taken(editor_client, question):
    data = change_form_data(question)
    data["choices-2-text"] = "Sibir\u200b Battalion\u2060s"
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 302, response.context["errors"]


@pytest.fixture(scope="module")
def bundled():
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def test_the_loader_refuses_a_choice_or_a_prompt_of_invisible_characters_alone(tmp_path, bundled):
    data = two_facts(bundled)
    fact = fact_of(data, "legion-formed-date")
    choice_question = next(q for q in fact["questions"] if q["kind"] == "multiple_choice")
    wrong = next(i for i, c in enumerate(choice_question["choices"]) if not c["correct"])
    choice_question["choices"][wrong]["text"] = "\u200b"
    typed = next(q for q in fact["questions"] if q["kind"] == "typed")
    typed["prompt"] = "\u2060 \ufeff"
    said = load_failing(write(tmp_path, data))
    assert (
        f"{choice_question['slug']}: choices: choice {wrong + 1} holds only invisible characters "
        "(U+200B ZERO WIDTH SPACE), so it shows nothing"
    ) in said
    assert (
        f"{typed['slug']}: prompt: holds only invisible characters (U+2060 WORD JOINER, "
        "U+FEFF ZERO WIDTH NO-BREAK SPACE), so it shows nothing"
    ) in said
    assert not Question.objects.exists()


# --- a row posted with an id that is not one of the page's rows --------------------------------

ASIDE = " (case and surrounding spaces aside)"

CHOICE_GONE = (
    "This choice no longer exists or belongs to another question. Reload the page, then make "
    "your edit again."
)


@pytest.mark.parametrize("posted", ["abc", "other", "deleted", "99999999999999999999", ""])
def test_a_choice_row_that_is_not_the_questions_is_an_error_on_that_row(
    editor_client, question, posted
):
    other = Choice.objects.exclude(question=question).earliest("pk")
    deleted = Choice.objects.create(question=question, text="Soon gone", order=99)
    deleted_pk = deleted.pk
    deleted.delete()
    texts, other_text = choice_texts(question), other.text
    data = change_form_data(question)
    wrong = next(i for i, c in enumerate(question.choices.all()) if not c.is_correct)
    forged = {"other": other.pk, "deleted": deleted_pk}.get(posted, posted)
    data[f"choices-{wrong}-id"] = forged
    data[f"choices-{wrong}-text"] = "A new distractor"
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert choice_rows(response)[wrong].non_field_errors() == [CHOICE_GONE]
    assert choice_texts(question) == texts
    assert Choice.objects.get(pk=other.pk).text == other_text


def test_a_choice_row_posted_for_another_question_is_an_error_on_that_row(editor_client, question):
    other = Question.objects.exclude(pk=question.pk).earliest("pk")
    texts = choice_texts(question)
    data = change_form_data(question)
    data["choices-0-question"] = other.pk
    response = editor_client.post(change_url(question), data)
    assert choice_rows(response)[0].non_field_errors() == [CHOICE_GONE]
    assert choice_texts(question) == texts


def test_a_question_row_of_another_fact_is_an_error_on_that_row(editor_client, bank):
    fact = Fact.objects.get(slug="legion-formed-date")
    elsewhere = Question.objects.exclude(fact=fact).earliest("pk")
    data = inline_data(fact)
    data["questions-0-id"] = elsewhere.pk
    data["questions-0-explanation"] = "Changed through a forged row."
    response = editor_client.post(reverse("admin:quizzes_fact_change", args=[fact.pk]), data)
    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert row.non_field_errors() == [
        "This question no longer exists or belongs to another fact. Reload the page, then make "
        "your edit again."
    ]
    changed = Question.objects.filter(explanation="Changed through a forged row.")
    assert not changed.exists()
    assert Question.objects.get(pk=elsewhere.pk).fact_id == elsewhere.fact_id


# --- a choice whose text the question already has: added since the page was opened ------------


def already_there(text: str, aside: str = "") -> str:
    return (
        f"The question already has a choice “{text}”{aside}, added since this page was opened "
        "(in another tab, or by another editor). Reload the page, then make your edit again."
    )


def with_choice_added(data: dict, question: Question, text: str) -> dict:
    """The page's data with a row added at its end, a choice of `text` not correct."""
    row = int(data["choices-TOTAL_FORMS"])
    return {
        **data,
        "choices-TOTAL_FORMS": row + 1,
        f"choices-{row}-question": question.pk,
        f"choices-{row}-order": 99,
        f"choices-{row}-text": text,
    }


@pytest.mark.parametrize(("text", "aside"), [("Wagner Group", ""), ("wagner group ", ASIDE)])
def test_a_choice_another_tab_added_since_the_page_was_opened_is_refused_on_its_row(
    editor_client, question, text, aside
):
    opened = change_form_data(question, seen=question.updated_at.isoformat())
    other_tab = with_choice_added(change_form_data(question), question, "Wagner Group")
    assert editor_client.post(change_url(question), other_tab).status_code == 302
    texts = choice_texts(question)
    response = editor_client.post(change_url(question), with_choice_added(opened, question, text))
    assert response.status_code == 200
    rows = choice_rows(response)
    assert rows[-1].errors["text"] == [already_there("Wagner Group", aside)]
    assert [row.errors for row in rows[:-1]] == [{}] * (len(rows) - 1)
    assert choice_texts(question) == texts


@pytest.mark.parametrize("posted", ["0", "-1", "1", "3", "\u0660"])  # an Arabic-Indic 0
def test_a_page_posting_its_choices_as_new_ones_is_refused_on_each_such_row(
    editor_client, question, posted
):
    texts = choice_texts(question)
    data = change_form_data(question, **{"choices-INITIAL_FORMS": posted})
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    taken_as_new = range(max(int(posted), 0), len(texts))
    rows = choice_rows(response)
    assert [row.errors.get("text") for row in rows] == [
        [already_there(text)] if i in taken_as_new else None for i, text in enumerate(texts)
    ]
    assert choice_texts(question) == texts


@pytest.mark.parametrize("posted", ["abc", ""])
def test_a_page_posting_a_count_of_its_choices_that_is_no_count_saves_nothing(
    editor_client, question, posted
):
    """Django's own refusal of the page's counts, and nothing saved."""
    texts = choice_texts(question)
    data = change_form_data(question, explanation="Changed by a forged page.")
    data["choices-INITIAL_FORMS"] = posted
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors()[0].startswith("ManagementForm data is missing or has been")
    assert choice_texts(question) == texts
    assert Question.objects.get(pk=question.pk).explanation == question.explanation


def test_a_page_posting_new_choices_beside_the_questions_own_is_refused(editor_client, question):
    """Its rows posted as new with new texts: the question would have them beside its own, two
    correct (the database refuses that too: a 500)."""
    texts = choice_texts(question)
    data = change_form_data(question, **{"choices-INITIAL_FORMS": 0})
    for row in range(len(texts)):
        data[f"choices-{row}-text"] = f"{texts[row]} (new)"
    data["answer"] = f"{question.answer} (new)"
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "With the choices added since this page was opened (in another tab, or by another "
        f"editor), a multiple-choice question needs {MIN_CHOICES} to {MAX_CHOICES} choices, not "
        f"{2 * len(texts)}; exactly one choice must be correct, not 2. Reload the page, then make "
        "your edit again."
    ]
    assert choice_texts(question) == texts


def test_a_choice_renamed_to_the_text_another_is_renamed_away_from_is_saved(
    editor_client, question
):
    texts = choice_texts(question)
    wrong = [i for i, c in enumerate(question.choices.all()) if not c.is_correct]
    a, b = wrong[:2]
    data = change_form_data(question)
    data[f"choices-{a}-text"], data[f"choices-{b}-text"] = texts[b], "A new distractor"
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 302
    expected = [*texts]
    expected[a], expected[b] = texts[b], "A new distractor"
    assert choice_texts(question) == expected


def test_a_choice_saved_between_the_pages_check_and_its_save_is_refused_the_same_way(
    editor_client, question, monkeypatch
):
    """A race: another request saves the choice after this one's check read the choices. The
    database refuses the text; nothing is saved, and the page, checked again, says why."""
    opened = change_form_data(question, explanation="Saved with the new choice.")
    Choice.objects.create(question=question, text="Wagner Group", order=99)
    texts = choice_texts(question)
    checks = []
    read = ChoiceInlineFormSet._added_meanwhile

    def missed_the_first_time(formset):
        checks.append(formset)
        return [] if len(checks) == 1 else read(formset)

    monkeypatch.setattr(ChoiceInlineFormSet, "_added_meanwhile", missed_the_first_time)
    data = with_choice_added(opened, question, "Wagner Group")
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert len(checks) == 2
    assert choice_rows(response)[-1].errors["text"] == [already_there("Wagner Group")]
    assert choice_texts(question) == texts
    assert Question.objects.get(pk=question.pk).explanation == question.explanation
