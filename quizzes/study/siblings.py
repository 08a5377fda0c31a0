"""Anki's "bury siblings" as the study queue and a quiz's start read it: the questions a learner
has seen today, as SQL both share. (The order in which new questions of one fact come is the
bank's: Bank.new_card_order.)"""

from datetime import datetime
from typing import NamedTuple

from django.db import connection

from learnfrl.accounts.users import User
from quizzes.models import AttemptAnswer, Question, QuizAttempt, ReviewLog
from quizzes.statements import execute_planned_once, table_names


def sibling_tables() -> dict[str, str]:
    """The tables the siblings rule reads, by role (as the queue names them)."""
    return table_names(
        reviews=ReviewLog, questions=Question, attempts=QuizAttempt, answers=AttemptAnswer
    )


# A question waits for the learner's next day while another question of its fact was reviewed
# today, in study or in a quiz (each quiz answer is logged as a review), or is in a quiz started
# today (one still running will show it; a results page shows even unanswered questions' answers):
# Anki's "bury siblings",
# read from the log rather than written as holds, so that Undo of the review, or a rollover,
# frees the siblings with nothing to clean up. Today's reviews come from the (user, reviewed_at)
# index, today's quizzes from the (user, started_at) one; their questions by primary key.
# The questions seen today are gathered once, into a small materialised table (at most the bank's
# size), rather than today's log being searched again for every candidate card: with a few hundred
# reviews today that search made the queue several times slower (bench/, docs/benchmarks.md).
SEEN_TODAY_SQL = """seen AS MATERIALIZED (
  SELECT sq.fact_id AS fact_id, sq.id AS question_id FROM {reviews} sr
     JOIN {questions} sq ON sq.id = sr.question_id
     WHERE sr.user_id = %(user)s AND sr.reviewed_at >= %(start)s
  UNION
  SELECT sq.fact_id, sq.id FROM {attempts} st
     JOIN {answers} sa ON sa.attempt_id = st.id JOIN {questions} sq ON sq.id = sa.question_id
     WHERE st.user_id = %(user)s AND st.started_at >= %(start)s
),
"""


SIBLING_WAITS_SQL = """NOT EXISTS (SELECT 1 FROM seen s
     WHERE s.fact_id = q.fact_id AND s.question_id <> q.id)"""


class SeenToday(NamedTuple):
    """A question the learner saw today (reviewed, or in a quiz started today), with its fact."""

    fact_id: int
    question_id: int


def seen_today(*, user: User, day_start: datetime) -> list[SeenToday]:
    """The questions the learner has seen since `day_start`, as the queue's siblings rule reads
    them: the same statement, so that a quiz and the study queue hold back the same siblings."""
    seen = SEEN_TODAY_SQL.format(**sibling_tables()).rstrip().removesuffix(",")
    sql = f"WITH {seen} SELECT s.fact_id AS fact_id, s.question_id AS question_id FROM seen s"
    params = {"user": user.pk, "start": connection.ops.adapt_datetimefield_value(day_start)}
    with connection.cursor() as cursor:
        # PostgreSQL planned it anew on every start (0.2 ms, three times its run): the quiz start
        # runs it with its generic plan, as the queue runs the statement it is part of.
        execute_planned_once(cursor, sql, params)
        aliases = [column[0].lower() for column in cursor.description]
        return [SeenToday(**dict(zip(aliases, row, strict=True))) for row in cursor.fetchall()]
