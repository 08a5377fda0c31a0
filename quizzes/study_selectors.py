"""Reads of studying: the learner's settings, their cards, and the next card to study."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quizzes import scheduling
from quizzes.bank_cache import Bank, QuestionData, bank_current
from quizzes.enums import HoldOrigin, Rating
from quizzes.grading import Graded, response_grade
from quizzes.models import (
    CardState,
    StudyProfile,
)
from quizzes.scheduling import NEW_CARD, CardValues
from quizzes.tokens import CardToken


@dataclass(frozen=True)
class LearnerDay:
    """A learner's settings and what they have done since the day began."""

    desired_retention: float
    new_per_day: int
    max_reviews_per_day: int
    reviewed_today: int
    day_start: datetime


def day_start(now: datetime) -> datetime:
    """Return the start of the learner's day: midnight in the site's time zone (TIME_ZONE)."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def study_profile(*, user: User) -> StudyProfile:
    """Return the learner's study settings, or the defaults (unsaved) if they never set any.

    The defaults are StudyProfile's own (from quizzes.limits); the study queue reads the same ones.
    Through `user.study_profile`, so a caller that fetched it with select_related pays no query.
    """
    try:
        return user.study_profile
    except StudyProfile.DoesNotExist:
        return StudyProfile(user=user)


def card_values(state: CardState | None) -> CardValues:
    if state is None:
        return NEW_CARD
    return CardValues(
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
        reps=state.reps,
        lapses=state.lapses,
    )


@dataclass(frozen=True)
class StudyQueue:
    day: LearnerDay
    due_count: int
    new_today: int
    next_question: QuestionData | None
    next_reps: int
    next_due_at: datetime | None
    # Buries and suspensions placed today from the back of a card: with today's reviews, what
    # Undo can take back.
    held_today: int = 0

    @property
    def next_is_new(self) -> bool:
        return self.next_reps == 0

    @property
    def new_left(self) -> int:
        return max(0, self.day.new_per_day - self.new_today)

    @property
    def reviewed_today(self) -> int:
        return self.day.reviewed_today

    @property
    def can_undo(self) -> bool:
        return bool(self.day.reviewed_today or self.held_today)

    @property
    def review_limit_reached(self) -> bool:
        return self.day.reviewed_today >= self.day.max_reviews_per_day


# The study queue in one statement of indexed subqueries. Written as SQL because it is the hottest
# read of the app: the ORM took about 3 ms to compile the same seven subqueries, thirty times what
# the database takes to run them (bench/, docs/benchmarks.md).
_QUEUE_SQL = """
SELECT
  p.desired_retention, p.new_per_day, p.max_reviews_per_day,
  (SELECT COUNT(*) FROM quizzes_reviewlog r WHERE r.user_id = u.id AND r.reviewed_at >= %(start)s),
  (SELECT COUNT(*) FROM quizzes_cardstate c WHERE c.user_id = u.id AND c.created_at >= %(start)s),
  (SELECT COUNT(*) FROM quizzes_cardstate c JOIN quizzes_question q ON q.id = c.question_id
     WHERE c.user_id = u.id AND {scope} AND {offered} AND {free}),
  (SELECT c.question_id FROM quizzes_cardstate c JOIN quizzes_question q ON q.id = c.question_id
     WHERE c.user_id = u.id AND {scope} AND {offered} AND {free} ORDER BY c.due, c.id LIMIT 1),
  (SELECT c.reps FROM quizzes_cardstate c JOIN quizzes_question q ON q.id = c.question_id
     WHERE c.user_id = u.id AND {scope} AND {offered} AND {free} ORDER BY c.due, c.id LIMIT 1),
  (SELECT q.id FROM quizzes_question q
     WHERE {scope} AND {free} AND NOT EXISTS (
       SELECT 1 FROM quizzes_cardstate c WHERE c.user_id = u.id AND c.question_id = q.id)
     ORDER BY q.position, q.id LIMIT 1),
  (SELECT c.due FROM quizzes_cardstate c JOIN quizzes_question q ON q.id = c.question_id
     WHERE c.user_id = u.id AND {scope} AND NOT ({offered}) AND {free} ORDER BY c.due LIMIT 1),
  (SELECT COUNT(*) FROM quizzes_cardhold h
     WHERE h.user_id = u.id AND h.placed_at >= %(start)s AND h.origin = %(undoable)s)
FROM auth_user u LEFT JOIN quizzes_studyprofile p ON p.user_id = u.id
WHERE u.id = %(user)s
"""

# A question is free when the learner holds no bury or suspension on it now: a lookup on the
# hold's (user, question) unique index.
_FREE_SQL = """NOT EXISTS (SELECT 1 FROM quizzes_cardhold h
     WHERE h.user_id = u.id AND h.question_id = q.id AND (h.until IS NULL OR h.until > %(now)s))"""


def _as_datetime(value) -> datetime | None:
    """Read a datetime column fetched by raw SQL (SQLite returns text in UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def study_queue(
    *,
    user: User,
    now: datetime,
    category_slug: str | None = None,
    question_ids: frozenset[int] | None = None,
    offer_reviewed_before: datetime | None = None,
    bank: Bank | None = None,
) -> StudyQueue:
    """Choose the learner's next card: the most overdue due card, else a new one in the bank's
    order within today's limit, else none (and say when the next card is due).

    The learner's settings, today's counts and both candidates come from one statement whose
    subqueries all use the learner's indexes, so its cost does not grow with their history.
    Buried and suspended cards are neither offered nor counted.
    """
    bank = bank or bank_current()
    start = day_start(now)
    adapt = connection.ops.adapt_datetimefield_value
    params: dict[str, Any] = {
        "user": user.pk,
        "start": adapt(start),
        "now": adapt(now),
        "undoable": HoldOrigin.STUDY.value,
    }
    scope = ["q.is_active"]
    if category_slug:
        scope.append("q.category_id = %(category)s")
        params["category"] = next((c.pk for c in bank.categories if c.slug == category_slug), 0)
    if question_ids is not None:
        ids = sorted(question_ids) or [0]
        scope.append("q.id IN (" + ", ".join(f"%(id{n})s" for n in range(len(ids))) + ")")
        params.update({f"id{n}": qid for n, qid in enumerate(ids)})
    offered = "c.due <= %(now)s"
    if offer_reviewed_before is not None:
        # Sessions on chosen cards (a quiz's misses, a passage) offer each once before it is due.
        offered = "(c.due <= %(now)s OR c.last_review <= %(before)s)"
        params["before"] = adapt(offer_reviewed_before)
    sql = _QUEUE_SQL.format(scope=" AND ".join(scope), offered=offered, free=_FREE_SQL)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    (
        retention,
        new_per_day,
        max_reviews,
        reviewed_today,
        new_today,
        due_count,
        due_question,
        due_reps,
        new_question,
        next_due_at,
        held_today,
    ) = row
    defaults = StudyProfile()
    day = LearnerDay(
        desired_retention=defaults.desired_retention if retention is None else retention,
        new_per_day=defaults.new_per_day if new_per_day is None else new_per_day,
        max_reviews_per_day=defaults.max_reviews_per_day if max_reviews is None else max_reviews,
        reviewed_today=reviewed_today,
        day_start=start,
    )
    limit_reached = day.reviewed_today >= day.max_reviews_per_day
    next_question, next_reps = None, 0
    if due_question is not None and not limit_reached:
        next_question, next_reps = bank.questions.get(due_question), due_reps
    elif new_question is not None and not limit_reached and day.new_per_day > new_today:
        next_question = bank.questions.get(new_question)
    return StudyQueue(
        day=day,
        due_count=due_count,
        new_today=new_today,
        next_question=next_question,
        next_reps=next_reps,
        next_due_at=_as_datetime(next_due_at),
        held_today=held_today,
    )


def card_state_for(*, user: User, question_id: int) -> CardState | None:
    return CardState.objects.filter(user=user, question_id=question_id).first()


@dataclass(frozen=True)
class RatingButton:
    """One rating on the back of a card, with the interval it will give."""

    rating: Rating
    interval: str
    suggested: bool

    @property
    def name(self) -> str:
        return self.rating.label

    @property
    def hint(self) -> str:
        return self.rating.hint

    @property
    def title(self) -> str:
        # Hard is the rating learners misread as a fail: its button says it is a pass.
        return "Recalled, with effort — a pass, not a fail" if self.rating == Rating.HARD else ""


@dataclass(frozen=True)
class CardBack:
    """The back of a card: the learner's response graded, and the four ratings to choose from."""

    graded: Graded
    buttons: list[RatingButton]
    # A leech the learner keeps studying (their setting only tags leeches): the back says so.
    is_leech: bool = False
    lapses: int = 0


def card_back(
    *, user: User, question: QuestionData, token: CardToken, response: str, now: datetime
) -> CardBack | None:
    """Grade the response and preview each rating; None if the card was reviewed since it was
    shown (a second tab)."""
    state = card_state_for(user=user, question_id=question.id)
    card = card_values(state)
    if card.reps != token.reps:
        return None
    intervals = scheduling.preview(
        card, now=now, desired_retention=token.retention, seed=f"{user.pk}:{question.id}"
    )
    graded = response_grade(question, response)
    # A wrong answer suggests Again, a right one Good; no attempt suggests nothing.
    suggested = (
        None if graded.correct is None else (Rating.GOOD if graded.correct else Rating.AGAIN)
    )
    buttons = [
        RatingButton(
            rating=rating,
            interval=scheduling.interval_label(intervals[rating]),
            suggested=rating == suggested,
        )
        for rating in Rating
    ]
    return CardBack(
        graded=graded,
        buttons=buttons,
        is_leech=state is not None and state.is_leech,
        lapses=card.lapses,
    )
