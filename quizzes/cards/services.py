"""Writes of a learner's cards outside rating them: bury, suspend and lift those holds."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from django.db import connection
from django.db.models import Field

from learnfrl.accounts.users import User
from quizzes.enums import HoldKind, HoldOrigin
from quizzes.models import CardHold, ReviewLog
from quizzes.rules.days import DayClock, next_day_start


def _holds_upsert(holds: list[CardHold]) -> None:
    """Insert the holds, each replacing the hold its learner's card already has."""
    CardHold.objects.bulk_create(
        holds,
        update_conflicts=True,
        unique_fields=["user", "question"],
        update_fields=["kind", "until", "placed_at", "origin", "review_log"],
    )


def hold_place(
    *,
    user: User,
    question_id: int,
    kind: HoldKind,
    now: datetime,
    clock: DayClock,
    origin: HoldOrigin,
) -> HoldKind:
    """Bury the card until the learner's next day, or suspend it until they lift it; return the
    hold the card now has.

    Burying a suspended card changes nothing (the suspension lasts longer); suspending a buried
    card replaces the bury. One statement, whatever the card held before.
    """
    hold = CardHold(
        user=user,
        question_id=question_id,
        kind=kind,
        until=next_day_start(now, clock) if kind == HoldKind.BURY else None,
        placed_at=now,
        origin=origin,
    )
    if kind == HoldKind.BURY:
        return HoldKind.BURY if _bury_upsert(hold) else HoldKind.SUSPEND
    _holds_upsert([hold])
    return kind


def _bury_upsert(hold: CardHold) -> bool:
    """Insert the bury, or let it replace the card's hold unless that is a suspension; whether it
    took. One INSERT … ON CONFLICT … DO UPDATE … WHERE: a read first, then a write, let a suspend
    sent at the same instant land between them and be overwritten by the bury."""
    meta = CardHold._meta
    quote = connection.ops.quote_name
    names = ["user", "question", "kind", "until", "placed_at", "origin", "review_log"]
    fields = [cast("Field[Any, Any]", meta.get_field(name)) for name in names]
    columns = [quote(str(field.column)) for field in fields]
    values = [field.get_db_prep_save(getattr(hold, field.attname), connection) for field in fields]
    table = quote(meta.db_table)
    updated = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[2:])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(values))}) "
        f"ON CONFLICT ({columns[0]}, {columns[1]}) DO UPDATE SET {updated} "
        f"WHERE {table}.{columns[2]} <> %s RETURNING {columns[2]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, HoldKind.SUSPEND.value])
        return cursor.fetchone() is not None


def leech_suspend(*, user: User, log: ReviewLog) -> None:
    """Suspend a card that the rating `log` has just made a leech, tied to that rating: undoing
    the rating deletes the log entry, and with it this suspension.

    A card the learner has suspended already keeps that suspension (not tied to the rating), so
    undoing the rating never lifts a suspension the learner chose.
    """
    suspended = CardHold.objects.filter(
        user=user, question_id=log.question_id, kind=HoldKind.SUSPEND
    ).exists()
    if suspended:
        return
    hold = CardHold(
        user=user,
        question_id=log.question_id,
        kind=HoldKind.SUSPEND,
        until=None,
        placed_at=log.reviewed_at,
        origin=HoldOrigin.LEECH,
        review_log=log,
    )
    _holds_upsert([hold])


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
    _holds_upsert(holds)
    return len(holds)


def holds_unsuspend(*, user: User, question_ids: Iterable[int]) -> int:
    """Lift the learner's suspensions of these questions; buried cards stay buried."""
    deleted, _ = CardHold.objects.filter(
        user=user, question_id__in=list(question_ids), kind=HoldKind.SUSPEND
    ).delete()
    return deleted


def buries_moved(*, user: User, now: datetime, clock: DayClock) -> int:
    """End each of the learner's buries still in effect at the start of their next day after it
    was placed on their clock now (`clock`, a new zone or day-start hour): a bury lasts "until
    your next day begins", and one kept at the old clock's day start came back hours into the
    same day on the new clock, or stayed away hours into the next. One placed on what is now an
    earlier day ends at once. Return how many moved."""
    buries = list(
        CardHold.objects.select_for_update()
        .filter(user=user, kind=HoldKind.BURY, until__gt=now)
        .only("pk", "until", "placed_at")
    )
    moved = []
    for bury in buries:
        until = max(next_day_start(bury.placed_at, clock), now)
        if until != bury.until:
            bury.until = until
            moved.append(bury)
    CardHold.objects.bulk_update(moved, ["until"])
    return len(moved)
