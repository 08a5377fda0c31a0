"""The study queue: the learner's day and their next card, read in one statement."""

import json
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.db import connection

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank, QuestionData, bank_current
from quizzes.enums import UNDOABLE_ORIGINS, AttemptState, HoldOrigin, MemoryState
from quizzes.models import CardEdit, CardHold, CardState, NewCardsExtra, QuizAttempt
from quizzes.quiz.selectors import answers_cutoff
from quizzes.rules.days import day_of
from quizzes.statements import datetime_read, execute_planned_once, ids_read, table_names
from quizzes.study.queued import LearnerDay, StudyQueue
from quizzes.study.selectors import learner_day, study_profile
from quizzes.study.siblings import (
    SEEN_TODAY_IDS_SQL,
    answer_shown_first,
    answers_shown_waiting,
    new_card_first,
    seen_bounds,
    sibling_tables,
    siblings_waiting,
)

# The study queue in one statement of indexed reads. Written as SQL because it is the hottest read
# of the app: the ORM took about 3 ms to compile the same subqueries, thirty times what the
# database takes to run them (bench/, docs/benchmarks.md).
# The statement reads only the learner's own rows: their cards (every one, at most the bank's
# size, in one JSON value, each with whether it is offered now, its due time and its id), the
# questions they hold and those they have seen today, today's counts and a quiz taking answers.
# Which of them the scope, the holds and the siblings rule let through, and which questions they
# have no card for, is worked out here with the bank (the questions' scope, activity and facts),
# which every process keeps in memory: done in SQL, joining the bank's table for every card and
# every question cost PostgreSQL twice the whole statement's server time now (benchmarks, pass 9).
_QUEUE_SQL = """
{seen}SELECT
  (SELECT COUNT(*) FROM {reviews} r WHERE r.user_id = u.id AND r.reviewed_at >= %(start)s)
    AS reviewed_today,
  (SELECT {cards_json} FROM {cards} c WHERE c.user_id = %(user)s) AS cards,
  -- A suspended question's id negated: it does not come back at the next day's start.
  (SELECT {aggregate} FROM (SELECT CASE WHEN h.until IS NULL THEN -h.question_id
     ELSE h.question_id END AS id FROM {holds} h
     WHERE h.user_id = u.id AND (h.until IS NULL OR h.until > %(now)s)) q)
    AS held_ids,
  {seen_ids} AS seen_ids,
  -- Whether Undo (services.study_undo) has something of today's: a hold from a card's back in
  -- effect with no review after it, else the latest review if it was a study one, not a quiz's;
  -- either with no edit on a card's page (Forget, Set due date) after it.
  CASE WHEN EXISTS (SELECT 1 FROM {holds} h
     WHERE h.user_id = u.id AND h.origin = %(undoable)s AND h.placed_at >= %(start)s
       AND (h.until IS NULL OR h.until > %(now)s)
       AND NOT EXISTS (SELECT 1 FROM {reviews} r
         WHERE r.user_id = u.id AND r.reviewed_at > h.placed_at)
       AND NOT EXISTS (SELECT 1 FROM {edits} e WHERE e.user_id = u.id AND e.made_at > h.placed_at))
    THEN 1
    ELSE COALESCE((SELECT CASE WHEN r.origin IN ({study_origins}) AND NOT EXISTS (SELECT 1
        FROM {edits} e WHERE e.user_id = u.id AND e.made_at > r.reviewed_at) THEN 1 ELSE 0 END
      FROM {reviews} r WHERE r.user_id = u.id AND r.reviewed_at >= %(start)s
      ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1), 0)
  END AS undoable,
  (SELECT COALESCE(SUM(e.count), 0) FROM {extras} e
     WHERE e.user_id = u.id AND e.day = %(today)s AND e.scope IN ('', %(extra_scope)s))
    AS extra_new,
  -- quiz.selectors._taking_answers, in SQL: running, its deadline at or after the cutoff.
  (SELECT MIN(a.id) FROM {attempts} a
     WHERE a.user_id = u.id AND a.state = '{running}' AND a.deadline >= %(cutoff)s)
    AS quiz_running
FROM {users} u
WHERE u.id = %(user)s
"""

# Each card as a JSON array: [question, state, reps, offered, soon, due, id, new today (first
# studied since the day began)], ordered here by (due, id): due times are written as UTC text,
# which sorts as they do (SQLite's stored text; PostgreSQL's ISO form, "…:00" < "…:00.12" <
# "…:00.5", taken to UTC: at a zone with daylight saving, which USE_TZ=False gives the
# connection, an hour's text repeats). ROW_NUMBER in the statement was most of its time on SQLite
# (docs/benchmarks.md, tenth pass). Today's new cards are counted here, not by a statement of
# their own.
_CARD_JSON = (
    "c.question_id, c.state, c.reps, ({offered}), c.due <= %(ahead)s, {due}, c.id,"
    " c.created_at >= %(start)s"
)
_CARDS_JSON = {
    "postgresql": "json_agg(json_build_array("
    + _CARD_JSON.replace("{due}", "c.due AT TIME ZONE 'UTC'")
    + "))",
    "sqlite": f"json_group_array(json_array({_CARD_JSON.replace('{due}', 'c.due')}))",
}


def _tables() -> dict[str, str]:
    """The queue's tables by role, named as the models name them."""
    models = {"users": User, "cards": CardState, "holds": CardHold, "extras": NewCardsExtra}
    return {**sibling_tables(), **table_names(**models, attempts=QuizAttempt, edits=CardEdit)}


class _QueueRow(NamedTuple):
    """What the queue statement's row says, once the bank has sorted the learner's cards."""

    reviewed_today: int
    new_today: int
    learning_count: int
    review_count: int
    due_question: int | None
    due_reps: int | None
    new_question: int | None
    unseen: int
    ahead_question: int | None
    ahead_reps: int | None
    next_due_at: str | None
    waiting_due_at: str | None
    waiting_new: int
    waiting_offered: int
    waiting_siblings: int
    waiting_siblings_offered: int
    waiting_shown: int
    buried: int
    undoable: int
    extra_new: int
    quiz_running: int | None


class _Scope(NamedTuple):
    """Which questions the queue draws from: the active ones, of a category or chosen ones."""

    category_slug: str | None
    question_ids: frozenset[int] | None

    def ids(self, bank: Bank) -> frozenset[int]:
        active = bank.active_ids_in(self.category_slug)
        return active if self.question_ids is None else active & self.question_ids


def _queue_statement(
    *,
    user: User,
    now: datetime,
    category_slug: str | None,
    offer_reviewed_before: datetime | None,
    day: LearnerDay,
) -> tuple[str, dict[str, Any]]:
    """Write the queue statement, with its parameters."""
    adapt = connection.ops.adapt_datetimefield_value
    params: dict[str, Any] = {
        "user": user.pk,
        **seen_bounds(day.day_start),
        "now": adapt(now),
        "ahead": adapt(now + day.learn_ahead),
        "undoable": HoldOrigin.STUDY.value,
        "today": connection.ops.adapt_datefield_value(day_of(now, day.schedule.day)),
        "extra_scope": category_slug or "",
        "cutoff": adapt(answers_cutoff(now)),
    }
    offered = "c.due <= %(now)s"
    if offer_reviewed_before is not None:
        # Sessions on chosen cards (a quiz's misses, a passage) offer each once before it is due.
        offered = "c.due <= %(now)s OR c.last_review <= %(before)s"
        params["before"] = adapt(offer_reviewed_before)
    return _queue_sql(connection.vendor, offered, day.bury_siblings), params


# The questions seen today, read only for a learner whose siblings wait ("bury siblings").
_SEEN_IDS = "(SELECT {aggregate} FROM (SELECT s.question_id AS id FROM seen s) q)"


@cache
def _queue_sql(vendor: str, offered: str, siblings: bool) -> str:
    tables = _tables()
    aggregate = _IDS[vendor]
    return _QUEUE_SQL.format(
        seen="WITH " + SEEN_TODAY_IDS_SQL.format(**tables) if siblings else "",
        seen_ids=_SEEN_IDS.format(aggregate=aggregate) if siblings else "NULL",
        cards_json=_CARDS_JSON[vendor].format(offered=offered),
        aggregate=aggregate,
        # A literal, so that both databases read it from the one-running-quiz partial index.
        running=AttemptState.RUNNING.value,
        study_origins=", ".join(f"'{origin.value}'" for origin in UNDOABLE_ORIGINS),
        **tables,
    )


# Ids, all of them, in one value.
_IDS = {"postgresql": "array_agg(q.id)", "sqlite": "group_concat(q.id)"}
_REVIEW = MemoryState.REVIEW.value


class _Chosen(NamedTuple):
    """A card chosen among the learner's: its place in due order (due time, id), its question,
    and its reps (or, for the next one due, its due time)."""

    place: tuple[str, int]
    question_id: int
    value: Any
    # Whether it is a review card (not learning or relearning).
    review: bool = False


class _Cards(NamedTuple):
    """The learner's cards the scope lets through, as the queue counts and chooses them."""

    learning: int
    review: int
    due: _Chosen | None
    ahead: _Chosen | None
    later: _Chosen | None
    # Every card of the learner's, let through or not: the questions they have studied.
    carded: frozenset[int]
    # The earliest due time of the scope's cards that wait for the next day (buried, siblings).
    waiting_due: str | None
    # Those of them that would be offered now, or as learning cards within the learn-ahead
    # limit, were they not held: they come when the day turns, whatever their due.
    waiting_offered: frozenset[int]
    # The learner's cards first studied today, of any scope.
    studied_today: frozenset[int]
    # The questions of the cards offered now (due), each with its place in due order.
    offered: dict[int, tuple[str, int]]


def _cards_sorted(
    cards: list[list[Any]], shown: frozenset[int], blocked: set[int], waiting: set[int]
) -> _Cards:
    """Count and choose among the cards of the questions `shown` and not `blocked`, as the
    statement's SQL did: `offered` is None (SQL's NULL) for a chosen card never reviewed and
    not yet due, which is neither offered nor waiting (counted as learning only when due within
    the learn-ahead limit)."""
    learning = review = 0
    due = ahead = later = waiting_due = None
    carded = set()
    waiting_offered = set()
    studied_today = set()
    offered_places = {}
    for question_id, state, reps, offered, soon, due_at, card_id, new_today in cards:
        carded.add(question_id)
        if new_today:
            studied_today.add(question_id)
        if question_id not in shown or question_id in blocked:
            if question_id in waiting and question_id in shown:
                waiting_due = min(waiting_due or due_at, due_at)
                if offered or (state != _REVIEW and soon and offered is not None):
                    waiting_offered.add(question_id)
            continue
        place = (due_at, card_id)
        if offered:
            if state == _REVIEW:
                review += 1
            else:
                learning += 1
            offered_places[question_id] = place
            if due is None or place < due.place:
                due = _Chosen(place, question_id, reps, state == _REVIEW)
            continue
        if state != _REVIEW and soon:
            learning += 1
            if offered is not None and (ahead is None or place < ahead.place):
                ahead = _Chosen(place, question_id, reps)
        if offered is not None and (later is None or place < later.place):
            later = _Chosen(place, question_id, due_at)
    return _Cards(
        learning,
        review,
        due,
        ahead,
        later,
        frozenset(carded),
        waiting_due,
        frozenset(waiting_offered),
        frozenset(studied_today),
        offered_places,
    )


def _chosen_for(cards: list[list[Any]], question: int) -> _Chosen:
    """The card of `question` as _cards_sorted chooses a due card."""
    for question_id, state, reps, _offered, _soon, due_at, card_id, _new in cards:
        if question_id == question:
            return _Chosen((due_at, card_id), question_id, reps, state == _REVIEW)
    raise LookupError(question)


def _queue_row(
    sql: str,
    params: dict[str, Any],
    bank: Bank,
    scope: _Scope,
    *,
    siblings: bool,
    limits: tuple[int, int] | None,
) -> _QueueRow:
    with connection.cursor() as cursor:
        # PostgreSQL planned it anew for every learner's values, 0.7 to 2 ms of its 2 to 3, and
        # its generic plan ran as fast for every learner measured (docs/benchmarks.md).
        execute_planned_once(cursor, sql, params)
        values = cursor.fetchone()
        aliases = [column[0].lower() for column in cursor.description]
    row = dict(zip(aliases, values, strict=True))
    # Held (buried or suspended) now, or waiting for a sibling seen today: all but the
    # suspended ones come back at the next day's start.
    held = ids_read(row.pop("held_ids"))
    suspended = {-i for i in held if i < 0}
    buried = {i for i in held if i > 0}
    seen = ids_read(row.pop("seen_ids"))
    shown = scope.ids(bank)
    siblings_held = siblings_waiting(seen, bank) - buried if siblings else set()
    waiting = (buried | siblings_held) - suspended
    blocked = suspended | waiting
    cards = row.pop("cards")
    cards = json.loads(cards) if isinstance(cards, str) else cards or []
    chosen = _cards_sorted(cards, shown, blocked, waiting)
    # A question the bank does not hold yet (rebuilt within seconds) is not among them: the
    # queue offers no card for it, as for any question the bank lacks.
    fresh = shown - blocked - chosen.carded
    # A new card whose answer a card first seen today showed waits, as a sibling does.
    answer_shown = (
        answers_shown_waiting(chosen.studied_today, chosen.carded, bank, seen=seen) & fresh
        if siblings
        else set()
    )
    fresh -= answer_shown
    due, first_new = chosen.due, None
    if siblings and due is not None:
        # A card due now whose answer the due card shows (front or back) comes first.
        first = answer_shown_first(due.question_id, chosen.offered, seen, bank)
        due = due if first == due.question_id else _chosen_for(cards, first)
    if siblings and due is not None and due.review and fresh:
        # A new card still to come today comes before a review that shows its answer,
        # if every card due and new fits under the day's review limit.
        left = None
        if limits is not None:
            new_per_day, max_reviews = limits
            left = new_per_day + row["extra_new"] - len(chosen.studied_today)
            due_now = row["reviewed_today"] + chosen.learning + chosen.review
            left = left if due_now + left <= max_reviews else 0
        first_new = new_card_first(
            due.question_id, fresh, left, seen, bank, offered=chosen.offered.keys()
        )
    new_waiting = ((shown & waiting) - chosen.carded) | answer_shown
    order = bank.new_card_order
    return _QueueRow(
        **row,
        new_today=len(chosen.studied_today),
        learning_count=chosen.learning,
        review_count=chosen.review,
        due_question=due.question_id if due and not first_new else None,
        due_reps=due.value if due and not first_new else None,
        # The scope's questions are active ones of the bank: each has its place among new cards.
        new_question=first_new or min(fresh, key=order.__getitem__, default=None),
        unseen=len(fresh),
        ahead_question=chosen.ahead.question_id if chosen.ahead else None,
        ahead_reps=chosen.ahead.value if chosen.ahead else None,
        next_due_at=chosen.later.value if chosen.later else None,
        waiting_due_at=chosen.waiting_due,
        waiting_new=len(new_waiting),
        waiting_offered=len(chosen.waiting_offered),
        # Only those the siblings rule keeps from coming today: not one due in weeks.
        waiting_siblings=len(shown & siblings_held & new_waiting),
        waiting_siblings_offered=len(shown & siblings_held & chosen.waiting_offered),
        waiting_shown=len(answer_shown),
        buried=len(buried),
    )


class _Next(NamedTuple):
    question: QuestionData | None
    reps: int = 0
    ahead: bool = False


def _next_card(row: _QueueRow, day: LearnerDay, bank: Bank, *, limits: bool) -> _Next:
    """The due card first, else a new one within today's limit, else a learning card due
    within the learn-ahead limit (as Anki); none past the review limit. Without `limits`
    (chosen cards), every card of the scope comes."""
    if limits and day.reviewed_today >= day.max_reviews_per_day:
        return _Next(None)
    if row.due_question is not None:
        return _Next(bank.questions.get(row.due_question), row.due_reps or 0)
    if row.new_question is not None and (not limits or day.new_limit > row.new_today):
        return _Next(bank.questions.get(row.new_question))
    if row.ahead_question is not None:
        return _Next(bank.questions.get(row.ahead_question), row.ahead_reps or 0, ahead=True)
    return _Next(None)


def study_queue(
    *,
    user: User,
    now: datetime,
    category_slug: str | None = None,
    question_ids: frozenset[int] | None = None,
    offer_reviewed_before: datetime | None = None,
    ignore_limits: bool = False,
    bank: Bank | None = None,
) -> StudyQueue:
    """Choose the learner's next card: the most overdue due card (unless it shows, on its front or
    its back, the answer of another card due now, or a review that of a new card still to come
    today: that card first), else a new one in the bank's order within today's limit, else a
    learning card due within the learn-ahead limit, else none (and say when the next card is
    due).

    One statement reads the learner's rows through their indexes (their cards, at most the
    bank's size; their holds; today's counts and the questions seen today), so its cost does not
    grow with their history; the candidates are chosen from them with the bank. Buried and
    suspended cards, and (with the learner's "bury siblings") cards whose fact they have seen
    today through another card, and new cards whose answer a card first seen today showed,
    are neither offered nor counted.
    """
    bank = bank or bank_current()
    profile = study_profile(user=user)
    sql, params = _queue_statement(
        user=user,
        now=now,
        category_slug=category_slug,
        offer_reviewed_before=offer_reviewed_before,
        day=learner_day(profile, now),
    )
    scope = _Scope(category_slug, question_ids)
    row = _queue_row(
        sql,
        params,
        bank,
        scope,
        siblings=profile.bury_siblings,
        limits=None if ignore_limits else (profile.new_per_day, profile.max_reviews_per_day),
    )
    day = learner_day(profile, now, row.reviewed_today, row.extra_new)
    chosen = _next_card(row, day, bank, limits=not ignore_limits)
    return StudyQueue(
        day=day,
        learning_count=row.learning_count,
        review_count=row.review_count,
        new_today=row.new_today,
        next_question=chosen.question,
        next_reps=chosen.reps,
        next_due_at=datetime_read(row.next_due_at),
        waiting_due_at=datetime_read(row.waiting_due_at),
        waiting_new=row.waiting_new,
        waiting_offered=row.waiting_offered,
        waiting_siblings=row.waiting_siblings,
        waiting_siblings_offered=row.waiting_siblings_offered,
        waiting_shown=row.waiting_shown,
        buried=row.buried,
        undoable=bool(row.undoable),
        unseen=row.unseen,
        ahead=chosen.ahead,
        ignores_limits=ignore_limits,
        quiz_running=row.quiz_running,
    )
