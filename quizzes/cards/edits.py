"""Writes of one card from its page, outside rating it: Forget (back to new, its reviews kept),
Set due date, and Undo of the latest of these. Each is recorded as a CardEdit in the card's
history, with the card as it was, so that Undo can put it back."""

import random
from datetime import datetime

from django.db import transaction

from learnfrl.accounts.users import User
from quizzes.enums import CardEditKind, MemoryState
from quizzes.models import CardEdit, CardState, ReviewLog
from quizzes.rules.days import DayClock, day_start, next_day_start
from quizzes.rules.duedays import DueDays
from quizzes.rules.scheduling import CardValues


class CardIsNew(Exception):
    """The card has never been reviewed: it has no schedule to forget or move."""


def _previous(state: CardState) -> dict[str, object]:
    """What Undo needs to put the card back as it is now."""
    return {
        **state.values().as_dict(),
        "leech": state.is_leech,
        "created_at": state.created_at.isoformat(),
    }


def _locked_card(user: User, question_id: int) -> CardState:
    state = CardState.objects.select_for_update().filter(user=user, question_id=question_id).first()
    if state is None:
        raise CardIsNew
    return state


def card_forget(*, user: User, question_id: int, now: datetime) -> None:
    """Put the learner's card back to new, as Anki's "Reset": the card's schedule goes, its
    review history stays. Raises CardIsNew for a card never reviewed."""
    with transaction.atomic():
        state = _locked_card(user, question_id)
        CardEdit.objects.create(
            user=user,
            question_id=question_id,
            kind=CardEditKind.FORGET,
            made_at=now,
            previous_card=_previous(state),
        )
        state.delete()


def day_ahead_start(now: datetime, days: int, clock: DayClock) -> datetime:
    """The start of the learner's day `days` after today's (today's own start for 0)."""
    start = day_start(now, clock)
    for _day in range(days):
        start = next_day_start(start, clock)
    return start


def card_due_set(
    *,
    user: User,
    question_id: int,
    days: DueDays,
    now: datetime,
    clock: DayClock,
    rng: random.Random,
) -> datetime:
    """Make the learner's card due at the start of a day of `days` from today (a card in
    learning becomes a review card, as in Anki); return when. Raises CardIsNew for a card never
    reviewed: it has no memory to schedule."""
    due = day_ahead_start(now, days.pick(rng), clock)
    with transaction.atomic():
        state = _locked_card(user, question_id)
        CardEdit.objects.create(
            user=user,
            question_id=question_id,
            kind=CardEditKind.SET_DUE,
            made_at=now,
            due=due,
            previous_card=_previous(state),
        )
        CardState.objects.filter(pk=state.pk).update(due=due, state=MemoryState.REVIEW, step=None)
    return due


def card_edit_undoable(
    *, edit: CardEdit, is_new: bool, due: datetime | None, reviewed_since: bool
) -> bool:
    """Whether `edit`, the card's latest, can still be undone: the card is as the edit left it
    (no rating since; forgotten and still new, or still due when it was set)."""
    if reviewed_since:
        return False
    if edit.kind == CardEditKind.FORGET:
        return is_new
    return not is_new and due == edit.due


def card_edit_undo(*, user: User, question_id: int) -> CardEditKind | None:
    """Undo the latest Forget or Set due date of the learner's card: put the card back as it was
    and drop the edit from its history. None if there is none, or the card has moved on."""
    with transaction.atomic():
        edit = (
            CardEdit.objects.select_for_update()
            .filter(user=user, question_id=question_id)
            .order_by("-made_at", "-id")
            .first()
        )
        if edit is None:
            return None
        state = (
            CardState.objects.select_for_update().filter(user=user, question_id=question_id).first()
        )
        reviewed_since = ReviewLog.objects.filter(
            user=user, question_id=question_id, reviewed_at__gt=edit.made_at
        ).exists()
        undoable = card_edit_undoable(
            edit=edit,
            is_new=state is None,
            due=state.due if state else None,
            reviewed_since=reviewed_since,
        )
        if not undoable:
            return None
        previous = edit.previous_card
        values = CardValues.from_dict(previous).columns()
        if state is None:
            CardState.objects.create(
                user=user,
                question_id=question_id,
                is_leech=previous["leech"],
                created_at=datetime.fromisoformat(previous["created_at"]),
                **values,
            )
        else:
            CardState.objects.filter(pk=state.pk).update(**values, is_leech=previous["leech"])
        kind = CardEditKind(edit.kind)
        edit.delete()
    return kind
