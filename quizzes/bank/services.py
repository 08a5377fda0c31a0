"""Writes to the question bank: loading a validated bank file."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from quizzes.models import Category, Choice, Fact, Question
from quizzes.rules.article import passage_offset
from quizzes.rules.bankfile import bank_questions


@dataclass
class LoadSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    facts_added: list[str] = field(default_factory=list)
    facts_updated: list[str] = field(default_factory=list)
    facts_deleted: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.deactivated)} deactivated, {len(self.unchanged)} unchanged; "
            f"facts: {len(self.facts_added)} added, {len(self.facts_updated)} updated, "
            f"{len(self.facts_deleted)} deleted"
        )


def _fact_values(entry: dict[str, Any], position: int) -> dict[str, Any]:
    return {
        "claim": entry["claim"],
        "answer": entry["answer"],
        "accepted_answers": list(entry.get("accepted_answers", [])),
        "source_passage": entry["passage"],
        "passage_offset": passage_offset(entry["passage"]),
        "position": position,
    }


def _question_values(
    entry: dict[str, Any], category: Category, fact: Fact, position: int
) -> dict[str, Any]:
    return {
        "fact_id": fact.pk,
        "category": category,
        "kind": entry["kind"],
        "prompt": entry["prompt"],
        "answer": entry["answer"],
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


def _categories_load(data: dict[str, Any]) -> dict[str, Category]:
    """Add new categories and update changed ones, matched by slug. An unchanged one is not saved:
    its time is part of the bank's version, which a load that changes nothing leaves alone."""
    existing = {c.slug: c for c in Category.objects.select_for_update()}
    categories: dict[str, Category] = {}
    for order, entry in enumerate(data["categories"]):
        values = {
            "name": entry["name"],
            "description": entry.get("description", ""),
            "display_order": order,
        }
        category = existing.get(entry["slug"])
        if category is None:
            category = Category.objects.create(slug=entry["slug"], **values)
        elif changed := [
            name for name, value in values.items() if getattr(category, name) != value
        ]:
            for name in changed:
                setattr(category, name, values[name])
            category.save()
        categories[category.slug] = category
    return categories


def _facts_load(data: dict[str, Any], summary: LoadSummary) -> dict[str, Fact]:
    """Add new facts and update changed ones in place, matched by slug."""
    existing = {f.slug: f for f in Fact.objects.select_for_update()}
    facts: dict[str, Fact] = {}
    for position, entry in enumerate(data["facts"]):
        values = _fact_values(entry, position)
        fact = existing.get(entry["slug"])
        if fact is None:
            fact = Fact.objects.create(slug=entry["slug"], **values)
            summary.facts_added.append(fact.slug)
        else:
            changed = [name for name, value in values.items() if getattr(fact, name) != value]
            for name in changed:
                setattr(fact, name, values[name])
            if changed:
                fact.save()
                summary.facts_updated.append(fact.slug)
        facts[fact.slug] = fact
    return facts


@transaction.atomic
def bank_load(*, data: dict[str, Any]) -> LoadSummary:
    """Write a validated bank: add new facts and questions, update changed ones in place,
    deactivate the questions the file no longer has, delete the facts left with no question.

    Questions are matched by slug, so learners' card states and reviews stay attached to them
    whichever fact they move to.
    """
    categories = _categories_load(data)
    summary = LoadSummary()
    facts = _facts_load(data, summary)
    existing = {q.slug: q for q in Question.objects.select_for_update().prefetch_related("choices")}
    for position, entry in enumerate(bank_questions(data)):
        values = _question_values(
            entry, categories[entry["category"]], facts[entry["fact"]], position
        )
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
    # A fact the file no longer has stays while a (deactivated) question still belongs to it.
    orphans = Fact.objects.exclude(slug__in=facts).filter(questions__isnull=True)
    summary.facts_deleted = sorted(orphans.values_list("slug", flat=True))
    orphans.delete()
    return summary
