"""Writes to the question bank: loading a validated bank file."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from quizzes.models import Category, Choice, Question
from quizzes.rules.article import passage_offset


@dataclass
class LoadSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.deactivated)} deactivated, {len(self.unchanged)} unchanged"
        )


def _question_values(entry: dict[str, Any], category: Category, position: int) -> dict[str, Any]:
    return {
        "category": category,
        "kind": entry["kind"],
        "prompt": entry["prompt"],
        "answer": entry["answer"],
        "accepted_answers": list(entry.get("accepted_answers", [])),
        "explanation": entry["explanation"],
        "source_passage": entry["passage"],
        "passage_offset": passage_offset(entry["passage"]),
        "position": position,
        "is_active": entry.get("active", True),
    }


def _choices_sync(
    question: Question, wanted: list[tuple[str, bool]], existing: list[Choice]
) -> bool:
    """Make the choices equal `wanted`, reusing rows in place; return whether any changed."""
    current = [(c.text, c.is_correct) for c in existing]
    if current == wanted:
        return False
    # Clear correctness and texts first: the one-correct and unique-text constraints hold after
    # every statement, not only at the end.
    Choice.objects.filter(question=question).update(is_correct=False)
    for choice in existing:
        choice.text = f"__renaming_choice_{choice.pk}__"
    Choice.objects.bulk_update(existing, ["text"])
    for order, (text, is_correct) in enumerate(wanted):
        if order < len(existing):
            choice = existing[order]
            choice.text, choice.is_correct, choice.order = text, is_correct, order
            choice.save(update_fields=["text", "is_correct", "order"])
        else:
            Choice.objects.create(question=question, text=text, is_correct=is_correct, order=order)
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(wanted) :]]).delete()
    return True


@transaction.atomic
def bank_load(*, data: dict[str, Any]) -> LoadSummary:
    """Write a validated bank: add new questions, update changed ones in place, deactivate the rest.

    Questions are matched by slug, so learners' card states and reviews stay attached to them.
    """
    categories: dict[str, Category] = {}
    for order, entry in enumerate(data["categories"]):
        category, _ = Category.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", ""),
                "display_order": order,
            },
        )
        categories[category.slug] = category

    summary = LoadSummary()
    existing = {q.slug: q for q in Question.objects.select_for_update().prefetch_related("choices")}
    for position, entry in enumerate(data["questions"]):
        values = _question_values(entry, categories[entry["category"]], position)
        wanted = [(c["text"], c["correct"]) for c in entry.get("choices", [])]
        question = existing.pop(entry["slug"], None)
        if question is None:
            question = Question.objects.create(slug=entry["slug"], **values)
            Choice.objects.bulk_create(
                Choice(question=question, text=text, is_correct=correct, order=order)
                for order, (text, correct) in enumerate(wanted)
            )
            summary.added.append(question.slug)
            continue
        changed = [name for name, value in values.items() if getattr(question, name) != value]
        for name in changed:
            setattr(question, name, values[name])
        choices_changed = _choices_sync(question, wanted, list(question.choices.all()))
        if changed or choices_changed:
            question.save()
            summary.updated.append(question.slug)
        else:
            summary.unchanged.append(question.slug)

    for question in existing.values():
        if question.is_active:
            question.is_active = False
            question.save(update_fields=["is_active", "updated_at"])
            summary.deactivated.append(question.slug)
        else:
            summary.unchanged.append(question.slug)
    return summary
