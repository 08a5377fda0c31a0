"""Reads of the question bank: the forms' choices, its export in the file format, and the
questions for Anki."""

from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch

from quizzes.bank.cache import bank_current
from quizzes.enums import QuestionKind
from quizzes.models import (
    Category,
    Choice,
    Fact,
    Question,
)
from quizzes.rules.anki import DEFAULT_DECK_NAME, AnkiQuestion, build_package


def category_choices() -> list[tuple[str, str]]:
    """A category filter's choices: every category of the current bank, after "All categories".

    Forms take this function itself as their choices, so the bank is read when a form is checked
    or shown, never when its module is imported.
    """
    return [("", "All categories"), *((c.slug, c.name) for c in bank_current().categories)]


def fact_wrong_choices(fact_id: int) -> list[str]:
    """The wrong choices of a fact's multiple-choice questions: no form the fact accepts may be
    one of them written another way (rules.choices.wrong_choices_right), from the fact's page or
    the phrasings queue alike."""
    wrong = Choice.objects.filter(
        question__fact_id=fact_id, question__kind=QuestionKind.MULTIPLE_CHOICE, is_correct=False
    )
    return list(wrong.values_list("text", flat=True))


def _question_entry(q: Question) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "slug": q.slug,
        "category": q.category.slug,
        "kind": q.kind,
        "prompt": q.prompt,
        "answer": q.answer,
        "choices": [{"text": c.text, "correct": c.is_correct} for c in q.choices.all()],
        "explanation": q.explanation,
        "passage": q.source_passage,
    }
    if q.kind == QuestionKind.TYPED:
        del entry["answer"]  # a typed question's answer is its fact's
    if not q.is_active:
        entry["active"] = False
    return entry


def bank_export_data() -> dict[str, Any]:
    """Return the bank in its file format: every category, and every fact in bank order with its
    questions (a fact with no question yet is left out: the file could not hold it)."""
    categories = [
        {"slug": c.slug, "name": c.name, "description": c.description}
        for c in Category.objects.order_by("display_order", "slug")
    ]
    questions = Question.objects.select_related("category").prefetch_related("choices")
    facts = []
    for fact in Fact.objects.prefetch_related(Prefetch("questions", queryset=questions)):
        entries = [_question_entry(q) for q in fact.questions.all()]
        if not entries:
            continue
        facts.append(
            {
                "slug": fact.slug,
                "claim": fact.claim,
                "answer": fact.answer,
                "accepted_answers": list(fact.accepted_answers),
                "passage": fact.source_passage,
                "questions": entries,
            }
        )
    return {"categories": categories, "facts": facts}


def anki_questions(*, category_slug: str | None) -> list[AnkiQuestion]:
    """The active questions in bank order, with their category and choices, as builder records."""
    questions = (
        Question.objects.filter(is_active=True)
        .select_related("category")
        .prefetch_related("choices")
        .order_by("position", "id")
    )
    if category_slug is not None:
        questions = questions.filter(category__slug=category_slug)
    return [
        AnkiQuestion(
            slug=question.slug,
            category=question.category.slug,
            kind=question.kind,
            prompt=question.prompt,
            answer=question.answer,
            explanation=question.explanation,
            passage=question.source_passage,
            choices=tuple(choice.text for choice in question.choices.all()),
        )
        for question in questions
    ]


# A built package is kept this long at most; a change to any question makes a new one at once.
ANKI_CACHE_SECONDS = 3600
# The stamp of an empty bank's package (nothing to update in Anki).
_EMPTY_BANK_STAMP = datetime(2022, 3, 1, tzinfo=UTC)


def anki_package(*, category_slug: str | None) -> bytes:
    """The .apkg of the active questions (or one category's), stamped with the bank's last change.

    The same bank gives the same bytes, so a process builds a package (about half a second for
    the whole bank) once per change of the bank and category, and serves it from the cache after.
    A newer stamp after every change is what makes Anki update the notes it already has.
    """
    state = Question.objects.aggregate(
        count=Count("id"), changed=Max("updated_at"), fact_changed=Max("fact__updated_at")
    )
    changes = [t for t in (state["changed"], state["fact_changed"]) if t is not None]
    stamp = max(changes, default=_EMPTY_BANK_STAMP)
    key = f"anki-package:{category_slug or '*'}:{state['count']}:{stamp.isoformat()}"
    package: bytes | None = cache.get(key)
    if package is None:
        questions = anki_questions(category_slug=category_slug)
        package = build_package(questions, now=stamp, deck_name=DEFAULT_DECK_NAME)
        cache.set(key, package, ANKI_CACHE_SECONDS)
    return package
