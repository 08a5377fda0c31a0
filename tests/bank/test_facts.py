"""Facts: the bank file groups questions under them, the loader checks and keeps them, the twins
of one fact grade alike, and the admin edits a fact with its questions."""

import copy
import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from quizzes.bank.cache import _bank_build, _bank_version, bank_current
from quizzes.enums import QuestionKind
from quizzes.models import CardState, Fact, Question, ReviewLog
from quizzes.rules.article import article_body
from quizzes.rules.bankfile import bank_dumps, bank_problems, bank_questions
from quizzes.rules.grading import response_grade
from tests.factories import FactFactory, QuestionFactory, UserFactory
from tests.helpers import BUNDLED

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def bundled():
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def fact_of(data, slug):
    return next(fact for fact in data["facts"] if fact["slug"] == slug)


def two_facts(bundled):
    """A small bank: the formation date (typed, cloze, multiple choice) and the Irpin
    Declaration's name (typed and cloze)."""
    data = copy.deepcopy(bundled)
    data["facts"] = [fact_of(data, "legion-formed-date"), fact_of(data, "irpin-declaration-name")]
    return data


def write(tmp_path, data):
    path = tmp_path / "bank.json"
    path.write_text(bank_dumps(data), encoding="utf-8")
    return str(path)


def load(path):
    out = StringIO()
    call_command("load_questions", path, stdout=out, stderr=StringIO())
    return out.getvalue()


def load_failing(path):
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_questions", path, stdout=StringIO(), stderr=err)
    return err.getvalue() + str(excinfo.value)


# --- the bundled file -------------------------------------------------------------------------


def test_the_bundled_bank_groups_its_twins_under_shared_facts(bundled):
    facts = bundled["facts"]
    sizes = [len(fact["questions"]) for fact in facts]
    assert sum(sizes) == len(bank_questions(bundled)) >= 250
    assert sum(size > 1 for size in sizes) >= 70
    formed = fact_of(bundled, "legion-formed-date")
    assert {q["kind"] for q in formed["questions"]} == {"typed", "cloze", "multiple_choice"}
    assert formed["answer"] == "March 2022"


def test_a_typed_question_of_the_file_leaves_its_answer_to_its_fact(bundled):
    typed = [q for fact in bundled["facts"] for q in fact["questions"] if q["kind"] == "typed"]
    assert typed
    assert all("answer" not in question for question in typed)


# --- the loader's checks ----------------------------------------------------------------------


def _no_question(data):
    fact_of(data, "irpin-declaration-name")["questions"] = []


def _question_without_fact(data):
    data["questions"] = [copy.deepcopy(fact_of(data, "legion-formed-date")["questions"][0])]
    data["questions"][0]["slug"] = "dates-legion-formed-loose"


def _duplicate_fact(data):
    data["facts"].append(copy.deepcopy(data["facts"][0]))
    for number, question in enumerate(data["facts"][-1]["questions"]):
        question["slug"] = f"copy-{number}"


def _cloze_not_graded(data):
    fact = fact_of(data, "irpin-declaration-name")
    fact["accepted_answers"] = []
    fact["answer"] = "the Irpin Declaration of cooperation"


def _typed_answer_not_the_facts(data):
    fact = fact_of(data, "irpin-declaration-name")
    next(q for q in fact["questions"] if q["kind"] == "typed")["answer"] = "Irpin"


def _passage_not_in_article(data):
    fact_of(data, "legion-formed-date")["passage"] = "It was formed on the Moon in March 2022"


def _forms_not_a_list(data):
    fact_of(data, "legion-formed-date")["accepted_answers"] = "Mar 2022"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_no_question, "irpin-declaration-name: questions: a fact has at least one question"),
        (_question_without_fact, "dates-legion-formed-loose: fact: is a question with no fact"),
        (_duplicate_fact, "legion-formed-date: slug: is used by more than one fact"),
        (
            _cloze_not_graded,
            'events-irpin-declaration-cloze: answer: "Irpin Declaration" is not graded right by '
            "its fact's answer and accepted forms",
        ),
        (
            _typed_answer_not_the_facts,
            "events-irpin-declaration-name-typed: answer: a typed question's answer is its fact's",
        ),
        (
            _passage_not_in_article,
            "legion-formed-date: passage: is not a verbatim span of the article body",
        ),
        (_forms_not_a_list, "legion-formed-date: accepted_answers: must be a list"),
    ],
    ids=[
        "fact-without-question",
        "question-without-fact",
        "duplicate-fact-slug",
        "cloze-not-graded-by-the-fact",
        "typed-answer-not-the-facts",
        "fact-passage-not-in-article",
        "forms-not-a-list",
    ],
)
def test_the_loader_refuses_each_bad_fact_with_its_message(tmp_path, bundled, change, expected):
    data = two_facts(bundled)
    assert bank_problems(data) == []
    change(data)

    message = load_failing(write(tmp_path, data))

    assert expected in message
    assert "nothing was loaded" in message
    assert (Fact.objects.count(), Question.objects.count()) == (0, 0)


def test_the_old_flat_format_is_refused_with_a_clear_message(tmp_path, bundled):
    flat = {"categories": bundled["categories"], "questions": bank_questions(bundled)[:3]}
    message = load_failing(write(tmp_path, flat))
    assert 'lists "questions" outside any fact (the old flat format)' in message
    assert Question.objects.count() == 0


# --- loading and reloading --------------------------------------------------------------------


def test_the_bundled_bank_loads_every_fact_with_its_questions(bundled):
    out = load(str(BUNDLED))
    assert f"facts: {len(bundled['facts'])} added" in out
    formed = Fact.objects.get(slug="legion-formed-date")
    assert set(formed.questions.values_list("slug", flat=True)) == {
        "dates-legion-formed-typed",
        "dates-legion-formed-cloze",
        "dates-legion-formed-mc",
    }
    assert formed.accepted_answers == ["Mar 2022", "March, 2022", "2022-03"]
    typed = Question.objects.get(slug="dates-legion-formed-typed")
    assert typed.answer == formed.answer == "March 2022"
    for fact in Fact.objects.all():
        assert article_body()[fact.passage_offset :].startswith(fact.source_passage)


def test_reloading_moves_questions_between_facts_and_keeps_learners_progress(tmp_path, bundled):
    # The database as the data migration leaves it: every question in a fact of its own.
    questions = bank_questions(bundled)
    own = {"categories": bundled["categories"], "facts": []}
    for entry in questions:
        question = {k: v for k, v in entry.items() if k not in ("fact", "accepted_answers")}
        own["facts"].append(
            {
                "slug": entry["slug"],
                "claim": entry["explanation"],
                "answer": entry["answer"],
                "accepted_answers": entry["accepted_answers"],
                "passage": entry["passage"],
                "questions": [question],
            }
        )
    load(write(tmp_path, own))
    learner = UserFactory.create()
    studied = Question.objects.filter(slug__startswith="dates-legion-formed")
    ids = dict(studied.values_list("slug", "pk"))
    for pk in ids.values():
        CardState.objects.create(user=learner, question_id=pk, due=NOW, reps=3, created_at=NOW)
        ReviewLog.objects.create(user=learner, question_id=pk, rating=3, reviewed_at=NOW)

    out = load(str(BUNDLED))

    assert "0 added" in out
    fresh = {f["slug"] for f in bundled["facts"]} - {q["slug"] for q in questions}
    left = len(questions) - (len(bundled["facts"]) - len(fresh))
    assert f"facts: {len(fresh)} added" in out
    assert f"{left} deleted" in out
    moved = dict(Question.objects.filter(slug__in=ids).values_list("slug", "pk"))
    assert moved == ids
    assert {q.fact.slug for q in Question.objects.filter(pk__in=ids.values())} == {
        "legion-formed-date"
    }
    assert CardState.objects.filter(user=learner, question_id__in=ids.values(), reps=3).count() == 3
    assert ReviewLog.objects.filter(user=learner, question_id__in=ids.values()).count() == 3
    # The facts the questions left behind are gone; only the file's remain.
    assert set(Fact.objects.values_list("slug", flat=True)) == {f["slug"] for f in bundled["facts"]}


def test_a_fact_left_with_a_deactivated_question_stays(tmp_path, bundled):
    data = two_facts(bundled)
    load(write(tmp_path, data))
    data["facts"] = data["facts"][:1]

    out = load(write(tmp_path, data))

    assert "2 deactivated" in out
    assert "0 deleted" in out
    kept = Fact.objects.get(slug="irpin-declaration-name")
    assert not kept.questions.filter(is_active=True).exists()


def test_changing_a_facts_forms_updates_it_in_place_and_the_bank_sees_it(tmp_path, bundled):
    data = two_facts(bundled)
    load(write(tmp_path, data))
    fact = Fact.objects.get(slug="irpin-declaration-name")
    typed = Question.objects.get(slug="events-irpin-declaration-name-typed")
    assert not response_grade(bank_current().questions[typed.pk], "Irpin pact").correct

    fact_of(data, "irpin-declaration-name")["accepted_answers"].append("Irpin pact")
    out = load(write(tmp_path, data))

    assert "facts: 0 added, 1 updated, 0 deleted" in out
    assert "0 updated, 0 deactivated" in out  # no question changed
    assert Fact.objects.get(slug="irpin-declaration-name").pk == fact.pk
    from quizzes.bank.cache import bank_cache_clear

    bank_cache_clear()
    assert response_grade(bank_current().questions[typed.pk], "Irpin pact").correct


def test_a_change_to_a_fact_alone_changes_the_bank_version(tmp_path, bundled):
    load(write(tmp_path, two_facts(bundled)))
    before = _bank_version()
    fact = Fact.objects.get(slug="legion-formed-date")
    fact.accepted_answers = [*fact.accepted_answers, "spring 2022"]
    fact.save()
    assert _bank_version() != before


def test_the_bank_is_built_in_as_many_queries_as_before(bundled, django_assert_num_queries):
    load(str(BUNDLED))
    version = _bank_version()
    # Questions with their category and fact joined, their choices, the categories.
    with django_assert_num_queries(3):
        bank = _bank_build(version)
    formed = next(q for q in bank.questions.values() if q.slug == "dates-legion-formed-cloze")
    assert formed.fact_slug == "legion-formed-date"
    assert formed.fact_id == Fact.objects.get(slug="legion-formed-date").pk


# --- the twins of one fact grade alike --------------------------------------------------------

TWINS = [
    (
        "people-ponomarev-political-wing-typed",
        "people-ponomarev-political-wing-cloze",
        "Ponomaryov",
    ),
    ("events-irpin-declaration-name-typed", "events-irpin-declaration-cloze", "Irpen Declaration"),
    ("legal-geneva-article-number-typed", "legal-geneva-article-23-cloze", "23"),
]


@pytest.mark.parametrize(("typed", "cloze", "given"), TWINS, ids=[t[2] for t in TWINS])
def test_the_typed_question_and_its_cloze_twin_accept_the_same_forms(typed, cloze, given):
    load(str(BUNDLED))
    bank = bank_current()
    by_slug = {q.slug: q for q in bank.questions.values()}
    typed_question, cloze_question = by_slug[typed], by_slug[cloze]

    assert typed_question.fact_id == cloze_question.fact_id
    assert typed_question.accepted_answers == cloze_question.accepted_answers
    assert response_grade(typed_question, given).correct
    assert response_grade(cloze_question, given).correct


def test_choice_questions_carry_no_typed_forms():
    load(str(BUNDLED))
    bank = bank_current()
    for question in bank.questions.values():
        if question.has_choices:
            assert question.accepted_answers == ()


def test_a_question_of_the_factory_gets_a_fact_of_its_own_and_twins_can_share_one():
    first = QuestionFactory.create(fact__accepted_answers=["27 Feb 2022"])
    twin = QuestionFactory.create(fact=first.fact, cloze=True, answer="27 February 2022")
    assert first.fact.answer == first.answer
    assert twin.fact_id == first.fact_id
    assert FactFactory.create().questions.count() == 0


# --- the admin --------------------------------------------------------------------------------


def inline_data(fact: Fact, **question_overrides) -> dict:
    questions = list(fact.questions.all())
    data = {
        "slug": fact.slug,
        "position": fact.position,
        "claim": fact.claim,
        "answer": fact.answer,
        "accepted_answers": "\n".join(fact.accepted_answers),
        "source_passage": fact.source_passage,
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for i, question in enumerate(questions):
        fields = {
            "id": question.pk,
            "fact": fact.pk,
            "slug": question.slug,
            "category": question.category_id,
            "kind": question.kind,
            "is_active": "on" if question.is_active else "",
            "position": question.position,
            "prompt": question.prompt,
            "answer": question.answer,
            "explanation": question.explanation,
            "source_passage": question.source_passage,
        }
        fields.update(question_overrides.get(question.slug, {}))
        data.update({f"questions-{i}-{k}": v for k, v in fields.items() if v != ""})
    return data


@pytest.fixture
def formed(bundled):
    load(str(BUNDLED))
    return Fact.objects.get(slug="legion-formed-date")


def test_the_editor_saves_a_fact_and_its_questions_on_one_page(editor_client, formed):
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(
        formed,
        **{"dates-legion-formed-cloze": {"explanation": "Formed in March 2022, the article says."}},
    )
    data["accepted_answers"] = "Mar 2022\n03/2022"
    data["claim"] = "The Legion was formed in March 2022."

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    formed.refresh_from_db()
    assert formed.accepted_answers == ["Mar 2022", "03/2022"]
    assert formed.claim == "The Legion was formed in March 2022."
    cloze = Question.objects.get(slug="dates-legion-formed-cloze")
    assert cloze.explanation == "Formed in March 2022, the article says."
    assert cloze.fact_id == formed.pk


def test_the_admin_refuses_forms_that_no_longer_grade_a_cloze_right(editor_client, bundled):
    load(str(BUNDLED))
    fact = Fact.objects.get(slug="irpin-declaration-name")
    url = reverse("admin:quizzes_fact_change", args=[fact.pk])
    data = inline_data(fact)
    data["answer"] = "the Irpin Declaration of cooperation"
    data["accepted_answers"] = ""
    typed = Question.objects.get(slug="events-irpin-declaration-name-typed")
    index = list(fact.questions.all()).index(typed)
    data[f"questions-{index}-answer"] = "the Irpin Declaration of cooperation"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    errors = [form.errors for form in response.context["inline_admin_formsets"][0].formset]
    cloze_errors = next(e for e in errors if e)
    assert "is not graded right by its fact's answer" in cloze_errors["answer"][0]
    fact.refresh_from_db()
    assert fact.answer == "Irpin Declaration"


def test_the_admin_refuses_a_typed_answer_that_is_not_the_facts(editor_client, formed):
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(formed, **{"dates-legion-formed-typed": {"answer": "Spring 2022"}})

    response = editor_client.post(url, data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert any(form.has_error("answer", code="fact_answer") for form in formset), formset.errors
    assert Question.objects.get(slug="dates-legion-formed-typed").answer == "March 2022"


def test_the_editor_adds_a_fact_with_its_first_question(editor_client, formed):
    passage = "It was formed in March 2022"
    data = {
        "slug": "formed-again",
        "position": 500,
        "claim": "The Legion was formed in March 2022.",
        "answer": "March 2022",
        "accepted_answers": "Mar 2022",
        "source_passage": passage,
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
        "questions-0-slug": "formed-again-typed",
        "questions-0-category": formed.questions.first().category_id,
        "questions-0-kind": QuestionKind.TYPED,
        "questions-0-is_active": "on",
        "questions-0-position": 500,
        "questions-0-prompt": "When was the Legion formed, once more?",
        "questions-0-answer": "March 2022",
        "questions-0-explanation": "The article says March 2022.",
        "questions-0-source_passage": passage,
    }

    response = editor_client.post(reverse("admin:quizzes_fact_add"), data)

    assert response.status_code == 302, response.context["errors"]
    fact = Fact.objects.get(slug="formed-again")
    question = fact.questions.get()
    assert fact.passage_offset == question.passage_offset > 0
    assert question.slug == "formed-again-typed"


def test_the_admin_refuses_a_new_fact_without_a_question(editor_client, formed):
    data = {
        "slug": "lonely",
        "position": 1,
        "claim": "A claim with no card.",
        "answer": "March 2022",
        "accepted_answers": "",
        "source_passage": "It was formed in March 2022",
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    response = editor_client.post(reverse("admin:quizzes_fact_add"), data)
    assert response.status_code == 200
    assert "A fact has at least one question." in response.content.decode()
    assert not Fact.objects.filter(slug="lonely").exists()


def test_the_admin_refuses_a_fact_passage_that_is_not_in_the_article(editor_client, formed):
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(formed)
    data["source_passage"] = "It was formed on the Moon"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("source_passage", code="invalid_passage")


def test_the_fact_list_and_the_question_list_show_facts(editor_client, formed):
    facts = editor_client.get(reverse("admin:quizzes_fact_changelist"))
    assert facts.status_code == 200
    questions = editor_client.get(
        reverse("admin:quizzes_question_changelist"), {"fact__id__exact": formed.pk}
    )
    assert questions.status_code == 200
    shown = {q.slug for q in questions.context["cl"].result_list}
    assert shown == {
        "dates-legion-formed-typed",
        "dates-legion-formed-cloze",
        "dates-legion-formed-mc",
    }


def test_the_question_page_grades_a_cloze_by_the_fact_it_is_moved_to(editor_client, formed):
    cloze = Question.objects.get(slug="dates-legion-formed-cloze")
    other = Fact.objects.get(slug="irpin-declaration-name")
    from tests.bank.test_admin import change_form_data

    response = editor_client.post(
        reverse("admin:quizzes_question_change", args=[cloze.pk]),
        change_form_data(cloze, fact=other.pk),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.has_error("answer", code="fact_answer")
    assert Question.objects.get(pk=cloze.pk).fact_id == formed.pk


# --- what an outside audit of the admin found saved (a bank the loader then refused) --------


def _inline_errors(response) -> list:
    return [form.errors for form in response.context["inline_admin_formsets"][0].formset]


def test_a_choice_question_made_typed_beside_its_fact_is_refused_while_it_has_choices(
    editor_client, formed
):
    choice = formed.questions.get(kind=QuestionKind.MULTIPLE_CHOICE)
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(
        formed, **{choice.slug: {"kind": QuestionKind.TYPED, "answer": "March 2022"}}
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = next(e for e in _inline_errors(response) if e)
    assert errors["kind"] == [
        "A typed-answer question has no choices. Delete its choices on the question's own page "
        "first."
    ]
    assert Question.objects.get(pk=choice.pk).kind == QuestionKind.MULTIPLE_CHOICE


def test_a_cloze_made_typed_keeps_no_marker_in_its_prompt(editor_client, formed):
    cloze = formed.questions.get(kind=QuestionKind.CLOZE)
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(
        formed, **{cloze.slug: {"kind": QuestionKind.TYPED, "answer": formed.answer}}
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = next(e for e in _inline_errors(response) if e)
    assert errors["prompt"] == [
        "The prompt has cloze braces ({{ or }}), which only a cloze question's prompt has."
    ]
    assert Question.objects.get(pk=cloze.pk).kind == QuestionKind.CLOZE


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        ([f"March 2022 form {n}" for n in range(41)], "A fact has at most 40 accepted answers"),
        (["Mar 2022", "03/2022", "Mar  2022"], 'The accepted answer "Mar  2022" is given twice.'),
        (["x" * 201], "is longer than 200 characters."),
    ],
)
def test_the_admin_bounds_a_facts_accepted_forms_naming_the_line(
    editor_client, formed, lines, said
):
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(formed)
    data["accepted_answers"] = "\n".join(lines)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["accepted_answers"]
    assert any(said in e for e in errors), errors
    formed.refresh_from_db()
    assert len(formed.accepted_answers) < 10


def test_the_loader_refuses_a_marker_outside_a_cloze_and_too_many_forms(tmp_path, bundled):
    data = two_facts(bundled)
    fact = fact_of(data, "legion-formed-date")
    typed = next(q for q in fact["questions"] if q["kind"] == "typed")
    typed["prompt"] = "It was formed in {{c1::March 2022}}?"
    fact["accepted_answers"] = [f"form {n}" for n in range(41)]
    said = load_failing(write(tmp_path, data))
    assert "has cloze braces ({{ or }}), which only a cloze question's prompt has" in said
    assert "a fact has at most 40 accepted answers, not 41" in said


# --- a page saved over a change made since it was opened (an outside audit: data lost) ------


def seen_data(fact, **question_overrides):
    """The fact page's data as the page carries it: each row's `updated_at` as it was read."""
    data = inline_data(fact, **question_overrides)
    data["seen"] = Fact.objects.get(pk=fact.pk).updated_at.isoformat()
    for i, question in enumerate(fact.questions.all()):
        data[f"questions-{i}-seen"] = question.updated_at.isoformat()
    return data


def test_the_fact_page_carries_what_it_read_of_each_row(editor_client, formed):
    html = editor_client.get(reverse("admin:quizzes_fact_change", args=[formed.pk])).content
    page = html.decode()
    formed.refresh_from_db()
    assert f'name="seen" value="{formed.updated_at.isoformat()}"' in page
    first = formed.questions.first()
    assert f'name="questions-0-seen" value="{first.updated_at.isoformat()}"' in page


def test_a_fact_page_saved_after_its_question_changed_elsewhere_undoes_nothing(
    editor_client, formed, frozen
):
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    opened = seen_data(formed)  # tab A reads the page
    typed = formed.questions.get(kind=QuestionKind.TYPED)
    frozen.shift(timedelta(minutes=1))
    Question.objects.filter(pk=typed.pk).update(
        explanation="Fixed in another tab.", updated_at=timezone.now()
    )
    opened["claim"] = "The Legion was formed in March 2022, in Ukraine."
    response = editor_client.post(url, opened)  # tab A saves the claim
    assert response.status_code == 200
    errors = [
        e
        for form in response.context["inline_admin_formsets"][0].formset
        for e in form.non_field_errors()
    ]
    assert errors == [
        "This question was changed elsewhere (at 12:01:00 UTC) since this page was opened: "
        "saving it would undo that change. Reload the page, then make your edit again."
    ]
    assert Question.objects.get(pk=typed.pk).explanation == "Fixed in another tab."
    formed.refresh_from_db()
    assert formed.claim != "The Legion was formed in March 2022, in Ukraine."
    # Read again, the page saves.
    fresh = seen_data(formed)
    fresh["claim"] = "The Legion was formed in March 2022, in Ukraine."
    assert editor_client.post(url, fresh).status_code == 302
    assert Question.objects.get(pk=typed.pk).explanation == "Fixed in another tab."


def test_two_editors_saving_one_fact_the_second_is_refused(editor_client, formed, frozen):
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    first, second = seen_data(formed), seen_data(formed)
    first["claim"] = "First editor's claim."
    frozen.shift(timedelta(seconds=30))
    assert editor_client.post(url, first).status_code == 302
    second["claim"] = "Second editor's claim."
    response = editor_client.post(url, second)
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("__all__", code="edited_elsewhere")
    formed.refresh_from_db()
    assert formed.claim == "First editor's claim."


def test_a_question_saved_on_its_own_page_for_a_choice_does_not_stale_the_fact_page(
    editor_client, formed, frozen
):
    """Its page saves the question whatever changed, which bumps its time: the fact page, which
    holds its values as they are, was refused for nothing (a review of the change)."""
    from tests.bank.test_admin import change_form_data

    opened = seen_data(formed)
    choice_question = formed.questions.get(kind=QuestionKind.MULTIPLE_CHOICE)
    frozen.shift(timedelta(minutes=1))
    data = change_form_data(choice_question)
    data["seen"] = Question.objects.get(pk=choice_question.pk).updated_at.isoformat()
    wrong = next(i for i, c in enumerate(choice_question.choices.all()) if not c.is_correct)
    data[f"choices-{wrong}-text"] = "A brand new distractor"
    page = reverse("admin:quizzes_question_change", args=[choice_question.pk])
    assert editor_client.post(page, data).status_code == 302
    opened["claim"] = "The Legion was formed in March 2022, in Ukraine."
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    assert editor_client.post(url, opened).status_code == 302
    formed.refresh_from_db()
    assert formed.claim == "The Legion was formed in March 2022, in Ukraine."


# --- a wrong choice that is a right answer written another way (an outside tester) -------------


def test_the_admin_refuses_an_accepted_form_that_is_a_wrong_choice_of_the_fact(
    editor_client, formed
):
    """ "February 2022" added to the formation date's forms: typed, it became right, while the
    fact's multiple-choice card still lists it as wrong."""
    wrong = formed.questions.get(kind=QuestionKind.MULTIPLE_CHOICE).choices.filter(is_correct=False)
    distractor = wrong.first().text
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(formed)
    data["accepted_answers"] = "\n".join([*formed.accepted_answers, distractor.upper()])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["accepted_answers"]
    wrong = f'The right answer "{distractor.upper()}" is a wrong choice of a multiple-choice card'
    assert any(e.startswith(wrong) for e in errors), errors
    formed.refresh_from_db()
    assert distractor.upper() not in formed.accepted_answers


def test_the_loader_refuses_a_wrong_choice_that_is_the_answer_written_another_way(
    tmp_path, bundled
):
    data = two_facts(bundled)
    fact = fact_of(data, "legion-formed-date")
    mc = next(q for q in fact["questions"] if q["kind"] == "multiple_choice")
    wrong = next(c for c in mc["choices"] if not c["correct"])
    wrong["text"] = "Mar 2022"
    said = load_failing(write(tmp_path, data))
    assert 'written another way, "Mar 2022"' in said, said


def test_a_passage_copied_from_the_article_page_keeps_its_no_break_spaces(editor_client, formed):
    """A browser copies the article's no-break space as a plain one: the passage was refused as
    not verbatim, though copied from the site itself (an outside tester). The article's own
    characters are kept."""
    copied = 'Russian: Легион «Свобода России», romanized: Legion "Svoboda Rossii"'
    assert copied not in article_body()
    url = reverse("admin:quizzes_fact_change", args=[formed.pk])
    data = inline_data(formed)
    data["source_passage"] = copied
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    formed.refresh_from_db()
    assert formed.source_passage == copied.replace("romanized: ", "romanized:\u00a0")
    assert formed.source_passage in article_body()
