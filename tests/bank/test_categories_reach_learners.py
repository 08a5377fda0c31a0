"""A category renamed, added or deleted reaches learners' pages at once, as an edited question
does: the categories are part of the bank's version (an outside audit found a renamed category
shown under its old name until some question changed)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from quizzes.bank.cache import _bank_version, bank_current
from quizzes.models import Category
from tests.bank.test_facts import two_facts, write
from tests.factories import CategoryFactory, QuestionFactory, UserFactory
from tests.helpers import BUNDLED

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bundled():
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


@pytest.fixture
def admin_client(db):
    """A superuser's client beside the learner's (only superusers edit categories)."""
    client = Client()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def dates(db) -> Category:
    category = CategoryFactory.create(slug="dates", name="Dates", display_order=0)
    QuestionFactory.create(category=category)
    return category


def category_names(response) -> list[str]:
    return [category.name for category in response.context["categories"]]


def test_a_category_renamed_in_the_admin_shows_on_learners_pages(
    learner_client, admin_client, dates
):
    study = learner_client.get(reverse("quizzes:study"))
    assert (category_names(study), study.context["question"].category_name) == (["Dates"], "Dates")
    assert learner_client.get(reverse("quizzes:quiz_list")).status_code == 200  # its form cached

    renamed = admin_client.post(
        reverse("admin:quizzes_category_change", args=[dates.pk]),
        {"slug": "dates", "name": "Key dates", "description": "", "display_order": 0},
    )
    assert renamed.status_code == 302

    study = learner_client.get(reverse("quizzes:study"))
    assert category_names(study) == ["Key dates"]
    assert study.context["question"].category_name == "Key dates"
    quizzes = learner_client.get(reverse("quizzes:quiz_list"))
    assert ("dates", "Key dates") in quizzes.context["form"].fields["category"].choices
    assert "Key dates" in quizzes.content.decode()  # the start form, cached by the bank's version


def test_a_category_added_or_deleted_in_the_admin_shows_on_learners_pages(
    learner_client, admin_client, dates
):
    assert category_names(learner_client.get(reverse("quizzes:study"))) == ["Dates"]
    spare = {"slug": "spare", "name": "Spare", "description": "", "display_order": 1}
    assert admin_client.post(reverse("admin:quizzes_category_add"), spare).status_code == 302
    assert category_names(learner_client.get(reverse("quizzes:study"))) == ["Dates", "Spare"]

    added = Category.objects.get(slug="spare")
    deleted = admin_client.post(
        reverse("admin:quizzes_category_delete", args=[added.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert category_names(learner_client.get(reverse("quizzes:study"))) == ["Dates"]


def test_a_category_renamed_in_the_bank_file_reaches_the_bank_and_an_unchanged_load_does_not(
    tmp_path,
    bundled,
):
    data = two_facts(bundled)
    path = write(tmp_path, data)
    call_command("load_questions", path, stdout=StringIO())
    version = bank_current().version
    call_command("load_questions", path, stdout=StringIO())
    assert _bank_version() == version  # nothing changed, nothing moved

    data["categories"][0]["name"] = "Key dates"
    call_command("load_questions", write(tmp_path, data), stdout=StringIO())
    slug = data["categories"][0]["slug"]
    category = bank_current().category(slug)
    assert category is not None
    assert category.name == "Key dates"
