"""Reads of quizzes: picking a quiz's questions, an attempt with its answers, past attempts."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank, QuestionData, bank_current
from quizzes.cards.selectors import HOLD_FIELDS, holds_read
from quizzes.enums import AttemptState, ReviewOrigin
from quizzes.models import (
    AnswerClaim,
    AttemptAnswer,
    CardHold,
    CardState,
    QuizAttempt,
    ReviewLog,
    StudyProfile,
)
from quizzes.rules import scheduling, stats
from quizzes.rules.giveaways import QuizOrder
from quizzes.rules.scheduling import RECALL_FIELDS, Schedule
from quizzes.statements import (
    get_read,
    reads_run,
    row_built,
    row_get,
    rows_fetched,
    rows_values,
    select_list,
    values_read,
)
from quizzes.study.selectors import (
    CardRead,
    card_read_from_row,
    settings_and_card_joins,
    study_profile_keep,
)
from quizzes.study.siblings import answers_shown_waiting, seen_today


class _SeenCard(NamedTuple):
    """A card the learner has seen, in the order weak cards are picked: least recalled first,
    then most often forgotten."""

    recall: float
    fewer_lapses: int
    card_id: int
    question_id: int

    @property
    def is_weak(self) -> bool:
        return stats.is_weak_recall(self.recall) or self.fewer_lapses < 0


# The columns of a learner's cards a pick reads (as values, not model instances, narrowed to
# the pool in Python rather than by a list of up to the bank's size in the statement: building
# those was most of a start).
PICK_FIELDS = ("id", "question_id", "lapses", *RECALL_FIELDS)


class StartReads(NamedTuple):
    """What a quiz start reads before it picks: the questions the learner holds now, their
    study settings, and their cards (PICK_FIELDS)."""

    held: frozenset[int]
    profile: StudyProfile
    cards: list[Any]


def quiz_start_reads(*, user: User, now: datetime) -> StartReads:
    """The learner's holds, study settings (kept where study_profile keeps them) and cards, read
    together: one round trip on PostgreSQL where they were three."""
    holds, profile, cards = reads_run(
        values_read(CardHold, HOLD_FIELDS, user_id=user.pk),
        get_read(StudyProfile, user_id=user.pk),
        values_read(CardState, PICK_FIELDS, user_id=user.pk),
    )
    # Held questions are never drawn for a quiz.
    return StartReads(
        held=frozenset(holds_read(holds, now)),
        profile=study_profile_keep(user=user, found=profile),
        cards=cards,
    )


# How many more orders a quiz start tries when a draw comes out shorter than asked.
PICK_TRIES = 50


def quiz_questions_pick(
    *,
    user: User,
    pool: tuple[QuestionData, ...],
    length: int,
    now: datetime,
    schedule: Schedule,
    rng: random.Random,
    cards: list[Any] | None = None,
    order: QuizOrder | None = None,
) -> list[QuestionData]:
    """Pick up to `length` different questions, in the order the quiz asks them: up to half
    from the learner's weak cards (forgotten before, or likely to be forgotten now by their
    schedule), then unseen ones, then the rest of what they know; never two of one fact, and
    each before every question that shows its answer. `cards`: the learner's cards
    (PICK_FIELDS) if read already; `order`: the bank's quiz_order (the current bank's if not
    given)."""
    by_id = {q.id: q for q in pool}
    rows = rows_values(CardState, PICK_FIELDS, user_id=user.pk) if cards is None else cards
    recall = scheduling.recall_at(now=now, schedule=schedule)
    ranked = sorted(
        _SeenCard(
            recall=recall(row),
            fewer_lapses=-row.lapses,
            card_id=row.id,
            question_id=row.question_id,
        )
        for row in rows
        if row.question_id in by_id
    )
    weak = [by_id[card.question_id] for card in ranked if card.is_weak]
    known = [by_id[card.question_id] for card in ranked if not card.is_weak]
    seen = {card.question_id for card in ranked}
    unseen = [q for q in pool if q.id not in seen]
    rng.shuffle(unseen)
    half = (length + 1) // 2
    # A quiz never holds two questions of one fact: the first would give the other away. (The
    # facts taken also keep a question from being taken twice.) Nor does it ask a question after
    # one that showed its answer, so two that show each other's never share a quiz: it may hold
    # fewer than `length`.
    order = bank_current().quiz_order if order is None else order

    def drawn(unseen: list[QuestionData], known: list[QuestionData]) -> list[QuestionData]:
        facts: set[int] = set()
        ids: set[int] = set()
        chosen: list[QuestionData] = []

        def take(candidates: list[QuestionData], up_to: int) -> None:
            for question in candidates:
                if len(chosen) >= up_to:
                    return
                if question.fact_id not in facts and order.fits(ids, question.id):
                    facts.add(question.fact_id)
                    ids.add(question.id)
                    chosen.append(question)

        take(weak, half)
        take(unseen, length)
        take(weak, length)
        take(known, length)
        return chosen

    # One draw takes questions in turn, and an early one can bar several later ones: a short
    # draw is drawn again in other orders of the unseen and known cards (the weak keep theirs;
    # every other try takes the two mixed, since unseen cards taken first can bar all but a few
    # known ones, as on a retake the same day), and the longest kept: a quiz is short only when
    # none of the orders tried found more.
    chosen = drawn(unseen, known)
    rest = unseen + known
    for tried in range(PICK_TRIES):
        if len(chosen) >= length:
            break
        if tried % 2:
            rng.shuffle(rest)
            again = drawn(rest, [])
        else:
            rng.shuffle(unseen)
            rng.shuffle(known)
            again = drawn(unseen, known)
        if len(again) > len(chosen):
            chosen = again
    return [by_id[q] for q in order.ordered([q.id for q in chosen], rng)]


def sibling_waiting_ids(
    *,
    user: User,
    pool: tuple[QuestionData, ...],
    day_start: datetime,
    bank: Bank,
    cards: list[Any],
) -> frozenset[int]:
    """The questions of `pool` that wait for the learner's next day: those whose fact the
    learner has seen today through another question (siblings.SEEN_TODAY_IDS_SQL: a review, a
    hold from a card's back, a quiz of today's) and that they have not seen today themselves,
    and those never studied whose answer a card first seen today showed
    (siblings.answers_shown_waiting). `cards`: the learner's cards (PICK_FIELDS). (The study
    queue holds back the same: siblings.siblings_waiting.) The facts are the bank's."""
    # A quiz's results show every question's answer, answered or not: its questions count.
    today = seen_today(user=user, day_start=day_start)
    seen = set(today.seen)
    seen_facts = {bank.questions[q].fact_id for q in seen if q in bank.questions}
    carded = {c.question_id for c in cards}
    shown = answers_shown_waiting(today.studied, carded, bank, seen=seen)
    return frozenset(
        q.id for q in pool if (q.fact_id in seen_facts and q.id not in seen) or q.id in shown
    )


@dataclass(frozen=True)
class AttemptView:
    """An attempt with its answers in order, as the results page needs them; or, for the quiz
    page and an answer posted, only the answers they touch (attempt_view_shown), with the
    answers given among the others counted."""

    attempt: QuizAttempt
    answers: list[AttemptAnswer]
    # Answers given that are not in `answers` (0 when `answers` holds them all).
    answered_elsewhere: int = 0
    # For an answer posted (attempt_view_shown's `answering`): the learner's card for that
    # question, read with the answers (their study settings with it), as (question, card).
    answering_card: tuple[int, CardRead] | None = None

    @property
    def current(self) -> AttemptAnswer | None:
        return next((a for a in self.answers if a.answered_at is None), None)

    @property
    def answered_count(self) -> int:
        return self.answered_elsewhere + sum(1 for a in self.answers if a.answered_at is not None)

    @property
    def total(self) -> int:
        # An attempt holds `length` answers, one a question, made when it starts.
        return self.attempt.length


def attempt_view(*, attempt: QuizAttempt, with_claims: bool = False) -> AttemptView:
    """The attempt's answers in order; `with_claims` joins each answer's phrasing sent to the
    editors (read with answer_claim), in the same query."""
    answers = attempt.answers.order_by("position")
    if with_claims:
        answers = answers.select_related("claim")
    return AttemptView(attempt=attempt, answers=list(answers))


def attempt_view_owned(*, user: User, attempt_id: int) -> AttemptView | None:
    """The learner's attempt with its answers in order, in one query (the attempt joined to each
    answer); None if the learner has no such attempt. The attempt's user is `user` itself, with
    what was loaded with it (their study settings)."""
    answers = list(
        AttemptAnswer.objects.filter(attempt_id=attempt_id, attempt__user=user)
        .select_related("attempt")
        .order_by("position")
    )
    if not answers:
        attempt = QuizAttempt.objects.filter(pk=attempt_id, user=user).first()
        if attempt is None:
            return None
    else:
        attempt = answers[0].attempt
    attempt.user = user
    for answer in answers:
        answer.attempt = attempt
    return AttemptView(attempt=attempt, answers=answers)


def attempt_view_shown(
    *, user: User, attempt_id: int, answering: int | None = None
) -> AttemptView | None:
    """The learner's attempt as its page shows it, in one query: the question to answer now
    (the first unanswered one) joined to the attempt, with the answers given counted beside it,
    not every answer built (that was a quarter of the quiz page's time). `answering`, a question
    an answer is posted for: that question's answer and the first unanswered one after it (the
    page shown next). When there is no question left to answer, or the one answered is not the
    one to answer now (answered out of order, already answered, not the attempt's), the whole
    attempt is read, as attempt_view_owned. None if the learner has no such attempt."""
    params = [attempt_id, user.pk]
    if answering is not None:
        # The card's join comes first in the statement, the question answered last.
        params = [answering, *params, answering]
    rows = rows_fetched(_shown_sql(answering is not None, connection.vendor), params)
    if not rows or (answering is not None and rows[0]["a__question_id"] != answering):
        return attempt_view_owned(user=user, attempt_id=attempt_id)
    # Every unanswered answer is among the rows asked for, so none comes before the first, nor
    # between the two: the second is the page after the answer posted.
    attempt = row_built(QuizAttempt, rows[0], "t")
    attempt.user = user
    answers = [row_built(AttemptAnswer, row, "a") for row in rows]
    for answer in answers:
        answer.attempt = attempt
    answered: int = rows[0]["answered"]
    given_here = sum(1 for a in answers if a.answered_at is not None)
    card = None
    if answering is not None:
        card = (answering, card_read_from_row(user=user, row=rows[0]))
    return AttemptView(attempt, answers, answered - given_here, card)


@cache
def _shown_sql(answering: bool, vendor: str) -> str:
    """attempt_view_shown's statement, written once (quizzes.statements): the ORM compiled its
    join, condition and count on every page and answer, slower than reading the rows. Its
    parameters: the attempt, the learner, and (`answering`) the question answered."""
    answers = connection.ops.quote_name(AttemptAnswer._meta.db_table)
    attempts = connection.ops.quote_name(QuizAttempt._meta.db_table)
    shown = "a.answered_at IS NULL" + (" OR a.question_id = %s" if answering else "")
    # An answer posted needs the learner's card for its question and their settings: read
    # here, a statement (on PostgreSQL a round trip) fewer than reading them after.
    card_columns, card_joins = settings_and_card_joins("t.user_id") if answering else ("", "")
    return f"""
        SELECT {select_list(AttemptAnswer, "a")}, {select_list(QuizAttempt, "t")},
            {card_columns + "," if card_columns else ""}
            (SELECT COUNT(*) FROM {answers} given
             WHERE given.attempt_id = a.attempt_id AND given.answered_at IS NOT NULL) AS answered
        FROM {answers} a JOIN {attempts} t ON t.id = a.attempt_id {card_joins}
        WHERE a.attempt_id = %s AND t.user_id = %s AND ({shown})
        ORDER BY a.position
        LIMIT {2 if answering else 1}"""


def answer_claim(answer: AttemptAnswer) -> AnswerClaim | None:
    """The phrasing of an answer read by attempt_view(with_claims=True), if one was sent."""
    try:
        return answer.claim
    except AnswerClaim.DoesNotExist:
        return None


def attempts_recent(*, user: User, limit: int = 50) -> list[QuizAttempt]:
    """The learner's latest quizzes, newest first, the running one (if any) among them."""
    return list(
        QuizAttempt.objects.filter(user=user)
        .select_related("category")
        .order_by("-started_at")[:limit]
    )


def attempt_running(*, user: User, bank: Bank) -> QuizAttempt | None:
    """The learner's running quiz (a learner has one at most), read without the ORM's compiling
    (every quiz start and showing of the quizzes page reads it). Its category is the bank's, as
    the start form's are: a category renamed shows there once the bank is next rebuilt."""
    running = row_get(QuizAttempt, user_id=user.pk, state=AttemptState.RUNNING)
    if running is None:
        return None
    running.user = user
    category = next((c for c in bank.categories if c.pk == running.category_id), None)
    if category is not None:
        running.category = category
    return running


def answers_cutoff(now: datetime) -> datetime:
    """The deadline of a quiz that still takes answers at `now` is at or after this: `now` less
    the grace (QUIZ_GRACE_SECONDS). A running quiz whose deadline is earlier is overdue."""
    return now - timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


def _taking_answers(now: datetime) -> Q:
    return Q(state=AttemptState.RUNNING, deadline__gte=answers_cutoff(now))


def attempt_and_running(
    *, user: User, attempt_id: int, now: datetime
) -> tuple[QuizAttempt | None, int | None]:
    """The learner's attempt `attempt_id` (None if it is not theirs) and the id of another quiz
    of theirs still taking answers (quiz_taking_answers'), in one read."""
    found = list(QuizAttempt.objects.filter(Q(pk=attempt_id) | _taking_answers(now), user=user))
    attempt = next((a for a in found if a.pk == attempt_id), None)
    # Any other row matched only as a quiz still taking answers.
    other = next((a.pk for a in found if a.pk != attempt_id), None)
    return attempt, other


def quiz_taking_answers(*, user: User, now: datetime) -> int | None:
    """The id of the learner's quiz still taking answers, or None: while there is one, the pages
    that show answers (a card's page, the back of a study card, the downloads, earlier quizzes'
    results) wait for it (quizzes/quiz/waiting.py).

    Any card's, not only the quiz's: a fact's cards share its answer, the text of one card often
    holds another's answer, and withholding only the quiz's cards told the learner which cards
    those were (an outside audit's reading of the first version, which went by fact)."""
    found: int | None = (
        QuizAttempt.objects.filter(_taking_answers(now), user=user)
        .values_list("pk", flat=True)
        .first()
    )
    return found


def attempt_new_leeches(*, attempt: QuizAttempt) -> list[int]:
    """The questions whose cards became leeches through this quiz's answers (a wrong answer is a
    lapse, and the learner's leech rule may then suspend the card): the results say so, since the
    quiz itself does not interrupt the learner with it."""
    became = ReviewLog.objects.filter(
        user=attempt.user,
        origin=ReviewOrigin.QUIZ,
        question_id__in=attempt.answers.values("question_id"),
        reviewed_at__gte=attempt.started_at,
        previous_card__leech=False,
    ).filter(
        Exists(
            CardState.objects.filter(
                user=attempt.user, question_id=OuterRef("question_id"), is_leech=True
            )
        )
    )
    return sorted(set(became.values_list("question_id", flat=True)))
