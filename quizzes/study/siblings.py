"""Anki's "bury siblings" as the study queue and a quiz's start read it: the questions a learner
has seen today, as SQL both share, and the queue's rule over them. (The order in which new
questions of one fact come is the bank's: Bank.new_card_order.)"""

from collections.abc import Iterable, Mapping, Set
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank
from quizzes.enums import HoldOrigin
from quizzes.limits import QUIZ_LENGTHS, SECONDS_PER_QUESTION_MAX
from quizzes.models import AttemptAnswer, CardHold, QuizAttempt, ReviewLog
from quizzes.statements import execute_planned_once, table_names


def sibling_tables() -> dict[str, str]:
    """The tables the siblings rule reads, by role (as the queue names them)."""
    return table_names(
        reviews=ReviewLog, attempts=QuizAttempt, answers=AttemptAnswer, holds=CardHold
    )


# A question waits for the learner's next day while another question of its fact was reviewed
# today, in study or in a quiz (each quiz answer is logged as a review), is in a quiz started
# today or whose deadline or finish falls today (one taking answers will show it, even if it
# began before the day did; a results page shows even unanswered questions' answers; a quiz left
# past its deadline counts by its deadline, as its finish will say), or was buried or suspended
# today from the back of its card, where its answer was shown (an outside audit found each of
# the last two letting a sibling through): Anki's "bury siblings", read from the log rather than
# written as holds, so that Undo of the review or the hold, or a rollover, frees the siblings with
# nothing to clean up. Today's reviews come from the (user, reviewed_at) index, the quizzes from
# the (user, started_at) one (from `quiz_from`, the longest a quiz runs before the day began),
# the holds from the (user, question) one.
_SEEN_IDS = (
    """
  SELECT sr.question_id AS question_id FROM {reviews} sr
     WHERE sr.user_id = %(user)s AND sr.reviewed_at >= %(start)s
  UNION
  SELECT sa.question_id FROM {attempts} st JOIN {answers} sa ON sa.attempt_id = st.id
     WHERE st.user_id = %(user)s AND st.started_at >= %(quiz_from)s
       AND (st.started_at >= %(start)s OR COALESCE(st.finished_at, st.deadline) >= %(start)s)
  UNION
  SELECT sh.question_id FROM {holds} sh
     WHERE sh.user_id = %(user)s AND sh.placed_at >= %(start)s AND sh.origin = '"""
    + HoldOrigin.STUDY.value
    + """'
"""
)


def seen_bounds(day_start: datetime) -> dict[str, Any]:
    """The parameters of SEEN_TODAY_IDS_SQL for the day that began at `day_start`: the day's
    start, and the earliest start of a quiz that may still take answers."""
    longest = max(QUIZ_LENGTHS) * SECONDS_PER_QUESTION_MAX + settings.QUIZ_GRACE_SECONDS
    adapt = connection.ops.adapt_datetimefield_value
    # In UTC: Python subtracts from a time in the learner's zone on its clock, which on the day
    # the clocks skip an hour lands an hour off.
    start = day_start.astimezone(UTC)
    return {"start": adapt(start), "quiz_from": adapt(start - timedelta(seconds=longest))}


# The questions seen today, as the study queue's statement and a quiz's start read them; their
# facts are the bank's (siblings_waiting; quiz.selectors.sibling_waiting_ids).
SEEN_TODAY_IDS_SQL = "seen AS (" + _SEEN_IDS + ")\n"


def siblings_waiting(seen: Iterable[int], bank: Bank) -> set[int]:
    """The study queue's siblings rule: the questions that wait for the learner's next day
    because another question of their fact is among those `seen` today (SEEN_TODAY_IDS_SQL).
    Their facts are the bank's; a question the bank lacks has no siblings to hold back."""
    waiting: set[int] = set()
    for seen_id in seen:
        question = bank.questions.get(seen_id)
        if question is not None:
            waiting.update(q for q in bank.fact_questions[question.fact_id] if q != seen_id)
    return waiting


def answers_shown_waiting(
    studied_today: Iterable[int], carded: Set[int], bank: Bank, *, seen: Iterable[int]
) -> set[int]:
    """The questions never studied (none of `carded`, the learner's cards) that wait for the
    learner's next day because a card first seen today showed their answer: their first rating
    would be read off that card (Bank.shown_once_answered: its front, and its back, whose
    passage may hold other facts' answers). First seen today: first studied today
    (`studied_today`), or `seen` today (SEEN_TODAY_IDS_SQL: held from its back, in a quiz, whose
    results show every back) and still without a card (never studied, or forgotten). Only a
    card new today counts: a card reviewed today was studied before, and holding back every
    question its front names kept new cards back for days (bench.new_cards, README)."""
    first_seen = set(studied_today).union(q for q in seen if q not in carded)
    if not first_seen:
        return set()
    # Worked out once a bank, for the first learner who needs it.
    shows = bank.shown_once_answered
    waiting: set[int] = set()
    for question_id in first_seen:
        waiting.update(shows.get(question_id, ()))
    return waiting - carded


def answer_shown_first(
    due: int, offered: Mapping[int, tuple[str, int]], seen: Iterable[int], bank: Bank
) -> int:
    """The card to offer in the place of `due`, the first card due now: one due now too (of
    `offered`, by due order) whose answer it shows (Bank.shown_once_answered: its front, or its
    back once answered), so that that card's rating is not read off it; and so on from that card
    while one is found, until a ring closes. `due` itself where it shows none, or was seen today
    (it showed that answer already). A card seen today is passed over (its answer was shown
    today), and so is one with a sibling due before it (seen first, it would hold that card back
    a day; a sibling due after it waits either way)."""
    seen = set(seen)
    if due in seen:
        return due
    shows = bank.shown_once_answered
    current, passed = due, seen | {due}
    while told := [
        q
        for q in shows.get(current, ())
        if q in offered
        and q not in passed
        and not any(s in offered and offered[s] < offered[q] for s in _siblings(q, bank))
    ]:
        current = min(told, key=offered.__getitem__)
        passed.add(current)
    return current


def _siblings(question: int, bank: Bank) -> set[int]:
    """The other questions of `question`'s fact: seen now, it holds those back for a day."""
    return set(bank.fact_questions[bank.questions[question].fact_id]) - {question}


def new_card_first(
    review: int,
    fresh: Set[int],
    new_left: int | None,
    seen: Iterable[int],
    bank: Bank,
    *,
    offered: Set[int],
) -> int | None:
    """The new card to offer before the review `review`, due now: the first, in the bank's
    order, of the new cards still to come today (the first `new_left` of `fresh`; all of them
    when no limit applies) whose answer it shows (its front, or its back once answered), so that
    their first rating is not read off it. None, and the review comes first, for a card seen
    today (its front was read already), or where one of those new cards shows the answer of the
    review or of another card due now (`offered`), or has a sibling due now (seen first, it
    would hold that review back for a day): either order would cost one."""
    if (new_left is not None and new_left <= 0) or review in seen:
        return None
    shown_once = bank.shown_once_answered
    shows = shown_once.get(review, frozenset())
    if shows.isdisjoint(fresh):
        return None
    ordered = (q for q in bank.new_cards_in_order if q in fresh)
    told = [q for q in (ordered if new_left is None else islice(ordered, new_left)) if q in shows]
    for question in told:
        shown_due = shown_once.get(question, frozenset()) | _siblings(question, bank)
        if not shown_due.isdisjoint(offered):
            return None
    return told[0] if told else None


class SeenToday(NamedTuple):
    """What a quiz start reads of the learner's day: the questions seen, and those first studied
    (the review that made their card) since the day began."""

    seen: list[int]
    studied: list[int]


def seen_today(*, user: User, day_start: datetime) -> SeenToday:
    """The questions the learner has seen since `day_start`, as the queue reads them (the same
    SQL, so that a quiz and the study queue hold back the same siblings), and those first studied
    since then: reviewed with no card before (the queue's statement marks the cards made since
    then, the same ones). Those come from today's log, read through its (user, reviewed_at)
    index: a quiz start converts no card's creation time."""
    tables = sibling_tables()
    seen = SEEN_TODAY_IDS_SQL.format(**tables)
    sql = (
        f"WITH {seen}SELECT s.question_id AS question_id, 0 AS studied FROM seen s UNION ALL "
        f"SELECT r.question_id, 1 FROM {tables['reviews']} r WHERE r.user_id = %(user)s "
        "AND r.reviewed_at >= %(start)s AND r.state_before IS NULL"
    )
    params = {"user": user.pk, **seen_bounds(day_start)}
    with connection.cursor() as cursor:
        # PostgreSQL planned it anew on every start (0.2 ms, three times its run): the quiz start
        # runs it with its generic plan, as the queue runs the statement it is part of.
        execute_planned_once(cursor, sql, params)
        rows = cursor.fetchall()
    return SeenToday(
        seen=[question for question, studied in rows if not studied],
        studied=[question for question, studied in rows if studied],
    )
