"""The editors' decisions on learners' phrasings: accepting one (the form added to its fact, then
every stored quiz answer with it regraded, for every learner) or rejecting one with a reason."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import F, QuerySet

from learnfrl.accounts.users import User
from quizzes.bank.selectors import fact_wrong_choices
from quizzes.claims.selectors import FactShown, facts_shown, pending_of_selected
from quizzes.claims.services import TYPED_KINDS, NotFound, card_regrade, phrasing_key
from quizzes.enums import AttemptState, ClaimStatus, MarkedRightBy
from quizzes.limits import MAX_ACCEPTED_ANSWERS, MAX_CLAIM_REASON_LENGTH
from quizzes.models import AnswerClaim, AttemptAnswer, Fact, QuizAttempt
from quizzes.rules.bankfile import accepted_problems, as_sentence, wrong_choice_right
from quizzes.rules.choices import wrong_choices_right
from quizzes.rules.visible import controls_spaced


class FormRefused(Exception):
    """The phrasing cannot become one of its fact's accepted forms (the loader's rules): nothing
    was changed. The message says why."""


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


def _form_new(
    *, fact_id: int, answer: str, accepted: list[str], claims: list[AnswerClaim], normalised: str
) -> str:
    """The form accepting the phrasing adds to a fact of that answer and accepted forms, empty if
    the fact grades it right already. Raises FormRefused when the admin and the loader would
    refuse the form."""
    if any(phrasing_key(f) == normalised for f in (answer, *accepted)):
        return ""
    form = _most_given(claims)
    # A form the admin and the loader would take (a 315-character one made the fact's page
    # unsavable): the new form and the count only, the fact's own are the admin's.
    problems = accepted_problems([form])
    if len(accepted) + 1 > MAX_ACCEPTED_ANSWERS:
        problems.append(f"the fact has {MAX_ACCEPTED_ANSWERS} accepted answers already")
    # Nor a wrong choice of the fact's multiple-choice cards written another way: typed, it
    # would be right where the card's list says it is wrong (the fact's page refuses it too).
    problems += [
        wrong_choice_right(choice, right)
        for choice, right in wrong_choices_right(fact_wrong_choices(fact_id), [form])
    ]
    if problems:
        raise FormRefused(as_sentence(problems[0]))
    return form


@dataclass(frozen=True)
class AcceptPreview:
    """What accepting a phrasing would do, read before the editor confirms: the form it would add
    (empty if the fact has it) or why it cannot (`refused`), the quiz answers it would regrade and
    their learners, and the claims it would close (waiting, or rejected before) and their
    learners."""

    fact: FactShown
    normalised: str
    response: str
    form: str
    refused: str
    answers: int
    learners: int
    claims: int
    claim_learners: int
    rejected: int = 0

    @property
    def decided(self) -> bool:
        """Nothing of it waits: decided since the queue was read (accept_view, phrasing_accept)."""
        return self.claims == self.rejected


def phrasing_accept_preview(*, fact_id: int, normalised: str) -> AcceptPreview:
    """What phrasing_accept would do now, changing nothing (next to it, so the two stay alike).

    Raises NotFound when no learner gave that phrasing for that fact."""
    claims = list(
        AnswerClaim.objects.filter(fact_id=fact_id, normalised=normalised).only(
            "response", "status", "user_id"
        )
    )
    fact = facts_shown([fact_id]).get(fact_id) if claims else None
    if fact is None:
        raise NotFound
    form, refused = "", ""
    try:
        form = _form_new(
            fact_id=fact_id,
            answer=fact.answer,
            accepted=fact.accepted,
            claims=claims,
            normalised=normalised,
        )
    except FormRefused as problem:
        refused = str(problem)
    wrong = _answers_wrong(fact_id=fact_id, normalised=normalised)
    # Accepting closes every claim not accepted yet: a rejection of before is overturned too.
    pending = [claim for claim in claims if claim.status != ClaimStatus.ACCEPTED]
    return AcceptPreview(
        fact=fact,
        normalised=normalised,
        response=_most_given(claims),
        form=form,
        refused=refused,
        answers=len(wrong),
        learners=len({answer.user_id for answer in wrong}),
        claims=len(pending),
        claim_learners=len({claim.user_id for claim in pending}),
        rejected=sum(claim.status == ClaimStatus.REJECTED for claim in pending),
    )


def phrasing_accept(*, fact_id: int, normalised: str, editor: User, now: datetime) -> Accepted:
    """Accept a phrasing of a fact: add it to the fact's forms, then regrade every stored quiz
    answer to the fact's typed and cloze questions with that phrasing, for every learner (the
    answer right, the score up, the card rescheduled), and close its claims as accepted.

    Raises NotFound when no learner gave that phrasing for that fact. With no claim of it
    waiting (decided since the editor's page was read: accepted, or rejected by another editor)
    it changes nothing, as the accept page refuses it. A rejected claim is accepted with the rest
    where one waits: the phrasing is right from then on, whatever was decided before.

    Locks in the order fact, attempts, claims, cards, as "I was right" locks
    attempt, claim, card, so the two never wait on each other in a circle.
    """
    with transaction.atomic():
        fact = Fact.objects.select_for_update().filter(pk=fact_id).first()
        claims = list(AnswerClaim.objects.filter(fact_id=fact_id, normalised=normalised))
        if fact is None or not claims:
            raise NotFound
        if all(claim.status != ClaimStatus.PENDING for claim in claims):
            return Accepted(form="", answers=0, learners=0)
        form = _form_new(
            fact_id=fact_id,
            answer=fact.answer,
            accepted=fact.accepted_answers,
            claims=claims,
            normalised=normalised,
        )
        if form:
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


class _Wrong(NamedTuple):
    pk: int
    attempt_id: int
    user_id: int


def _answers_wrong(*, fact_id: int, normalised: str) -> list[_Wrong]:
    """Every finished quiz's answer with the phrasing to a typed or cloze question of the fact
    that is counted wrong: those an accept regrades."""
    wrong = AttemptAnswer.objects.filter(
        question__fact_id=fact_id,
        question__kind__in=TYPED_KINDS,
        attempt__state=AttemptState.FINISHED,
        is_correct=False,
        answered_at__isnull=False,
    ).exclude(response="")
    return [
        _Wrong(pk, attempt_id, user_id)
        for pk, attempt_id, user_id, response in wrong.values_list(
            "pk", "attempt_id", "attempt__user_id", "response"
        )
        if phrasing_key(response) == normalised
    ]


def _answers_regrade(*, fact_id: int, normalised: str) -> list[AttemptAnswer]:
    """Mark right every finished quiz's wrong answer with the phrasing, and raise the scores."""
    matching = {
        answer.pk: answer.attempt_id
        for answer in _answers_wrong(fact_id=fact_id, normalised=normalised)
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
    pending = AnswerClaim.objects.filter(
        fact_id=fact_id, normalised=normalised, status=ClaimStatus.PENDING
    )
    return _rejected(pending, editor=editor, reason=reason, now=now)


def phrasings_reject_selected(
    *, selected: QuerySet[AnswerClaim], editor: User, reason: str, now: datetime
) -> int:
    """Reject at once, for one reason, every waiting phrasing of the claims selected (all its
    waiting claims, as phrasing_reject does for one); return how many claims it closed."""
    return _rejected(pending_of_selected(selected), editor=editor, reason=reason, now=now)


def _rejected(claims: QuerySet[AnswerClaim], *, editor: User, reason: str, now: datetime) -> int:
    return claims.update(
        status=ClaimStatus.REJECTED,
        reason=reason.strip()[:MAX_CLAIM_REASON_LENGTH],
        decided_by=editor,
        decided_at=now,
    )
