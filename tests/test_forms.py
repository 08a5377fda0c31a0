"""The request forms: choices read from the current bank, enums handed to views as members, a code
on every error, and one id rule."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnfrl.parsing import ID_PATTERN, ascii_id
from quizzes import enums
from quizzes.bank.admin_forms import CategoryAdminForm, FactAdminForm, QuestionAdminForm
from quizzes.bank.cache import bank_current
from quizzes.cards.forms import CardFilterForm, CardsBulkForm
from quizzes.enums import CardFilterState, CardsBulkAction, LeechAction, ParametersChoice
from quizzes.parameters.forms import LeechSettingsForm, ParametersChoiceForm
from quizzes.progress.forms import AnkiDeckForm
from quizzes.quiz.forms import QuizAnswerForm, QuizStartForm
from quizzes.study.forms import CardTokenForm
from quizzes.urls import IdConverter
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import ROOT


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [CardFilterForm, AnkiDeckForm])
def test_category_choices_are_the_current_banks(form_class):
    assert not form_class({"category": "dates"}).is_valid()
    # The bank is rebuilt when a question changes: here, the first of a new category.
    QuestionFactory.create(category=CategoryFactory.create(slug="dates", name="Dates"))
    form = form_class({"category": "dates"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["category"] == "dates"
    assert list(form.fields["category"].choices) == [("", "All categories"), ("dates", "Dates")]


@pytest.mark.django_db
def test_the_quiz_start_form_offers_every_category_of_the_bank():
    QuestionFactory.create(category=CategoryFactory.create(slug="people", name="People"))
    data = {"category": "people", "length": 5, "seconds_per_question": 30}
    assert QuizStartForm(data).is_valid()
    assert QuizStartForm({**data, "category": "weather"}).has_error("category")


def test_the_cards_filter_hands_the_view_a_state_or_none():
    assert CardFilterForm({"state": "leech"}).cleaned_or_bad_request()["state"] is (
        CardFilterState.LEECH
    )
    assert CardFilterForm({}).cleaned_or_bad_request()["state"] is None


def test_the_leech_and_parameters_forms_hand_the_view_enum_members():
    leech = LeechSettingsForm({"leech_action": "tag"})
    assert leech.is_valid()
    assert leech.cleaned_data["leech_action"] is LeechAction.TAG
    empty = LeechSettingsForm({})
    assert empty.is_valid()
    assert empty.cleaned_data["leech_action"] is None
    use = ParametersChoiceForm({"use": "previous"}).cleaned_or_bad_request()["use"]
    assert use is ParametersChoice.PREVIOUS


@pytest.mark.django_db
def test_the_bulk_form_takes_only_active_questions_of_the_bank():
    active, retired = QuestionFactory.create(), QuestionFactory.create(is_active=False)
    form = CardsBulkForm({"action": "unsuspend", "card": [str(active.pk)]})
    data = form.cleaned_or_bad_request()
    assert (data["action"], data["card"]) == (CardsBulkAction.UNSUSPEND, [active.pk])
    refused = CardsBulkForm({"action": "suspend", "card": [str(active.pk), str(retired.pk)]})
    assert not refused.is_valid()
    assert refused.errors["card"] == ["That card is not in the bank."]


@pytest.mark.django_db
def test_the_bulk_form_reads_the_bank_once_however_many_cards_are_ticked(settings):
    questions = QuestionFactory.create_batch(10)
    bank_current()  # built once; from now on a read of the bank checks its version, a query
    settings.BANK_CACHE_SECONDS = 0
    form = CardsBulkForm({"action": "suspend", "card": [str(q.pk) for q in questions]})
    with CaptureQueriesContext(connection) as queries:
        assert form.is_valid()
    assert len(queries) == 1


def test_a_forged_card_token_is_refused_with_a_code():
    form = CardTokenForm({"token": "forged"}, user_id=1)
    assert form.has_error("token", code="card_not_shown")


@pytest.mark.django_db
def test_the_admins_own_errors_have_codes():
    category = CategoryAdminForm({"name": "Dates", "slug": "Dates_2", "display_order": 1})
    assert category.has_error("slug", code="invalid_slug")
    question = QuestionAdminForm({"slug": "Bad_Slug", "kind": "multiple_choice"})
    assert question.has_error("slug", code="invalid_slug")
    fact = FactAdminForm(
        {"slug": "Bad_Slug", "source_passage": "Not in the article", "accepted_answers": "x" * 201}
    )
    assert fact.has_error("slug", code="invalid_slug")
    assert fact.has_error("source_passage", code="invalid_passage")
    assert fact.has_error("accepted_answers", code="max_length")
    for form in (question, fact):
        for errors in form.errors.as_data().values():
            assert all(error.code for error in errors), errors


def test_the_id_rule_is_written_once():
    assert IdConverter.regex == ID_PATTERN
    for carried in ("7", "0" * 18):
        assert ascii_id(carried) == int(carried)
        assert QuizAnswerForm({"question": carried, "response": "x"}).is_valid()
    for carried in ("²", " 7", "1_0", "1" * 19, ""):
        assert ascii_id(carried) is None
        assert QuizAnswerForm({"question": carried}).has_error("question")


def test_templates_name_enum_values_through_the_enums_never_by_spelling_them():
    # A template that spells "suspend" breaks silently when the enum's value changes; through
    # the vocabulary context processor it writes {{ CardsBulkAction.SUSPEND }}.
    values = {
        str(member.value)
        for enum in (enums.HoldKind, enums.CardsBulkAction, enums.ParametersChoice)
        for member in enum
    } | {str(member.value) for member in enums.CardFilterState}
    words = "|".join(sorted(values))
    spelled = re.compile(rf'value="({words})"|[?&]state=({words})\b')
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "quizzes" / "templates").rglob("*.html"))
        for match in spelled.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
