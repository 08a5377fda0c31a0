"""Every model limit is a loader and admin rule: a file that validates always loads (PostgreSQL
too), and export -> load round-trips."""

import copy
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from quizzes.bank.admin_forms import NUL_IN_TEXT
from quizzes.models import Category, Question
from quizzes.rules.bankfile import bank_problems
from tests.bank.test_bank import load, load_failing, write
from tests.factories import UserFactory
from tests.helpers import BUNDLED, bank_flat, bank_of_own_facts

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bundled():
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def one_of_each(bundled):
    """The first question of each kind, read flat (own_facts gives each a fact of its own)."""
    data = bank_flat(copy.deepcopy(bundled))
    picked: dict[str, dict] = {}
    for question in data["questions"]:
        picked.setdefault(question["kind"], question)
    data["questions"] = list(picked.values())
    return data


def own_facts(data):
    """A flat bank as a file: each question in a fact of its own, carrying its forms."""
    return bank_of_own_facts(data["categories"], data["questions"])


def first(data, kind):
    return next(q for q in data["questions"] if q["kind"] == kind)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: first(d, "typed").update(prompt="When\x00?"), "prompt: contains a NUL"),
        (lambda d: first(d, "typed").update(explanation="a\x00b"), "explanation: contains a NUL"),
        (
            lambda d: first(d, "typed")["accepted_answers"].append("x\x00"),
            "accepted_answers: contains a NUL",
        ),
        (
            lambda d: first(d, "multiple_choice")["choices"][1].update(text="B\x00"),
            "choices: contains a NUL",
        ),
        (lambda d: d["categories"][0].update(name="Da\x00tes"), "name: contains a NUL"),
        (lambda d: d["categories"][0].update(description="\x00"), "description: contains a NUL"),
        (lambda d: first(d, "typed").update(explanation="a\ud800b"), "lone surrogate"),
        (lambda d: d["categories"][0].update(name="N" * 81), "name: is longer than 80"),
        (lambda d: first(d, "typed").update(slug="Bad_Slug"), "slug: use lowercase letters"),
        (lambda d: first(d, "typed").update(slug="trailing-newline\n"), "slug: use lowercase"),
        (lambda d: first(d, "typed").update(slug="s" * 121), "slug: is longer than 120"),
    ],
    ids=[
        "nul-prompt",
        "nul-explanation",
        "nul-accepted",
        "nul-choice",
        "nul-category-name",
        "nul-description",
        "surrogate",
        "long-category-name",
        "capitals-and-underscore",
        "trailing-newline",
        "long-slug",
    ],
)
def test_every_model_limit_is_refused_before_anything_is_written(
    tmp_path, bundled, change, expected
):
    data = one_of_each(bundled)
    change(data)
    path = tmp_path / "bank.json"
    # ensure_ascii keeps a lone surrogate writable; the loader reads it back as one.
    path.write_text(json.dumps(own_facts(data), ensure_ascii=True), encoding="utf-8")
    message = load_failing(str(path))
    assert expected in message
    assert "nothing was loaded" in message
    assert (Question.objects.count(), Category.objects.count()) == (0, 0)


def test_a_long_category_slug_is_refused(tmp_path, bundled):
    data = one_of_each(bundled)
    old = data["categories"][0]["slug"]
    new = "c" * 51
    data["categories"][0]["slug"] = new
    for question in data["questions"]:
        if question["category"] == old:
            question["category"] = new
    message = load_failing(write(tmp_path, own_facts(data)))
    assert f"{new}: slug: is longer than 50" in message


def test_a_file_at_every_limit_loads_and_round_trips(tmp_path, bundled):
    data = one_of_each(bundled)
    category = data["categories"][0]
    old = category["slug"]
    category.update(slug="c" * 50, name="N" * 80)
    for question in data["questions"]:
        if question["category"] == old:
            question["category"] = "c" * 50
    typed = first(data, "typed")
    typed.update(slug="q" * 120, prompt="P" * 500, answer="A" * 200, explanation="E" * 1000)
    typed["accepted_answers"] = ["B" * 200]
    choice = first(data, "multiple_choice")
    wrong = next(c for c in choice["choices"] if not c["correct"])
    wrong["text"] = "W" * 200
    out, _ = load(write(tmp_path, own_facts(data)))
    assert "added" in out
    target = tmp_path / "export.json"
    call_command("export_questions", str(target), stdout=StringIO())
    again, _ = load(str(target))
    assert "0 added, 0 updated, 0 deactivated" in again


@pytest.fixture
def editor_client(client):
    editor = UserFactory.create(is_staff=True, is_superuser=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_the_admin_refuses_a_slug_the_loader_would_refuse(editor_client):
    response = editor_client.post(
        reverse("admin:quizzes_category_add"),
        {"slug": "Bad_Slug", "name": "Bad", "description": "", "display_order": 0},
    )
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert not Category.objects.exists()


def test_the_admin_answers_a_nul_byte_with_an_error_on_its_field(editor_client):
    response = editor_client.post(
        reverse("admin:quizzes_category_add"),
        {"slug": "fine", "name": "Fi\x00ne", "description": "", "display_order": 0},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [NUL_IN_TEXT]
    assert not Category.objects.exists()


def test_a_category_named_like_a_fixed_study_page_loads_and_is_studied(
    tmp_path, bundled, learner_client
):
    data = copy.deepcopy(bundled)
    old = data["categories"][0]["slug"]
    data["categories"][0]["slug"] = "cards"
    for question in (q for fact in data["facts"] for q in fact["questions"]):
        if question["category"] == old:
            question["category"] = "cards"
    assert bank_problems(data) == []
    load(write(tmp_path, data))
    response = learner_client.get(reverse("quizzes:study_category", args=["cards"]))
    assert response.status_code == 200
    assert Question.objects.get(pk=response.context["question"].id).category.slug == "cards"
    assert "total" in learner_client.get(reverse("quizzes:cards")).context


def test_the_admin_accepts_a_category_slug_like_a_fixed_study_page(db):
    from quizzes.bank.admin_forms import CategoryAdminForm

    form = CategoryAdminForm(data={"name": "Cards", "slug": "cards", "display_order": 1})
    assert form.is_valid(), form.errors
