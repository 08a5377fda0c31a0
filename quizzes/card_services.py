"""Writes of a learner's cards outside rating them: bury, suspend and lift those holds."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from quizzes.enums import HoldKind, HoldOrigin
from quizzes.holds import bury_until
from quizzes.models import CardHold


def _in_effect(hold: CardHold, now: datetime) -> bool:
    return hold.until is None or hold.until > now


def hold_place(
    *, user: User, question_id: int, kind: HoldKind, now: datetime, origin: HoldOrigin
) -> CardHold:
    """Bury the card until the learner's next day, or suspend it until they lift it.

    Burying a suspended card changes nothing (the suspension lasts longer); suspending a buried
    card replaces the bury.
    """
    with transaction.atomic():
        hold = CardHold.objects.select_for_update().filter(user=user, question_id=question_id)
        existing = hold.first()
        if (
            existing is not None
            and kind == HoldKind.BURY
            and existing.kind == HoldKind.SUSPEND
            and _in_effect(existing, now)
        ):
            return existing
        placed, _ = CardHold.objects.update_or_create(
            user=user,
            question_id=question_id,
            defaults={
                "kind": kind,
                "until": bury_until(now) if kind == HoldKind.BURY else None,
                "placed_at": now,
                "origin": origin,
                "review_log": None,
            },
        )
    return placed


def holds_suspend(*, user: User, question_ids: Iterable[int], now: datetime) -> int:
    """Suspend the learner's cards of these questions (the cards page's bulk action)."""
    holds = [
        CardHold(
            user=user,
            question_id=question_id,
            kind=HoldKind.SUSPEND,
            until=None,
            placed_at=now,
            origin=HoldOrigin.CARDS,
        )
        for question_id in sorted(set(question_ids))
    ]
    # One statement whatever the card held before: a bury or a leech suspension becomes this one.
    CardHold.objects.bulk_create(
        holds,
        update_conflicts=True,
        unique_fields=["user", "question"],
        update_fields=["kind", "until", "placed_at", "origin", "review_log"],
    )
    return len(holds)


def holds_unsuspend(*, user: User, question_ids: Iterable[int]) -> int:
    """Lift the learner's suspensions of these questions; buried cards stay buried."""
    deleted, _ = CardHold.objects.filter(
        user=user, question_id__in=list(question_ids), kind=HoldKind.SUSPEND
    ).delete()
    return deleted
