"""Writes of studying: ratings (and the leeches they make), Undo, and study settings."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Subquery
from django.db.models.functions import Least
from django.utils import timezone

from learnfrl.accounts.users import User
from quizzes.cards.selectors import hold_in_effect_q
from quizzes.cards.services import buries_moved, leech_suspend
from quizzes.chained_writes import row_insert_then_insert, row_update_then_insert
from quizzes.enums import UNDOABLE_ORIGINS, HoldKind, HoldOrigin, LeechAction, ReviewOrigin
from quizzes.limits import EXTRA_NEW_MAX
from quizzes.models import (
    CardEdit,
    CardHold,
    CardState,
    NewCardsExtra,
    ReviewLog,
    StudyProfile,
)
from quizzes.parameters.services import retention_apply
from quizzes.rules import days, scheduling
from quizzes.rules.days import elapsed_days_changed
from quizzes.rules.scheduling import CardValues, Schedule, leech_reached
from quizzes.statements import row_insert, row_update
from quizzes.study.scopes import AHEAD_PREFIX
from quizzes.study.selectors import (
    CardRead,
    card_read_with_settings,
    card_state_for,
    learner_day,
    study_profile,
)
from quizzes.study.tokens import CardToken


class ReviewStale(Exception):
    """The card changed since the learner saw it (a double click or a second tab)."""


class PreviewStale(Exception):
    """The intervals on the rating buttons are no longer what a rating would give: a day has
    passed since they were computed (a card left open overnight), the learner's parameters
    changed, or the card itself did (an "I was right" or a Set due date in another tab). Nothing
    was recorded; the buttons should be shown again."""


@dataclass(frozen=True)
class RecordedReview:
    log: ReviewLog
    card: CardValues
    # This rating made the card a leech (and suspended it, if the learner's setting says so).
    became_leech: bool = False
    leech_suspended: bool = False


@dataclass(frozen=True)
class LeechOutcome:
    """What a rating does to the card's leech tag."""

    tag: bool
    suspend: bool


def _leech_outcome(*, user: User, before: CardValues, after: CardValues) -> LeechOutcome:
    """Decide whether this rating makes the card a leech: only a lapse can, so the learner's
    leech settings are looked at only then (no query: the rating read them already)."""
    if after.lapses <= before.lapses:
        return LeechOutcome(tag=False, suspend=False)
    profile = study_profile(user=user)
    if not leech_reached(lapses=after.lapses, threshold=profile.leech_threshold):
        return LeechOutcome(tag=False, suspend=False)
    return LeechOutcome(tag=True, suspend=profile.leech_action == LeechAction.SUSPEND)


def _review_write(
    *, user: User, state: CardState | None, after: CardValues, leech: LeechOutcome, log: ReviewLog
) -> ReviewLog | None:
    """Write the reviewed card and its log entry in one transaction (and the leech suspension
    the rating may cause); None if the card was reviewed by another request meanwhile."""
    question_id, now = log.question_id, log.reviewed_at
    if state is None and not leech.suspend and connection.vendor == "postgresql":
        # A first review: the card and its log entry in one statement, as below; a card another
        # request created meanwhile is no error but no write (the caller reads it, tries again).
        card = CardState(user=user, question_id=question_id, created_at=now, **after.columns())
        written = row_insert_then_insert(card, unique=("user_id", "question_id"), then=log)
        return log if written else None
    if state is not None:
        before = state.values()
        log.state_before = before.state
        log.previous_card = {**before.as_dict(), "leech": state.is_leech}
        # Written only if no other review has counted since this one read the card.
        where = {"id": state.pk, "reps": before.reps}
        values = {**after.columns(), "is_leech": state.is_leech or leech.tag}
        if not leech.suspend and connection.vendor == "postgresql":
            # The card and its log entry in one statement, which is its own transaction: three
            # round trips fewer than BEGIN, two statements and COMMIT (docs/benchmarks.md).
            written = row_update_then_insert(CardState, where=where, values=values, instance=log)
            return log if written else None
    # savepoint=False: no savepoint round trips; a conflict leaves the block normally.
    with transaction.atomic(savepoint=False):
        if state is None:
            row_insert(
                CardState(user=user, question_id=question_id, created_at=now, **after.columns())
            )
        elif not row_update(CardState, where=where, values=values):
            return None
        row_insert(log)
        if leech.suspend:
            leech_suspend(user=user, log=log)
    return log


def review_record(
    *,
    user: User,
    question_id: int,
    rating: int,
    now: datetime,
    schedule: Schedule,
    shown_reps: int | None,
    duration_ms: int | None = None,
    origin: str = ReviewOrigin.STUDY,
    previewed_at: datetime | None = None,
    previewed_card: str = "",
    card: CardRead | None = None,
) -> RecordedReview:
    """Apply a rating to the learner's card and log it, in one transaction.

    `shown_reps` is the card's review count when the learner was shown it: if the card has been
    reviewed since, nothing is recorded and ReviewStale is raised. Quiz answers pass None: a quiz
    answer that races another review of the same card is applied on top of it. `previewed_at` is
    when the learner was shown the rating's interval: if the scheduler's day count since the
    card's last review has moved since then, nothing is recorded and PreviewStale is raised; so
    too if `previewed_card`, the fingerprint of the card values the interval was computed from
    (scheduling.card_key; "" for none), is no longer the card's.

    Concurrency is optimistic: the card is read and rescheduled outside the transaction, which
    then only writes — the card on the condition that its review count is still the one read
    (or, for a first review, under the one-card-per-question constraint) — so the write lock that
    SQLite takes for a transaction is held for two statements only.
    """
    nested = transaction.get_connection().in_atomic_block
    for _try in range(3):
        # The card as the caller read it, for the first try (`card`); read afresh after that.
        state = (
            card.state if card is not None else card_state_for(user=user, question_id=question_id)
        )
        card = None
        before = CardState.values_of(state)
        if shown_reps is not None and before.reps != shown_reps:
            raise ReviewStale
        if previewed_at is not None and elapsed_days_changed(
            before.last_review, shown_at=previewed_at, posted_at=now, clock=schedule.day
        ):
            raise PreviewStale
        if previewed_card and previewed_card != scheduling.card_key(before):
            # A regrade or a Set due date rewrote the card's memory or state but not its count.
            raise PreviewStale
        after = scheduling.review(
            before, rating, now=now, schedule=schedule, seed=f"{user.pk}:{question_id}"
        )
        leech = _leech_outcome(user=user, before=before, after=after)
        try:
            log = _review_write(
                user=user,
                state=state,
                after=after,
                leech=leech,
                log=ReviewLog(
                    user=user,
                    question_id=question_id,
                    rating=rating,
                    reviewed_at=now,
                    duration_ms=duration_ms,
                    origin=origin,
                ),
            )
        except IntegrityError:
            # Another request created this learner's card first (SQLite: PostgreSQL's one
            # statement writes nothing instead). Inside a caller's transaction that transaction
            # is spoiled: let the caller roll it back.
            if nested:
                raise ReviewStale from None
            log = None
        if log is not None:
            return RecordedReview(
                log=log, card=after, became_leech=leech.tag, leech_suspended=leech.suspend
            )
        if shown_reps is not None:
            raise ReviewStale
    raise ReviewStale


# A card left open longer than this was not being thought about: its duration is capped.
MAX_REVIEW_DURATION = timedelta(hours=1)


def review_record_shown(
    *, user: User, question_id: int, token: CardToken, rating: int, now: datetime
) -> RecordedReview:
    """Record a study rating of the card the token says the learner was shown, with the
    interval its button showed.

    Raises ReviewStale if the card has been reviewed since it was shown, PreviewStale if the
    interval shown is no longer what the rating gives (a day passed, new parameters, or the card
    changed otherwise).
    """
    # The card and the settings in one read (the settings are then where study_profile keeps
    # them, for the next card's page too).
    card = card_read_with_settings(user=user, question_id=question_id)
    schedule = study_profile(user=user).schedule
    if token.previewed_at is not None and token.parameters_key != scheduling.parameters_key(
        schedule.parameters
    ):
        raise PreviewStale
    elapsed = min(max(now - token.shown_at, timedelta(0)), MAX_REVIEW_DURATION)
    return review_record(
        user=user,
        question_id=question_id,
        rating=rating,
        now=now,
        # The retention the card was shown with, as its buttons' intervals were previewed.
        schedule=schedule.with_retention(token.retention),
        shown_reps=token.reps,
        duration_ms=int(elapsed.total_seconds() * 1000),
        previewed_at=token.previewed_at,
        previewed_card=token.card_key,
        # A card shown by custom study's "review ahead" is logged as reviewed ahead.
        origin=ReviewOrigin.AHEAD if token.scope.startswith(AHEAD_PREFIX) else ReviewOrigin.STUDY,
        card=card,
    )


@dataclass(frozen=True)
class Undone:
    """What Undo took back: a rating (with its log entry), or a bury or a suspension."""

    question_id: int
    hold: HoldKind | None = None
    # The card's review count after a rating is undone (a hold leaves it as it was: None).
    reps: int | None = None


def _hold_undo(*, user: User, now: datetime, start: datetime, edited: Subquery) -> CardHold | None:
    """The learner's latest bury or suspension from the back of a card placed since `start` and
    still in effect, with the time of the latest edit on a card's page (`edited`)."""
    return (
        CardHold.objects.select_for_update()
        .filter(user=user, origin=HoldOrigin.STUDY, placed_at__gte=start)
        .filter(hold_in_effect_q(now))
        .annotate(edited_at=edited)
        .order_by("-placed_at", "-id")
        .first()
    )


def study_undo(*, user: User, now: datetime) -> Undone | None:
    """Take back the learner's latest action of today if it was a study one: a rating, a bury or
    a suspension (the study queue's `undoable` says the same, to offer Undo).

    A rating is restored from its log entry, which is deleted (with the leech suspension it may
    have caused). Returns None when there is nothing to undo: no study action today, or a later
    one of another kind (a quiz's answer, a Forget or Set due date on a card's page).
    """
    start = learner_day(study_profile(user=user), now).day_start
    # The latest edit on a card's page today, read with either row (no statement of its own).
    edited = Subquery(
        CardEdit.objects.filter(user=user, made_at__gte=start)
        .order_by("-made_at")
        .values("made_at")[:1]
    )
    with transaction.atomic(savepoint=False):
        log = (
            ReviewLog.objects.select_for_update()
            .filter(user=user, reviewed_at__gte=start)
            .annotate(edited_at=edited)
            .order_by("-reviewed_at", "-id")
            .first()
        )
        hold = _hold_undo(user=user, now=now, start=start, edited=edited)
        if hold is not None and log is not None and hold.placed_at < log.reviewed_at:
            hold = None  # the rating came after it
        done = hold or log
        if done is None:
            return None
        done_at = done.placed_at if isinstance(done, CardHold) else done.reviewed_at
        edited_at = getattr(done, "edited_at", None)  # the annotation
        if edited_at is not None and edited_at > done_at:
            return None  # a Forget or Set due date came after it (its card's page undoes that)
        if hold is not None:
            hold.delete()
            return Undone(question_id=hold.question_id, hold=HoldKind(hold.kind))
        if log is None or log.origin not in UNDOABLE_ORIGINS:
            return None
        reps = _rating_undo(user=user, log=log)
        if reps is None:
            return None
    return Undone(question_id=log.question_id, reps=reps)


def _rating_undo(*, user: User, log: ReviewLog) -> int | None:
    """Restore the card as it was before `log` and delete the entry; return its review count
    now, None if it moved on."""
    state = (
        CardState.objects.select_for_update().filter(user=user, question_id=log.question_id).first()
    )
    previous = CardValues.from_dict(log.previous_card) if log.previous_card else None
    expected_reps = (previous.reps if previous else 0) + 1
    if state is None or state.reps != expected_reps:
        return None
    if previous is None:
        state.delete()
    else:
        assert log.previous_card is not None  # `previous` was read from it
        was_leech = bool(log.previous_card.get("leech", state.is_leech))
        CardState.objects.filter(pk=state.pk).update(**previous.columns(), is_leech=was_leech)
    log.delete()
    return previous.reps if previous else 0


def _profile_update(*, user: User, **fields: object) -> StudyProfile:
    """Save these settings of the learner's (their row made if they had none), and keep the
    saved row on `user`, so that what the request reads next (study_profile) is what was saved."""
    profile, _ = StudyProfile.objects.update_or_create(user=user, defaults=fields)
    user.study_profile = profile
    return profile


def profile_save(
    *,
    user: User,
    desired_retention: float,
    new_per_day: int,
    max_reviews_per_day: int,
    daily_goal: int | None = None,
) -> StudyProfile:
    """Save the learner's study settings (a daily goal of None keeps theirs); a new desired
    retention reschedules their cards."""
    before = study_profile(user=user).desired_retention
    defaults: dict[str, float | int] = {
        "desired_retention": desired_retention,
        "new_per_day": new_per_day,
        "max_reviews_per_day": max_reviews_per_day,
    }
    if daily_goal is not None:
        defaults["daily_goal"] = daily_goal
    profile = _profile_update(user=user, **defaults)
    if profile.desired_retention != before:
        retention_apply(user=user, profile=profile)
    return profile


def profile_start(*, user: User, time_zone: str) -> StudyProfile:
    """A new learner's study settings: the defaults, in their browser's time zone."""
    profile, _ = StudyProfile.objects.get_or_create(user=user, defaults={"time_zone": time_zone})
    user.study_profile = profile  # what this request reads next
    return profile


def profile_day_save(
    *, user: User, time_zone: str, day_starts_at: int, learn_ahead_minutes: int
) -> bool:
    """Save the learner's day; return whether their cards were rescheduled.

    A new zone or hour changes which day every review fell on: every card is rescheduled from
    its review history under the new day, as Anki does, and each bury ends at the new day's
    start (buries_moved). The review log is not touched, so no
    review is lost or counted twice; today's counts read it with the new day's start.
    """
    before = study_profile(user=user).day
    profile = _profile_update(
        user=user,
        time_zone=time_zone,
        day_starts_at=day_starts_at,
        learn_ahead_minutes=learn_ahead_minutes,
    )
    if profile.day == before:
        return False
    with transaction.atomic():
        buries_moved(user=user, now=timezone.now(), clock=profile.day)
    retention_apply(user=user, profile=profile)
    return True


def profile_siblings_save(*, user: User, bury_siblings: bool) -> StudyProfile:
    """Save whether a fact's other cards wait for the learner's next day once one is seen."""
    return _profile_update(user=user, bury_siblings=bury_siblings)


def profile_leech_save(
    *, user: User, leech_threshold: int, leech_action: LeechAction
) -> StudyProfile:
    """Save the learner's leech settings (apart from the others: their own fieldset and form)."""
    return _profile_update(user=user, leech_threshold=leech_threshold, leech_action=leech_action)


def new_cards_extra_add(*, user: User, now: datetime, scope: str, count: int) -> int:
    """Add `count` new cards to the learner's limit for today (their day), for every category
    (scope "") or one (its slug); return the day's extra for that scope, at most EXTRA_NEW_MAX."""
    today = days.day_of(now, study_profile(user=user).day)
    rows = NewCardsExtra.objects.filter(user=user, day=today, scope=scope)
    # Conditional updates, so that two posts at once both count.
    added = Least(F("count") + count, EXTRA_NEW_MAX)
    with transaction.atomic():
        if not rows.update(count=added):
            try:
                with transaction.atomic():
                    NewCardsExtra.objects.create(
                        user=user, day=today, scope=scope, count=min(count, EXTRA_NEW_MAX)
                    )
            except IntegrityError:
                rows.update(count=added)
        return rows.values_list("count", flat=True).get()
