"""The question bank: its file, the loader's checks, reloading, and export."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Category, Choice, Question
from quizzes.rules.article import article_body, article_text, sentences
from quizzes.rules.bankfile import bank_dumps, bank_problems, bank_questions
from tests.helpers import BUNDLED, ROOT, bank_flat, bank_regroup

SHARED_ARTICLE = ROOT.parent / "shared" / "source"


@pytest.fixture(scope="module")
def bundled():
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def write(tmp_path, data, name="bank.json"):
    """Write a bank file; flat questions (from small_bank) go back under their facts first."""
    if isinstance(data, dict) and "facts" not in data:
        data = bank_regroup(data)
    path = tmp_path / name
    path.write_text(bank_dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def load(path):
    out, err = StringIO(), StringIO()
    call_command("load_questions", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def load_failing(path):
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_questions", path, stdout=StringIO(), stderr=err)
    return err.getvalue() + str(excinfo.value)


def small_bank(bundled, n=6):
    """The first n questions of the bundled bank, read flat (write groups them under facts)."""
    data = bank_flat(copy.deepcopy(bundled))
    data["questions"] = data["questions"][:n]
    return data


# --- the bundled file -------------------------------------------------------------------------


def test_article_copy_is_the_shared_article_unchanged():
    shared = SHARED_ARTICLE / "freedom-of-russia-legion.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert article_text() == shared.read_text(encoding="utf-8")


def test_every_bundled_question_passes_validation(bundled):
    assert bank_problems(bundled) == []


def test_bundled_bank_is_large_and_covers_every_category(bundled):
    questions = bank_questions(bundled)
    by_category = {c["slug"]: 0 for c in bundled["categories"]}
    by_kind = {"multiple_choice": 0, "true_false": 0, "typed": 0, "cloze": 0}
    for q in questions:
        by_category[q["category"]] += 1
        by_kind[q["kind"]] += 1
    assert len(questions) >= 150
    minimums = {"dates": 30, "organizations": 25, "legal": 15, "symbols": 8, "people": 15}
    minimums["events"] = 15
    for category, minimum in minimums.items():
        assert by_category[category] >= minimum, category
    assert by_kind["typed"] >= 40
    assert by_kind["multiple_choice"] >= 60
    assert by_kind["cloze"] >= 60


def test_bundled_file_is_in_canonical_form(bundled):
    assert BUNDLED.read_text(encoding="utf-8") == bank_dumps(bundled)


def test_sentences_cover_the_article_body_exactly():
    body = article_body()
    parts = sentences()
    assert len(parts) > 50
    assert all(body[s.start : s.end] == s.text for s in parts)
    assert body.endswith('more PR than reality".')


# --- loading ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_the_bundled_bank_then_reloading_changes_nothing(bundled):
    out, _ = load(str(BUNDLED))
    assert f"{len(bank_questions(bundled))} added" in out
    assert Question.objects.filter(is_active=True).count() == len(bank_questions(bundled))
    snapshot = list(Question.objects.values_list("slug", "updated_at"))

    out, _ = load(str(BUNDLED))
    assert f"0 added, 0 updated, 0 deactivated, {len(bank_questions(bundled))} unchanged" in out
    assert list(Question.objects.values_list("slug", "updated_at")) == snapshot


@pytest.mark.django_db
def test_passage_offset_points_at_the_passage(bundled):
    load(str(BUNDLED))
    for q in Question.objects.all():
        assert article_body()[q.passage_offset :].startswith(q.source_passage)


def test_no_passage_stops_inside_a_bracket(bundled):
    """The first card's passage read "Freedom of Russia Legion (FRL" (an outside audit): a
    passage that opens a bracket closes it. (A quotation may stop part-way: quoting part of a
    quotation is how the article's sentences are cut to the fact they hold.)"""
    pairs = (("(", ")"), ("[", "]"), ("«", "»"))
    passages = {fact["passage"] for fact in bundled["facts"]} | {
        question["passage"] for fact in bundled["facts"] for question in fact["questions"]
    }
    unclosed = [
        passage
        for passage in passages
        if any(passage.count(opening) != passage.count(closing) for opening, closing in pairs)
    ]
    assert unclosed == []


@pytest.mark.django_db
def test_changed_question_is_updated_in_place(tmp_path, bundled):
    data = small_bank(bundled)
    load(write(tmp_path, data))
    first = data["questions"][0]
    question = Question.objects.get(slug=first["slug"])

    first["explanation"] = "A clearer explanation of the same fact."
    out, _ = load(write(tmp_path, data))
    assert "1 updated" in out
    question.refresh_from_db()
    assert question.explanation == "A clearer explanation of the same fact."
    assert Question.objects.get(slug=first["slug"]).pk == question.pk


@pytest.mark.django_db
def test_changed_choices_are_rewritten_in_place(tmp_path, bundled):
    data = small_bank(bundled, n=len(bank_questions(bundled)))
    mc = next(q for q in data["questions"] if q["kind"] == "multiple_choice")
    data["questions"] = [mc]
    load(write(tmp_path, data))
    ids = list(Choice.objects.filter(question__slug=mc["slug"]).values_list("pk", flat=True))
    # Swap which choice is correct and rename a wrong one.
    mc["choices"] = list(reversed(mc["choices"]))
    wrong = next(c for c in mc["choices"] if not c["correct"])
    wrong["text"] = wrong["text"] + " (edited)"
    out, _ = load(write(tmp_path, data))
    assert "1 updated" in out
    rows = list(Choice.objects.filter(question__slug=mc["slug"]).order_by("order"))
    assert [c.pk for c in rows] == ids
    assert [(c.text, c.is_correct) for c in rows] == [
        (c["text"], c["correct"]) for c in mc["choices"]
    ]


@pytest.mark.django_db
def test_question_removed_from_the_file_is_deactivated_not_deleted(tmp_path, bundled):
    data = small_bank(bundled)
    load(write(tmp_path, data))
    removed = data["questions"].pop()
    out, _ = load(write(tmp_path, data))
    assert "1 deactivated" in out
    question = Question.objects.get(slug=removed["slug"])
    assert question.is_active is False

    data["questions"].append(removed)
    out, _ = load(write(tmp_path, data))
    assert "1 updated" in out
    question.refresh_from_db()
    assert question.is_active is True


@pytest.mark.django_db
def test_a_bad_question_at_the_end_leaves_the_database_untouched(tmp_path, bundled):
    load(write(tmp_path, small_bank(bundled)))
    before = list(Question.objects.values_list("slug", "prompt", "is_active", "updated_at"))

    data = small_bank(bundled, n=20)
    data["questions"][0]["prompt"] = "Changed prompt that must not be written?"
    data["questions"][-1]["passage"] = "This sentence is not in the article."
    message = load_failing(write(tmp_path, data))
    assert "passage" in message
    assert list(Question.objects.values_list("slug", "prompt", "is_active", "updated_at")) == before


def mutate(bundled, kind, change):
    data = small_bank(bundled, n=len(bank_questions(bundled)))
    question = next(q for q in data["questions"] if q["kind"] == kind)
    data["questions"] = [question]
    change(question, data)
    return data, question["slug"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "change", "expected"),
    [
        (
            "typed",
            lambda q, d: q.update(category="weather"),
            'category: "weather" is not a category of this file',
        ),
        (
            "typed",
            lambda q, d: q.update(passage="The Legion was founded on the Moon."),
            "passage: is not a verbatim span of the article body",
        ),
        (
            "typed",
            lambda q, d: q.update(passage="1 June"),
            "passage: occurs more than once in the article body; quote more of its sentence",
        ),
        (
            "multiple_choice",
            lambda q, d: (
                q["choices"][1].update(correct=True)
                if not q["choices"][1]["correct"]
                else q["choices"][0].update(correct=True)
            ),
            "choices: exactly one choice must be correct, not 2",
        ),
        (
            "typed",
            lambda q, d: d["questions"].append(dict(q)),
            "slug: is used by more than one question",
        ),
        ("typed", lambda q, d: q.pop("explanation"), "explanation: is missing"),
        (
            "true_false",
            lambda q, d: q["choices"][0].update(text="Yes"),
            'a true/false question has exactly the choices "True" and "False"',
        ),
        ("typed", lambda q, d: q.update(prompt="x" * 501), "prompt: is longer than 500"),
        ("typed", lambda q, d: q.update(kind="essay"), 'kind: "essay" is not one of'),
    ],
    ids=[
        "unknown-category",
        "passage-not-in-article",
        "passage-twice-in-article",
        "two-correct-choices",
        "duplicate-slug",
        "missing-field",
        "true-false-choices",
        "over-long-prompt",
        "unknown-kind",
    ],
)
def test_each_kind_of_bad_input_gets_a_clear_message(tmp_path, bundled, kind, change, expected):
    data, slug = mutate(bundled, kind, change)
    message = load_failing(write(tmp_path, data))
    assert f"{slug}: " in message
    assert expected in message
    assert "nothing was loaded" in message
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_broken_json_is_reported_with_its_position(tmp_path):
    message = load_failing(write(tmp_path, '{"categories": [], "questions": [}'))
    assert "not valid JSON" in message
    assert "line 1" in message
    assert Category.objects.count() == 0


@pytest.mark.django_db
def test_wrong_structure_is_reported(tmp_path):
    message = load_failing(write(tmp_path, "[1, 2, 3]"))
    assert 'must be an object with "categories" and "facts" lists' in message


@pytest.mark.django_db
def test_missing_file_is_reported(tmp_path):
    message = load_failing(str(tmp_path / "nope.json"))
    assert "Cannot read" in message


@pytest.mark.django_db
def test_every_problem_is_listed_not_only_the_first(tmp_path, bundled):
    data = small_bank(bundled)
    data["questions"][0]["passage"] = "Not in the article at all."
    data["questions"][3]["category"] = "weather"
    message = load_failing(write(tmp_path, data))
    assert data["questions"][0]["slug"] in message
    assert data["questions"][3]["slug"] in message
    assert "2 problem(s)" in message


# --- export -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_then_export_gives_back_the_same_file(tmp_path):
    load(str(BUNDLED))
    target = tmp_path / "export.json"
    call_command("export_questions", str(target), stdout=StringIO())
    assert target.read_text(encoding="utf-8") == BUNDLED.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_export_then_load_changes_nothing(tmp_path, bundled):
    load(str(BUNDLED))
    Question.objects.filter(slug=bank_questions(bundled)[0]["slug"]).update(is_active=False)
    target = tmp_path / "export.json"
    call_command("export_questions", str(target), stdout=StringIO())
    out, _ = load(str(target))
    assert f"0 added, 0 updated, 0 deactivated, {len(bank_questions(bundled))} unchanged" in out
