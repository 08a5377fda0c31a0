"""Editors fix questions in the admin under the loader's rules."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from quizzes.enums import QuestionKind
from quizzes.models import Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BUNDLED = Path(__file__).resolve().parent.parent / "fixtures" / "questions.json"


@pytest.fixture
def bundled_bank(db):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())


@pytest.fixture
def editor_client(client):
    editor = UserFactory.create(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def change_form_data(question: Question, **overrides) -> dict:
    choices = list(question.choices.all())
    data = {
        "slug": question.slug,
        "category": question.category_id,
        "kind": question.kind,
        "is_active": "on" if question.is_active else "",
        "position": question.position,
        "prompt": question.prompt,
        "answer": question.answer,
        "accepted_answers": "\n".join(question.accepted_answers),
        "explanation": question.explanation,
        "source_passage": question.source_passage,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(choices):
        data[f"choices-{i}-id"] = choice.pk
        data[f"choices-{i}-question"] = question.pk
        data[f"choices-{i}-order"] = choice.order
        data[f"choices-{i}-text"] = choice.text
        if choice.is_correct:
            data[f"choices-{i}-is_correct"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_editors_group_exists_with_question_permissions():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"add_question", "change_question", "add_choice", "change_choice"} <= codenames
    assert "delete_question" not in codenames


def test_editor_saves_an_edit_with_a_valid_passage(bundled_bank, editor_client):
    question = Question.objects.filter(kind=QuestionKind.MULTIPLE_CHOICE).earliest("position")
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    new_passage = question.source_passage[: max(10, len(question.source_passage) // 2)]
    response = editor_client.post(
        url, change_form_data(question, source_passage=new_passage, explanation="Clearer now.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.explanation == "Clearer now."
    assert question.source_passage == new_passage


def test_editor_cannot_save_a_passage_that_is_not_in_the_article(bundled_bank, editor_client):
    question = Question.objects.filter(kind=QuestionKind.TYPED).earliest("position")
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = editor_client.post(
        url, change_form_data(question, source_passage="The Legion was founded on the Moon.")
    )
    assert response.status_code == 200
    assert "is not a verbatim span of the article body" in response.content.decode()
    question.refresh_from_db()
    assert question.source_passage != "The Legion was founded on the Moon."


def test_editor_cannot_mark_two_choices_correct(bundled_bank, editor_client):
    question = Question.objects.filter(kind=QuestionKind.MULTIPLE_CHOICE).earliest("position")
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    data = change_form_data(question)
    for i in range(question.choices.count()):
        data[f"choices-{i}-is_correct"] = "on"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Exactly one choice must be correct" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1


def test_question_list_filters_and_searches(
    bundled_bank, editor_client, django_assert_max_num_queries
):
    url = reverse("admin:quizzes_question_changelist")
    with django_assert_max_num_queries(12):
        response = editor_client.get(url, {"kind__exact": "typed", "q": "Telegram"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Telegram" in html


def test_change_page_shows_the_learner_preview(bundled_bank, editor_client):
    question = Question.objects.filter(kind=QuestionKind.MULTIPLE_CHOICE).earliest("position")
    response = editor_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))
    html = response.content.decode()
    assert "As a learner sees it" in html
    assert "learner-preview" in html


def test_deactivate_and_activate_actions(bundled_bank, editor_client):
    ids = list(Question.objects.values_list("pk", flat=True)[:3])
    url = reverse("admin:quizzes_question_changelist")
    editor_client.post(url, {"action": "deactivate", "_selected_action": ids})
    assert Question.objects.filter(pk__in=ids, is_active=False).count() == 3
    editor_client.post(url, {"action": "activate", "_selected_action": ids})
    assert Question.objects.filter(pk__in=ids, is_active=True).count() == 3


def test_staff_outside_the_editors_group_gets_403(bundled_bank, client):
    client.force_login(UserFactory.create(is_staff=True))
    question = Question.objects.earliest("position")
    response = client.get(reverse("admin:quizzes_question_change", args=[question.pk]))
    assert response.status_code == 403
