"""The study queue: the learner's day and their next card, read in one statement."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank, QuestionData, bank_current
from quizzes.enums import HoldOrigin, MemoryState
from quizzes.models import (
    CardHold,
    CardState,
    NewCardsExtra,
    StudyProfile,
)
from quizzes.rules.days import day_of, day_start
from quizzes.rules.scheduling import Schedule
from quizzes.statements import execute_planned_once, table_names
from quizzes.study.selectors import study_profile
from quizzes.study.siblings import (
    SEEN_TODAY_SQL,
    SIBLING_WAITS_SQL,
    sibling_tables,
)


@dataclass(frozen=True)
class LearnerDay:
    """A learner's settings and what they have done since the day began."""

    schedule: Schedule
    new_per_day: int
    max_reviews_per_day: int
    reviewed_today: int
    day_start: datetime
    learn_ahead: timedelta
    # Anki's "bury siblings": a card waits for the next day once another of its fact was seen.
    bury_siblings: bool = True
    # New cards the learner added to today's limit (custom study), for all cards or this scope.
    extra_new: int = 0

    @property
    def new_limit(self) -> int:
        """Today's new cards in this scope: the daily setting and what custom study added."""
        return self.new_per_day + self.extra_new


@dataclass(frozen=True)
class StudyQueue:
    day: LearnerDay
    # Learning and relearning cards due now or within the learn-ahead limit, and review cards
    # due now (Anki's Learning and Review counts); new cards are `new_count`.
    learning_count: int
    review_count: int
    new_today: int
    next_question: QuestionData | None
    next_reps: int
    next_due_at: datetime | None
    # Buries and suspensions placed today from the back of a card: with today's reviews, what
    # Undo can take back.
    held_today: int = 0
    # Cards in the scope never studied (and not held): the most `new_count` can be.
    unseen: int = 0
    # Whether the card offered is a learning card shown before it is due (learn-ahead).
    ahead: bool = False
    # Chosen cards (a passage, a quiz's misses): the daily limits do not apply.
    ignores_limits: bool = False

    @property
    def due_count(self) -> int:
        return self.learning_count + self.review_count

    @property
    def new_count(self) -> int:
        """New cards the learner can still start today in this scope."""
        return self.unseen if self.ignores_limits else min(self.new_left, self.unseen)

    @property
    def all_done(self) -> bool:
        """A session of chosen cards has been through all of them (none new or due is left)."""
        return self.ignores_limits and self.next_question is None

    @property
    def extra_done(self) -> bool:
        """The new cards custom study added today have all been studied (or the scope has no
        more), and no card is left to show now."""
        return (
            not self.ignores_limits
            and self.day.extra_new > 0
            and self.new_count == 0
            and self.next_question is None
        )

    @property
    def next_is_new(self) -> bool:
        return self.next_reps == 0

    @property
    def new_left(self) -> int:
        return max(0, self.day.new_limit - self.new_today)

    @property
    def reviewed_today(self) -> int:
        return self.day.reviewed_today

    @property
    def can_undo(self) -> bool:
        return bool(self.day.reviewed_today or self.held_today)

    @property
    def review_limit_reached(self) -> bool:
        return not self.ignores_limits and self.day.reviewed_today >= self.day.max_reviews_per_day


# The study queue in one statement of indexed subqueries. Written as SQL because it is the hottest
# read of the app: the ORM took about 3 ms to compile the same seven subqueries, thirty times what
# the database takes to run them (bench/, docs/benchmarks.md).
# The learner's free cards in the scope (`studied`) and the free questions of the scope they have
# no card for (`fresh`) are each gathered once, into small materialised tables (at most the bank's
# size), and the counts and the next cards are read from them: on PostgreSQL, searching the
# learner's cards again for each of nine figures cost several times as much (docs/benchmarks.md).
_QUEUE_SQL = """
WITH {seen}studied AS MATERIALIZED (
  SELECT c.id AS id, c.question_id AS question_id, c.state AS state, c.due AS due,
         c.reps AS reps, ({offered}) AS offered
    FROM {cards} c JOIN {questions} q ON q.id = c.question_id
   WHERE c.user_id = %(user)s AND {scope} AND {free}
),
fresh AS MATERIALIZED (
  SELECT q.id AS id, q.fact_id AS fact_id, q.position AS position FROM {questions} q
   WHERE {scope} AND {free} AND NOT EXISTS (
     SELECT 1 FROM {cards} c WHERE c.user_id = %(user)s AND c.question_id = q.id)
)
SELECT
  (SELECT COUNT(*) FROM {reviews} r WHERE r.user_id = u.id AND r.reviewed_at >= %(start)s)
    AS reviewed_today,
  (SELECT COUNT(*) FROM {cards} c WHERE c.user_id = u.id AND c.created_at >= %(start)s)
    AS new_today,
  (SELECT COUNT(*) FROM studied c
     WHERE c.state <> %(review)s AND (c.offered OR c.due <= %(ahead)s))
    AS learning_count,
  (SELECT COUNT(*) FROM studied c WHERE c.state = %(review)s AND c.offered) AS review_count,
  (SELECT c.question_id FROM studied c WHERE c.offered ORDER BY c.due, c.id LIMIT 1)
    AS due_question,
  (SELECT c.reps FROM studied c WHERE c.offered ORDER BY c.due, c.id LIMIT 1) AS due_reps,
  (SELECT {aggregate} FROM fresh q) AS fresh_ids,
  (SELECT c.question_id FROM studied c
     WHERE c.state <> %(review)s AND c.due <= %(ahead)s AND NOT c.offered
     ORDER BY c.due, c.id LIMIT 1)
    AS ahead_question,
  (SELECT c.reps FROM studied c
     WHERE c.state <> %(review)s AND c.due <= %(ahead)s AND NOT c.offered
     ORDER BY c.due, c.id LIMIT 1)
    AS ahead_reps,
  (SELECT c.due FROM studied c WHERE NOT c.offered ORDER BY c.due LIMIT 1) AS next_due_at,
  (SELECT COUNT(*) FROM {holds} h
     WHERE h.user_id = u.id AND h.placed_at >= %(start)s AND h.origin = %(undoable)s)
    AS held_today,
  (SELECT COALESCE(SUM(e.count), 0) FROM {extras} e
     WHERE e.user_id = u.id AND e.day = %(today)s AND e.scope IN ('', %(extra_scope)s))
    AS extra_new
FROM {users} u
WHERE u.id = %(user)s
"""

# A question is free when the learner holds no bury or suspension on it now: a lookup on the
# hold's (user, question) unique index. The rule is cards.selectors.hold_in_effect's, in SQL.
_FREE_SQL = """NOT EXISTS (SELECT 1 FROM {holds} h
     WHERE h.user_id = %(user)s AND h.question_id = q.id
       AND (h.until IS NULL OR h.until > %(now)s))"""


def _tables() -> dict[str, str]:
    """The queue's tables by role, named as the models name them."""
    return {
        **sibling_tables(),
        **table_names(users=User, cards=CardState, holds=CardHold, extras=NewCardsExtra),
    }


class _QueueRow(NamedTuple):
    """The queue statement's one row, read by column alias."""

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
    next_due_at: datetime | str | None
    held_today: int
    extra_new: int


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """Read a datetime column fetched by raw SQL, as an aware datetime.

    SQLite stores times in UTC without a zone and returns them as text, or, when it knows the
    column's declared type, as a naive datetime; either is UTC. (Taking a naive one as it came
    made the page read it in the site's TIME_ZONE: off by the zone's offset.)
    """
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    if parsed is None:
        raise ValueError(f"Not a datetime: {value!r}")
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _queue_statement(
    *,
    user: User,
    now: datetime,
    bank: Bank,
    category_slug: str | None,
    question_ids: frozenset[int] | None,
    offer_reviewed_before: datetime | None,
    day: LearnerDay,
) -> tuple[str, dict[str, Any]]:
    """Write the queue statement for the scope, with its parameters."""
    adapt = connection.ops.adapt_datetimefield_value
    params: dict[str, Any] = {
        "user": user.pk,
        "start": adapt(day.day_start),
        "now": adapt(now),
        "ahead": adapt(now + day.learn_ahead),
        "review": MemoryState.REVIEW.value,
        "undoable": HoldOrigin.STUDY.value,
        "today": connection.ops.adapt_datefield_value(day_of(now, day.schedule.day)),
        "extra_scope": category_slug or "",
    }
    scope = ["q.is_active"]
    if category_slug:
        scope.append("q.category_id = %(category)s")
        category = bank.category(category_slug)
        params["category"] = category.pk if category is not None else 0
    if question_ids is not None:
        ids = sorted(question_ids) or [0]
        scope.append("q.id IN (" + ", ".join(f"%(id{n})s" for n in range(len(ids))) + ")")
        params.update({f"id{n}": qid for n, qid in enumerate(ids)})
    offered = "c.due <= %(now)s"
    if offer_reviewed_before is not None:
        # Sessions on chosen cards (a quiz's misses, a passage) offer each once before it is due.
        offered = "(c.due <= %(now)s OR c.last_review <= %(before)s)"
        params["before"] = adapt(offer_reviewed_before)
    tables = _tables()
    free = _FREE_SQL.format(**tables)
    if day.bury_siblings:
        free += " AND " + SIBLING_WAITS_SQL.format(**tables)
    sql = _QUEUE_SQL.format(
        seen=SEEN_TODAY_SQL.format(**tables) if day.bury_siblings else "",
        scope=" AND ".join(scope),
        offered=offered,
        free=free,
        aggregate=_FRESH_IDS[connection.vendor],
        **tables,
    )
    return sql, params


# The unseen questions' ids, all of them, in one value: the first in the bank's order of new cards
# is chosen from them here (Bank.new_card_order), and their number is how many are left unseen.
_FRESH_IDS = {"postgresql": "array_agg(q.id)", "sqlite": "group_concat(q.id)"}
_NOT_IN_BANK = (1 << 62, 0, 0)


def _queue_row(sql: str, params: dict[str, Any], bank: Bank) -> _QueueRow:
    with connection.cursor() as cursor:
        # PostgreSQL planned it anew for every learner's values, 0.7 to 2 ms of its 2 to 3, and
        # its generic plan ran as fast for every learner measured (docs/benchmarks.md).
        execute_planned_once(cursor, sql, params)
        values = cursor.fetchone()
        aliases = [column[0].lower() for column in cursor.description]
    row = dict(zip(aliases, values, strict=True))
    fresh = _ids(row.pop("fresh_ids"))
    # A question the bank does not hold yet (rebuilt within seconds) comes last; the queue then
    # offers no card for it (bank.questions.get), as for any question the bank lacks.
    order = bank.new_card_order
    new = min(fresh, key=lambda q: order.get(q, _NOT_IN_BANK), default=None)
    return _QueueRow(**row, new_question=new, unseen=len(fresh))


def _ids(value: list[int] | str | None) -> list[int]:
    """The ids an aggregate gave: PostgreSQL's array, SQLite's text joined by commas, or NULL
    when there were none."""
    if value is None:
        return []
    return value if isinstance(value, list) else [int(part) for part in value.split(",")]


def _learner_day(
    profile: StudyProfile, now: datetime, reviewed_today: int = 0, extra_new: int = 0
) -> LearnerDay:
    """The learner's settings (StudyProfile's defaults if they saved none) and today's count."""
    schedule = profile.schedule
    return LearnerDay(
        schedule=schedule,
        new_per_day=profile.new_per_day,
        max_reviews_per_day=profile.max_reviews_per_day,
        reviewed_today=reviewed_today,
        day_start=day_start(now, schedule.day),
        learn_ahead=timedelta(minutes=profile.learn_ahead_minutes),
        bury_siblings=profile.bury_siblings,
        extra_new=extra_new,
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
    """Choose the learner's next card: the most overdue due card, else a new one in the bank's
    order within today's limit, else a learning card due within the learn-ahead limit, else
    none (and say when the next card is due).

    The learner's settings, today's counts and both candidates come from one statement whose
    subqueries all use the learner's indexes, so its cost does not grow with their history.
    Buried and suspended cards, and (with the learner's "bury siblings") cards whose fact they
    have seen today through another card, are neither offered nor counted.
    """
    bank = bank or bank_current()
    profile = study_profile(user=user)
    sql, params = _queue_statement(
        user=user,
        now=now,
        bank=bank,
        category_slug=category_slug,
        question_ids=question_ids,
        offer_reviewed_before=offer_reviewed_before,
        day=_learner_day(profile, now),
    )
    row = _queue_row(sql, params, bank)
    day = _learner_day(profile, now, row.reviewed_today, row.extra_new)
    chosen = _next_card(row, day, bank, limits=not ignore_limits)
    return StudyQueue(
        day=day,
        learning_count=row.learning_count,
        review_count=row.review_count,
        new_today=row.new_today,
        next_question=chosen.question,
        next_reps=chosen.reps,
        next_due_at=_as_datetime(row.next_due_at),
        held_today=row.held_today,
        unseen=row.unseen,
        ahead=chosen.ahead,
        ignores_limits=ignore_limits,
    )
