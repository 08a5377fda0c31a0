"""Every write to the learning domain goes through a function here."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from quizzes import scheduling, selectors
from quizzes.article import passage_offset
from quizzes.models import CardState, Category, Choice, Question, ReviewLog, StudyProfile
from quizzes.scheduling import CardValues


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
        choice.text = f"\x00{choice.pk}"
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


# --- reviews ------------------------------------------------------------------------------------


class ReviewStale(Exception):
    """The card changed since the learner saw it (a double click or a second tab)."""


@dataclass(frozen=True)
class RecordedReview:
    log: ReviewLog
    card: CardValues


def _card_fields(values: CardValues) -> dict[str, Any]:
    return {
        "state": values.state,
        "step": values.step,
        "stability": values.stability,
        "difficulty": values.difficulty,
        "due": values.due,
        "last_review": values.last_review,
        "reps": values.reps,
        "lapses": values.lapses,
    }


def review_record(
    *,
    user: User,
    question_id: int,
    rating: int,
    now: datetime,
    desired_retention: float,
    shown_reps: int | None,
    duration_ms: int | None = None,
    origin: str = ReviewLog.Origin.STUDY,
) -> RecordedReview:
    """Apply a rating to the learner's card and log it, in one transaction.

    `shown_reps` is the card's review count when the learner was shown it: if the card has been
    reviewed since, nothing is recorded and ReviewStale is raised. Quiz answers pass None.
    """
    try:
        # savepoint=False: one transaction and no savepoint round trips. The stale checks come
        # before any write and leave the block normally, so they never abort an outer transaction.
        with transaction.atomic(savepoint=False):
            state = (
                CardState.objects.select_for_update().filter(user=user, question_id=question_id)
            ).first()
            before = selectors.card_values(state)
            stale = shown_reps is not None and before.reps != shown_reps
            if not stale:
                after = scheduling.review(
                    before,
                    rating,
                    now=now,
                    desired_retention=desired_retention,
                    seed=f"{user.pk}:{question_id}",
                )
                if state is None:
                    CardState.objects.create(
                        user=user, question_id=question_id, created_at=now, **_card_fields(after)
                    )
                else:
                    # The reps condition makes a concurrent second rating update nothing.
                    stale = not CardState.objects.filter(pk=state.pk, reps=before.reps).update(
                        **_card_fields(after)
                    )
            if not stale:
                log = ReviewLog.objects.create(
                    user=user,
                    question_id=question_id,
                    rating=rating,
                    reviewed_at=now,
                    duration_ms=duration_ms,
                    origin=origin,
                    state_before=None if state is None else before.state,
                    previous_card=None if state is None else before.as_dict(),
                )
    except IntegrityError:
        # Another request created this learner's card first: it was rated there.
        raise ReviewStale from None
    if stale:
        raise ReviewStale
    return RecordedReview(log=log, card=after)


def review_undo(*, user: User) -> ReviewLog | None:
    """Take back the learner's latest study rating: restore the card and delete the log entry.

    Returns the removed entry, or None when there is nothing to undo (no study review, or the card
    has been reviewed again since, e.g. by a quiz).
    """
    with transaction.atomic(savepoint=False):
        log = (
            ReviewLog.objects.select_for_update()
            .filter(user=user)
            .order_by("-reviewed_at", "-id")
            .first()
        )
        if log is None or log.origin != ReviewLog.Origin.STUDY:
            return None
        state = (
            CardState.objects.select_for_update()
            .filter(user=user, question_id=log.question_id)
            .first()
        )
        previous = CardValues.from_dict(log.previous_card) if log.previous_card else None
        expected_reps = (previous.reps if previous else 0) + 1
        if state is None or state.reps != expected_reps:
            return None
        if previous is None:
            state.delete()
        else:
            CardState.objects.filter(pk=state.pk).update(**_card_fields(previous))
        log.delete()
    return log


def profile_save(
    *, user: User, desired_retention: float, new_per_day: int, max_reviews_per_day: int
) -> StudyProfile:
    profile, _ = StudyProfile.objects.update_or_create(
        user=user,
        defaults={
            "desired_retention": desired_retention,
            "new_per_day": new_per_day,
            "max_reviews_per_day": max_reviews_per_day,
        },
    )
    return profile
