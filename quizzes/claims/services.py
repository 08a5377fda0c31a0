"""Writes of learners' phrasings: recording refused answers and "I was right", marking a quiz
answer right, and the editors' accepting (a regrade of every stored answer) or rejecting one."""

from collections import Counter
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
    ClaimStatus,
    HoldOrigin,
    MarkedRightBy,
    QuestionKind,
    Rating,
    ReviewOrigin,
)
from quizzes.limits import MAX_ACCEPTED_ANSWERS, MAX_CLAIM_REASON_LENGTH, MAX_RESPONSE_LENGTH
from quizzes.models import (
    AnswerClaim,
    AttemptAnswer,
    CardEdit,
    CardHold,
    CardState,
    Fact,
    QuizAttempt,
    ReviewLog,
)
from quizzes.parameters.selectors import card_edits_read
from quizzes.progress.statistics import statistics_history_rewritten
from quizzes.rules import optimizing, scheduling
from quizzes.rules.bankfile import accepted_problems, as_sentence
from quizzes.rules.grading import normalise, response_grade
from quizzes.rules.scheduling import CARD_FIELDS, Schedule
from quizzes.rules.visible import controls_spaced
from quizzes.statements import row_insert
from quizzes.study.selectors import study_profile

TYPED_KINDS = (QuestionKind.TYPED, QuestionKind.CLOZE)


class NotFound(Exception):
    """The attempt or answer named is not the learner's, or the phrasing is not in the queue."""


class FormRefused(Exception):
    """The phrasing cannot become one of its fact's accepted forms (the loader's rules): nothing
    was changed. The message says why."""


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


@dataclass(frozen=True)
class Accepted:
    """What accepting a phrasing did: the form added (empty if the fact had it), the answers
    regraded and the learners they belong to, and the claims it closed."""

    form: str
    answers: int
    learners: int
    closed: int = 0

    @property
    def changed_nothing(self) -> bool:
        """Accepted before (another tab, another editor): this changed nothing."""
        return not (self.form or self.answers or self.closed)


def _most_given(claims: list[AnswerClaim]) -> str:
    # A direction mark pasted in with an answer is no part of it (the admin and the loader refuse
    # one in a form; the grader reads it as a space): the form is taken without.
    counts = Counter(controls_spaced(claim.response) for claim in claims)
    return max(counts, key=lambda text: (counts[text], text))


def phrasing_accept(*, fact_id: int, normalised: str, editor: User, now: datetime) -> Accepted:
    """Accept a phrasing of a fact: add it to the fact's forms, then regrade every stored quiz
    answer to the fact's typed and cloze questions with that phrasing, for every learner (the
    answer right, the score up, the card rescheduled), and close its claims as accepted.

    Raises NotFound when no learner gave that phrasing for that fact. Repeating it changes
    nothing more. Locks in the order fact, attempts, claims, cards, as "I was right" locks
    attempt, claim, card, so the two never wait on each other in a circle.
    """
    with transaction.atomic():
        fact = Fact.objects.select_for_update().filter(pk=fact_id).first()
        claims = list(AnswerClaim.objects.filter(fact_id=fact_id, normalised=normalised))
        if fact is None or not claims:
            raise NotFound
        form = ""
        if all(phrasing_key(f) != normalised for f in (fact.answer, *fact.accepted_answers)):
            form = _most_given(claims)
            # A form the admin and the loader would take (a 315-character one made the fact's
            # page unsavable): the new form and the count only, the fact's own are the admin's.
            problems = accepted_problems([form])
            if len(fact.accepted_answers) + 1 > MAX_ACCEPTED_ANSWERS:
                problems.append(f"the fact has {MAX_ACCEPTED_ANSWERS} accepted answers already")
            if problems:
                raise FormRefused(as_sentence(problems[0]))
            fact.accepted_answers = [*fact.accepted_answers, form]
            # Saving the fact bumps its updated_at: each process's bank is rebuilt with the form.
            fact.save(update_fields=["accepted_answers", "updated_at"])
        regraded = _answers_regrade(fact_id=fact_id, normalised=normalised)
        closed = (
            AnswerClaim.objects.filter(fact_id=fact_id, normalised=normalised)
            .exclude(status=ClaimStatus.ACCEPTED)
            .update(status=ClaimStatus.ACCEPTED, reason="", decided_by=editor, decided_at=now)
        )
        for answer in regraded:
            assert answer.answered_at is not None  # only answered answers are regraded
            card_regrade(
                user=answer.attempt.user,
                question_id=answer.question_id,
                reviewed_at=answer.answered_at,
            )
    return Accepted(
        form=form,
        answers=len(regraded),
        learners=len({a.attempt.user_id for a in regraded}),
        closed=closed,
    )


def _answers_regrade(*, fact_id: int, normalised: str) -> list[AttemptAnswer]:
    """Mark right every finished quiz's wrong answer with the phrasing, and raise the scores."""
    wrong = AttemptAnswer.objects.filter(
        question__fact_id=fact_id,
        question__kind__in=TYPED_KINDS,
        attempt__state=AttemptState.FINISHED,
        is_correct=False,
        answered_at__isnull=False,
    ).exclude(response="")
    matching = {
        pk: attempt_id
        for pk, attempt_id, response in wrong.values_list("pk", "attempt_id", "response")
        if phrasing_key(response) == normalised
    }
    if not matching:
        return []
    # Attempts in id order, so two regrades lock them in the same order.
    locked = list(
        QuizAttempt.objects.select_for_update()
        .filter(pk__in=set(matching.values()))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    regraded = []
    for attempt_id in locked:
        answer_ids = [pk for pk, owner in matching.items() if owner == attempt_id]
        # Conditional: an answer the learner marked right meanwhile is theirs, and not counted.
        changed = list(
            AttemptAnswer.objects.filter(pk__in=answer_ids, is_correct=False).select_related(
                "attempt__user"
            )
        )
        if not changed:
            continue
        AttemptAnswer.objects.filter(pk__in=[a.pk for a in changed]).update(
            is_correct=True, marked_right_by=MarkedRightBy.EDITOR
        )
        QuizAttempt.objects.filter(pk=attempt_id).update(score=F("score") + len(changed))
        regraded.extend(changed)
    return regraded


def phrasing_reject(
    *, fact_id: int, normalised: str, editor: User, reason: str, now: datetime
) -> int:
    """Reject a phrasing of a fact, saying why; return how many pending claims it closed.
    Learners' own marks of their quiz answers stay theirs."""
    return AnswerClaim.objects.filter(
        fact_id=fact_id, normalised=normalised, status=ClaimStatus.PENDING
    ).update(
        status=ClaimStatus.REJECTED,
        reason=reason.strip()[:MAX_CLAIM_REASON_LENGTH],
        decided_by=editor,
        decided_at=now,
    )
