"""Reads of the question bank: its export in the file format, and the questions for Anki."""

from typing import Any

from quizzes.anki import AnkiQuestion
from quizzes.models import (
    Category,
    Question,
)


def bank_export_data() -> dict[str, Any]:
    """Return the bank in its file format: every category, and every question in bank order."""
    categories = [
        {"slug": c.slug, "name": c.name, "description": c.description}
        for c in Category.objects.order_by("display_order", "slug")
    ]
    questions = []
    for q in Question.objects.select_related("category").prefetch_related("choices"):
        entry: dict[str, Any] = {
            "slug": q.slug,
            "category": q.category.slug,
            "kind": q.kind,
            "prompt": q.prompt,
            "answer": q.answer,
            "accepted_answers": list(q.accepted_answers),
            "choices": [{"text": c.text, "correct": c.is_correct} for c in q.choices.all()],
            "explanation": q.explanation,
            "passage": q.source_passage,
        }
        if not q.is_active:
            entry["active"] = False
        questions.append(entry)
    return {"categories": categories, "questions": questions}


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
