"""Reads of one card's history for its page: every rating with what it did to the card, and
the learner's Forget and Set due date, newest first; and whether the latest of those can be
undone."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from learnfrl.accounts.users import User
from quizzes.cards.edits import card_edit_undoable
from quizzes.enums import CardEditKind, Rating, ReviewOrigin
from quizzes.models import CardEdit, ReviewLog
from quizzes.rules import ankistats, scheduling
from quizzes.rules.scheduling import NEW_CARD, CardValues, Schedule


@dataclass(frozen=True)
class HistoryEntry:
    """A rating of the card (with the card after it) or an edit of it."""

    at: datetime
    rating: Rating | None = None
    origin: str = ""
    interval: timedelta | None = None
    stability: float | None = None
    difficulty: float | None = None
    # The chance of recall when the card was rated, by the learner's schedule (None when new).
    recall: float | None = None
    edit: CardEditKind | None = None
    due_set: datetime | None = None

    @property
    def interval_label(self) -> str:
        return "" if self.interval is None else scheduling.interval_label(self.interval)

    @property
    def what(self) -> str:
        if self.edit is not None:
            return self.edit.label
        return self.rating.label if self.rating is not None else ""


@dataclass(frozen=True)
class CardHistory:
    entries: list[HistoryEntry]
    # The edit Undo would take back, if the card has not moved on since.
    undoable: CardEditKind | None


def _review_entry(log: ReviewLog, *, schedule: Schedule, seed: str) -> HistoryEntry:
    """A rating, replayed from the card as the log kept it before: what the rating made of it
    (fsrs's outcome under the learner's schedule, with the fuzz the rating drew)."""
    before = CardValues.from_dict(log.previous_card) if log.previous_card else NEW_CARD
    after = scheduling.review(before, log.rating, now=log.reviewed_at, schedule=schedule, seed=seed)
    recall = (
        None
        if before.is_new
        else scheduling.retrievability(before, now=log.reviewed_at, schedule=schedule)
    )
    assert after.due is not None, "a reviewed card always has a due time"
    interval = ankistats.interval_given(
        after.state, due=after.due, since=log.reviewed_at, clock=schedule.day
    )
    return HistoryEntry(
        at=log.reviewed_at,
        rating=Rating(log.rating),
        origin=ReviewOrigin(log.origin).label,
        interval=interval,
        stability=after.stability,
        difficulty=after.difficulty,
        recall=recall,
    )


def card_history(
    *,
    user: User,
    question_id: int,
    schedule: Schedule,
    is_new: bool,
    due: datetime | None,
) -> CardHistory:
    """The card's history, newest first, in two queries (its ratings, its edits); `is_new` and
    `due` are the card as the page read it, to say whether its latest edit can be undone."""
    logs = ReviewLog.objects.filter(user=user, question_id=question_id).order_by(
        "reviewed_at", "id"
    )
    edits = list(
        CardEdit.objects.filter(user=user, question_id=question_id).order_by("made_at", "id")
    )
    seed = f"{user.pk}:{question_id}"  # as review_record seeds the card's fuzz
    entries = [_review_entry(log, schedule=schedule, seed=seed) for log in logs]
    entries += [
        HistoryEntry(at=edit.made_at, edit=CardEditKind(edit.kind), due_set=edit.due)
        for edit in edits
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    undoable = None
    if edits:
        latest = edits[-1]
        reviewed_since = any(e.at > latest.made_at and e.rating for e in entries)
        if card_edit_undoable(edit=latest, is_new=is_new, due=due, reviewed_since=reviewed_since):
            undoable = CardEditKind(latest.kind)
    return CardHistory(entries=entries, undoable=undoable)
