"""Writes of learners' phrasings: recording refused answers and "I was right", marking a quiz
answer right, and the regrade of a card those and the editors' decisions (`decisions`) share."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F

from learnfrl.accounts.users import User
from quizzes.bank.cache import QuestionData
from quizzes.enums import (
    AttemptState,
    CardEditKind,
    HoldOrigin,
    MarkedRightBy,
    QuestionKind,
    Rating,
    ReviewOrigin,
)
from quizzes.limits import MAX_RESPONSE_LENGTH
from quizzes.models import (
    AnswerClaim,
    AttemptAnswer,
    CardEdit,
    CardHold,
    CardState,
    QuizAttempt,
    ReviewLog,
)
from quizzes.parameters.selectors import card_edits_read
from quizzes.progress.statistics import statistics_history_rewritten
from quizzes.rules import optimizing, scheduling
from quizzes.rules.grading import normalise, response_grade
from quizzes.rules.scheduling import CARD_FIELDS, Schedule
from quizzes.statements import row_insert
from quizzes.study.selectors import study_profile

TYPED_KINDS = (QuestionKind.TYPED, QuestionKind.CLOZE)


class NotFound(Exception):
    """The attempt or answer named is not the learner's, or the phrasing is not in the queue."""


def phrasing_key(response: str) -> str:
    """A phrasing as the editors' queue groups it: the grader's normalised form."""
    return normalise(response)[:MAX_RESPONSE_LENGTH]


def phrasing_record(
    *,
    user: User,
    question: QuestionData,
    response: str,
    origin: str,
    now: datetime,
    claimed: bool = False,
    attempt_answer_id: int | None = None,
    answered_now: bool = False,
) -> AnswerClaim | None:
    """Keep a refused typed phrasing for the editors (once per learner, question and phrasing in
    study; once per quiz answer), and mark it "I was right" when `claimed`. None for a choice
    question or an empty answer. `answered_now`: the quiz answer was stored by the caller's
    transaction, so no phrasing of it can exist and it is inserted without a look first."""
    key = phrasing_key(response)
    if question.has_choices or not key:
        return None
    defaults = {
        "fact_id": question.fact_id,
        "response": response[:MAX_RESPONSE_LENGTH],
        "origin": origin,
        "claimed": claimed,
        "created_at": now,
        "user": user,
        "question_id": question.id,
        "normalised": key,
    }
    if attempt_answer_id is None:
        claim, created = AnswerClaim.objects.get_or_create(
            user=user,
            question_id=question.id,
            normalised=key,
            attempt_answer=None,
            defaults=defaults,
        )
    elif answered_now:
        # The answer was stored by this very transaction: it can have no phrasing yet.
        claim = AnswerClaim(attempt_answer_id=attempt_answer_id, **defaults)
        row_insert(claim)
        return claim
    else:
        claim, created = AnswerClaim.objects.get_or_create(
            attempt_answer_id=attempt_answer_id, defaults=defaults
        )
    if claimed and not created and not claim.claimed:
        AnswerClaim.objects.filter(pk=claim.pk).update(claimed=True)
        claim.claimed = True
    return claim


def _refused(question: QuestionData, response: str) -> bool:
    """A typed or cloze answer the grader refused (never a choice, never an empty answer)."""
    return not question.has_choices and response_grade(question, response).correct is False


def phrasing_record_refused(
    *,
    user: User,
    question: QuestionData,
    response: str,
    origin: str,
    now: datetime,
    attempt_answer_id: int | None = None,
    answered_now: bool = False,
    correct: bool | None = None,
) -> AnswerClaim | None:
    """Send a typed answer the grader refused to the editors' queue (None if it was not one).
    `correct`: the grader's verdict when the caller has it already (else it is graded here)."""
    if question.has_choices:
        return None
    if correct is None:
        correct = response_grade(question, response).correct
    if correct is not False:
        return None
    return phrasing_record(
        user=user,
        question=question,
        response=response,
        origin=origin,
        now=now,
        attempt_answer_id=attempt_answer_id,
        answered_now=answered_now,
    )


def phrasing_claim_study(
    *, user: User, question: QuestionData, response: str, now: datetime
) -> AnswerClaim | None:
    """ "I was right" in study: keep the refused phrasing as the learner's claim; None (nothing
    recorded) for a right answer, a choice or an empty answer."""
    if not _refused(question, response):
        return None
    return phrasing_record(
        user=user,
        question=question,
        response=response,
        origin=ReviewOrigin.STUDY,
        now=now,
        claimed=True,
    )


def _replay(
    logs: Sequence[ReviewLog],
    *,
    after: ReviewLog,
    schedule: Schedule,
    seed: str,
    dues_set: list[optimizing.DueSet],
) -> scheduling.CardValues:
    """Replay a card's whole log (as optimizing.reschedule_card does, `seed` as review_record
    seeds the card's fuzz, each of its Set due dates made again in its place) and return the
    card; the ratings and Set due dates after `after` get the card as it now was before them, so
    Undo of a later study rating or Set due date restores the regraded card."""
    card = scheduling.NEW_CARD
    later = False
    moves = list(dues_set)

    def move(card: scheduling.CardValues, due_set: optimizing.DueSet) -> scheduling.CardValues:
        card, made = optimizing.move_made(card, due_set, schedule.day)
        CardEdit.objects.filter(pk=made.edit_id).update(due=made.due, previous_card=made.previous)
        return card

    for entry in logs:
        while moves and moves[0].made_at < entry.reviewed_at:
            card = move(card, moves.pop(0))
        if later and entry.previous_card is not None:
            leech = entry.previous_card.get("leech", False)
            ReviewLog.objects.filter(pk=entry.pk).update(
                state_before=card.state, previous_card={**card.as_dict(), "leech": leech}
            )
        later = later or entry.pk == after.pk
        rating = Rating.GOOD if entry.pk == after.pk else entry.rating
        card = scheduling.review(card, rating, now=entry.reviewed_at, schedule=schedule, seed=seed)
    for due_set in moves:
        card = move(card, due_set)
    return card


def card_regrade(*, user: User, question_id: int, reviewed_at: datetime) -> bool:
    """Turn the quiz's Again at `reviewed_at` into Good and rebuild the card from its history,
    as if the quiz had recorded the answer right; False if there was no such rating.

    Call inside a transaction. A card whose log does not hold all its reviews keeps its values
    (replaying part of a history would forget what it went through), as a reschedule does.
    """
    log = (
        ReviewLog.objects.select_for_update()
        .filter(
            user=user,
            question_id=question_id,
            origin=ReviewOrigin.QUIZ,
            reviewed_at=reviewed_at,
            rating=Rating.AGAIN,
        )
        .first()
    )
    if log is None:
        return False
    ReviewLog.objects.filter(pk=log.pk).update(rating=Rating.GOOD)
    # A past day's rating (and, in the replay, later cards) rewritten: the statistics count anew.
    statistics_history_rewritten(user_id=user.pk)
    state = CardState.objects.select_for_update().filter(user=user, question_id=question_id).first()
    if state is None:
        return True
    # Its "Set due date"s too (a replay of the ratings alone undid them), and its history since
    # a Forget alone (the card started again there): whether it has any edit is read with the
    # log, and the edits only then, as few cards have one.
    kinds = (CardEditKind.SET_DUE, CardEditKind.FORGET)
    edits = CardEdit.objects.filter(user=user, question_id=question_id, kind__in=kinds)
    logs = list(
        ReviewLog.objects.filter(user=user, question_id=question_id)
        .annotate(edited=Exists(edits))
        .order_by("reviewed_at", "id")
        .only("pk", "reviewed_at", "rating", "state_before", "previous_card")
    )
    dues_set: list[optimizing.DueSet] = []
    if logs[0].edited:
        read = card_edits_read(user=user, question_id=question_id)
        dues_set = read.dues_set.get(question_id, [])
        forgotten = read.forgotten.get(question_id)
        if forgotten is not None:
            if log.reviewed_at <= forgotten:
                return True  # a rating from before the Forget: the card no longer holds it
            logs = [entry for entry in logs if entry.reviewed_at > forgotten]
    if len(logs) != state.reps:
        return True
    state.values_set(
        _replay(
            logs,
            after=log,
            schedule=study_profile(user=user).schedule,
            seed=f"{user.pk}:{question_id}",
            dues_set=dues_set,
        )
    )
    # The lapse is gone: so is the leech suspension it brought, if it did, and the tag with it.
    suspended, _ = CardHold.objects.filter(review_log=log, origin=HoldOrigin.LEECH).delete()
    if suspended and log.previous_card is not None:
        state.is_leech = bool(log.previous_card.get("leech", False))
    state.save(update_fields=[*CARD_FIELDS, "is_leech"])
    return True


@dataclass(frozen=True)
class Marked:
    """What "I was right" did to a quiz answer: marked it (True) or changed nothing."""

    marked: bool
    answer: AttemptAnswer


def answer_mark_right(
    *, user: User, attempt_id: int, answer_id: int, question: QuestionData | None, now: datetime
) -> Marked:
    """The learner says a typed answer of their finished quiz that was graded wrong was right:
    mark it right as theirs, add it to the score, reschedule its card as if it had been right,
    and send the phrasing to the editors. Once only; anything else changes nothing.

    Raises NotFound unless the attempt is the learner's and the answer one of its own.
    """
    with transaction.atomic():
        # The attempt's row lock orders this against an editor's regrade of the same answer.
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
        answer = (
            AttemptAnswer.objects.filter(pk=answer_id, attempt_id=attempt_id).first()
            if attempt is not None
            else None
        )
        if attempt is None or answer is None:
            raise NotFound
        eligible = (
            attempt.state == AttemptState.FINISHED
            and question is not None
            and question.id == answer.question_id
            and not question.has_choices
            and answer.answered_at is not None
            and answer.response.strip() != ""
        )
        if not eligible or question is None:
            return Marked(False, answer)
        marked = AttemptAnswer.objects.filter(pk=answer.pk, is_correct=False).update(
            is_correct=True, marked_right_by=MarkedRightBy.LEARNER
        )
        if not marked:
            return Marked(False, answer)
        QuizAttempt.objects.filter(pk=attempt.pk).update(score=F("score") + 1)
        phrasing_record(
            user=user,
            question=question,
            response=answer.response,
            origin=ReviewOrigin.QUIZ,
            now=now,
            claimed=True,
            attempt_answer_id=answer.pk,
        )
        assert answer.answered_at is not None
        card_regrade(user=user, question_id=answer.question_id, reviewed_at=answer.answered_at)
        answer.is_correct, answer.marked_right_by = True, MarkedRightBy.LEARNER
    return Marked(True, answer)
