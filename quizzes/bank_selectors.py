"""Reads of the question bank: its export in the file format."""

from typing import Any

from quizzes.models import Category, Question


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
