"""The key under which the progress dashboard's figures are cached: one cheap query that changes
whenever anything the figures are made of does.

The figures of a learner with 20,000 reviews (the year's calendar, every card's recall and due
day, the charts) cost many times Django's password page to compute and render; keyed this way
they are computed once after each change and then read from the cache.
"""

import hashlib
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank
from quizzes.enums import AttemptState
from quizzes.models import CardEdit, CardHold, CardState, QuizAttempt, ReviewLog, StudyProfile
from quizzes.statements import table_names

# How long the figures are reused while nothing of the learner's changes: recall falls with
# time, so at most this long (each slot of this length starts a new key).
FIGURES_SECONDS = 300

# What changes with each write that the dashboard shows:
# - the latest review (a rating adds one, Undo deletes it; found through the (user, reviewed_at)
#   index, so it costs nothing at 20,000 reviews). The reviews are not counted: a count reads
#   all 20,000 (0.5 ms of 0.7 on SQLite, more on PostgreSQL), and the cards' sum of reps below
#   already moves with every review added or undone, whatever its time;
# - the cards' counts and sums: a rating, an Undo, a regrade, Forget, Set due date and a
#   reschedule all rewrite a card's reps, state, stability, difficulty or due;
# - the card edits (Forget, Set due date; their Undo deletes one);
# - the finished quizzes and their scores ("I was right" adds a point);
# - the holds in effect now (bury, suspend, their end);
# - how many cards are due now: a card coming due changes nothing else, yet the cards page's
#   `is:due` and the dashboard's counts must show it at once (an outside audit found `is:due`
#   up to a slot late).
_FINGERPRINT_SQL = """
SELECT
  (SELECT r.id FROM {reviews} r WHERE r.user_id = %(user)s
    ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) AS latest_review,
  c.n, c.reps, c.lapses, c.states, c.stability, c.difficulty, c.leeches, c.due, c.reviewed,
  e.n, e.last, q.n, q.last, q.score, h.n, h.last, h.questions, h.until,
  -- The learner's schedule and goal, so that a page served from the cache need not read their
  -- profile (joined on the left: a learner who never saved settings has no row).
  p.daily_goal, p.desired_retention, p.parameters, p.time_zone, p.day_starts_at,
  -- Last: what only says what is due now (_DUE_NOW).
  c.due_now
FROM
  (SELECT COUNT(*) AS n, SUM(reps) AS reps, SUM(lapses) AS lapses, SUM(state) AS states,
          SUM(stability) AS stability, SUM(difficulty) AS difficulty,
          SUM(CASE WHEN is_leech THEN 1 ELSE 0 END) AS leeches, MAX(due) AS due,
          MAX(last_review) AS reviewed,
          SUM(CASE WHEN due <= %(now)s THEN 1 ELSE 0 END) AS due_now
     FROM {cards} WHERE user_id = %(user)s) c,
  (SELECT COUNT(*) AS n, MAX(id) AS last FROM {edits} WHERE user_id = %(user)s) e,
  (SELECT COUNT(*) AS n, MAX(id) AS last, SUM(score) AS score FROM {quizzes}
     WHERE user_id = %(user)s AND state = %(finished)s) q,
  (SELECT COUNT(*) AS n, MAX(id) AS last, SUM(question_id) AS questions, MAX(until) AS until
     FROM {holds} WHERE user_id = %(user)s AND (until IS NULL OR until > %(now)s)) h
  LEFT JOIN {profiles} p ON p.user_id = %(user)s
"""


# The fingerprint's last columns, which only say what is due now (the workload key leaves them
# out).
_DUE_NOW = ("due_now",)


def _fingerprint(user: User, now: datetime) -> tuple[object, ...]:
    sql = _FINGERPRINT_SQL.format(
        **table_names(
            profiles=StudyProfile,
            reviews=ReviewLog,
            cards=CardState,
            edits=CardEdit,
            quizzes=QuizAttempt,
            holds=CardHold,
        )
    )
    params: dict[str, Any] = {
        "user": user.pk,
        "finished": AttemptState.FINISHED.value,
        "now": connection.ops.adapt_datetimefield_value(now),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


def _key(name: str, user: User, *parts: object) -> str:
    """A cache key of the learner's: `name`, their id, and a digest of `parts` and of the time
    zone the page renders dates in (the session's, which another device may not have yet)."""
    zoned = (*parts, timezone.get_current_timezone_name())
    digest = hashlib.blake2b(repr(zoned).encode(), digest_size=16).hexdigest()
    return f"learnfrl:{name}:{user.pk}:{digest}"


def progress_figures_key(*, user: User, now: datetime, part: str, bank: Bank) -> str:
    """The cache key of the dashboard's figures (`part` says which: the figures with the
    forecast's range, or the statistics panel with its range): the learner's data as
    `_fingerprint` sees it, their schedule and goal, the bank, and a slot of FIGURES_SECONDS
    (recall falls as time passes; and as every time zone is a whole number of quarter hours
    from UTC and days start on the hour, a new day always starts a new slot)."""
    slot = int(now.timestamp()) // FIGURES_SECONDS
    return _key("progress-figures", user, _fingerprint(user, now), part, bank.version, slot)


def cards_rows_key(*, user: User, now: datetime, bank: Bank, query: str) -> str:
    """The cache key of the rows of one page of the cards page, its filters, search, sort and
    page number in `query`: made as the dashboard's (progress_figures_key)."""
    slot = int(now.timestamp()) // FIGURES_SECONDS
    return _key("cards-rows", user, _fingerprint(user, now), bank.version, query, slot)


def workload_lookup_key(
    *, user: User, now: datetime, bank: Bank, day: date, limits: tuple[int, int]
) -> str:
    """The key under which the workload simulator finds the learner's last result without
    building its inputs (their cards and rating habits): made as the dashboard's, with the
    learner's day (`day`, today) in place of the time slot, as the simulator counts whole days
    from today, and their daily limits for new cards and reviews, which the fingerprint leaves
    out."""
    # Its value is pickled (parameters.selectors._Found): the version changes with its shape.
    # A card coming due changes no simulation, which starts from today's cards and days.
    fingerprint = _fingerprint(user, now)[: -len(_DUE_NOW)]
    return _key("workload-lookup:v1", user, fingerprint, bank.version, day.isoformat(), limits)


# What changes a learner's list of past quizzes: a quiz started (the count, the latest id), one
# finished (how many are finished, and when the latest was), a point given back by "I was
# right" (the scores' sum). Through the (user, started_at) index.
_QUIZZES_SQL = """
SELECT COUNT(*) AS n, MAX(id) AS last, COUNT(finished_at) AS finished,
       MAX(finished_at) AS finished_last, SUM(score) AS score
  FROM {quizzes} WHERE user_id = %(user)s
"""


def quiz_list_key(*, user: User, now: datetime, bank: Bank) -> str:
    """The cache key of the learner's list of past quizzes, as rendered on the quizzes page: their
    quizzes as `_QUIZZES_SQL` sees them, the bank's version (which a category renamed or deleted
    changes too: the list names each quiz's category) and a slot of FIGURES_SECONDS."""
    sql = _QUIZZES_SQL.format(**table_names(quizzes=QuizAttempt))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user.pk})
        quizzes = tuple(cursor.fetchone())
    slot = int(now.timestamp()) // FIGURES_SECONDS
    return _key("quiz-list", user, quizzes, bank.version, slot)
