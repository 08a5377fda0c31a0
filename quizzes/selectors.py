"""Every non-trivial read of the learning domain."""

import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quizzes import progress, scheduling
from quizzes.article import passage_sentences, sentences
from quizzes.enums import AttemptState, MemoryState, QuestionKind, Rating
from quizzes.grading import answer_is_correct
from quizzes.models import (
    AttemptAnswer,
    CardState,
    Category,
    Question,
    QuizAttempt,
    ReviewLog,
    StudyProfile,
)
from quizzes.scheduling import NEW_CARD, CardValues


def bank_export_data() -> dict[str, Any]:
    """Return the bank in its file format: every category, and every question in bank order."""
    categories = [
        {"slug": c.slug, "name": c.name, "description": c.description}
        for c in Category.objects.order_by("display_order", "slug")
    ]
    questions = []
    for q in Question.objects.select_related("category").prefetch_related("choices"):
        entry: dict[str, Any] = {
            "slug": q.slug,
            "category": q.category.slug,
            "kind": q.kind,
            "prompt": q.prompt,
            "answer": q.answer,
            "accepted_answers": list(q.accepted_answers),
            "choices": [{"text": c.text, "correct": c.is_correct} for c in q.choices.all()],
            "explanation": q.explanation,
            "passage": q.source_passage,
        }
        if not q.is_active:
            entry["active"] = False
        questions.append(entry)
    return {"categories": categories, "questions": questions}


# --- the bank, cached in each process ----------------------------------------------------------


@dataclass(frozen=True)
class ChoiceData:
    id: int
    text: str
    is_correct: bool


@dataclass(frozen=True)
class QuestionData:
    id: int
    slug: str
    category_slug: str
    category_name: str
    kind: str
    prompt: str
    answer: str
    accepted_answers: tuple[str, ...]
    explanation: str
    passage: str
    passage_offset: int
    position: int
    is_active: bool
    choices: tuple[ChoiceData, ...]

    @property
    def has_choices(self) -> bool:
        return self.kind != QuestionKind.TYPED

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label

    def judge(self, response: str) -> tuple[bool | None, "ChoiceData | None"]:
        """Grade a learner's response: (right or wrong, or None for no attempt; choice picked).

        For a choice question the response is a choice id; otherwise it is the typed answer.
        """
        if not response:
            return None, None
        if self.has_choices:
            chosen = next((c for c in self.choices if str(c.id) == response), None)
            return (None if chosen is None else chosen.is_correct), chosen
        return answer_is_correct(response, answer=self.answer, accepted=self.accepted_answers), None

    @property
    def sentence_index(self) -> int:
        """The sentence of the article where the passage starts (for links to /article/)."""
        touched = passage_sentences(self.passage_offset, len(self.passage))
        return touched[0] if touched else 0


@dataclass(frozen=True)
class Bank:
    version: tuple
    questions: dict[int, QuestionData]
    active: tuple[QuestionData, ...]
    categories: tuple[Category, ...]

    def active_in(self, category_slug: str | None) -> tuple[QuestionData, ...]:
        if not category_slug:
            return self.active
        return tuple(q for q in self.active if q.category_slug == category_slug)


_bank_lock = threading.Lock()
_bank_cache: dict[str, Any] = {"bank": None, "checked": 0.0}


def _bank_version() -> tuple:
    # Ids are part of the version: a rebuilt database can repeat counts and times, not ids.
    row = Question.objects.aggregate(
        count=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        first=Min("id"),
        last=Max("id"),
        changed=Max("updated_at"),
    )
    return (row["count"], row["active"], row["first"], row["last"], row["changed"])


def _bank_build(version: tuple) -> Bank:
    questions = {}
    for q in Question.objects.select_related("category").prefetch_related("choices"):
        questions[q.pk] = QuestionData(
            id=q.pk,
            slug=q.slug,
            category_slug=q.category.slug,
            category_name=q.category.name,
            kind=q.kind,
            prompt=q.prompt,
            answer=q.answer,
            accepted_answers=tuple(q.accepted_answers),
            explanation=q.explanation,
            passage=q.source_passage,
            passage_offset=q.passage_offset,
            position=q.position,
            is_active=q.is_active,
            choices=tuple(ChoiceData(c.pk, c.text, c.is_correct) for c in q.choices.all()),
        )
    active = tuple(sorted((q for q in questions.values() if q.is_active), key=lambda q: q.position))
    return Bank(version, questions, active, tuple(Category.objects.all()))


def bank_cache_clear() -> None:
    """Forget this process's copy of the bank (tests rebuild the database under it)."""
    with _bank_lock:
        _bank_cache.update(bank=None, checked=0.0)


def bank_current() -> Bank:
    """Return the question bank, rebuilt only when a question has changed.

    The bank is small and read on every card, so each process keeps it in memory and checks it
    against the database at most every BANK_CACHE_SECONDS (one aggregate query).
    """
    ttl = getattr(settings, "BANK_CACHE_SECONDS", 2.0)
    now = time.monotonic()
    bank = _bank_cache["bank"]
    if bank is not None and now - _bank_cache["checked"] < ttl:
        return bank
    version = _bank_version()
    if bank is None or bank.version != version:
        with _bank_lock:
            bank = _bank_build(version)
            _bank_cache["bank"] = bank
    _bank_cache["checked"] = now
    return bank


# --- studying ----------------------------------------------------------------------------------


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
    """Return the learner's study settings, or the defaults (unsaved) if they never set any."""
    return StudyProfile.objects.filter(user=user).first() or StudyProfile(user=user)


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
     WHERE c.user_id = u.id AND {scope} AND {offered}),
  (SELECT c.question_id FROM quizzes_cardstate c JOIN quizzes_question q ON q.id = c.question_id
     WHERE c.user_id = u.id AND {scope} AND {offered} ORDER BY c.due, c.id LIMIT 1),
  (SELECT c.reps FROM quizzes_cardstate c JOIN quizzes_question q ON q.id = c.question_id
     WHERE c.user_id = u.id AND {scope} AND {offered} ORDER BY c.due, c.id LIMIT 1),
  (SELECT q.id FROM quizzes_question q
     WHERE {scope} AND NOT EXISTS (
       SELECT 1 FROM quizzes_cardstate c WHERE c.user_id = u.id AND c.question_id = q.id)
     ORDER BY q.position, q.id LIMIT 1),
  (SELECT c.due FROM quizzes_cardstate c JOIN quizzes_question q ON q.id = c.question_id
     WHERE c.user_id = u.id AND {scope} AND NOT ({offered}) ORDER BY c.due LIMIT 1)
FROM auth_user u LEFT JOIN quizzes_studyprofile p ON p.user_id = u.id
WHERE u.id = %(user)s
"""


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
    """
    bank = bank or bank_current()
    start = day_start(now)
    adapt = connection.ops.adapt_datetimefield_value
    params: dict[str, Any] = {"user": user.pk, "start": adapt(start), "now": adapt(now)}
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
    sql = _QUEUE_SQL.format(scope=" AND ".join(scope), offered=offered)
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
    )


def card_state_for(*, user: User, question_id: int) -> CardState | None:
    return CardState.objects.filter(user=user, question_id=question_id).first()


# --- quizzes ------------------------------------------------------------------------------------

# A card the learner would now recall with less than this probability counts as weak.
WEAK_RETRIEVABILITY = 0.85


def quiz_questions_pick(
    *, user: User, pool: tuple[QuestionData, ...], length: int, now: datetime, rng: random.Random
) -> list[QuestionData]:
    """Pick `length` different questions: up to half from the learner's weak cards (forgotten
    before, or likely to be forgotten now), then unseen ones, then the rest of what they know."""
    by_id = {q.id: q for q in pool}
    ranked = sorted(
        (
            (scheduling.retrievability(card_values(s), now=now), -s.lapses, s.pk, s.question_id)
            for s in CardState.objects.filter(user=user, question_id__in=list(by_id))
        ),
    )
    weak = [by_id[r[3]] for r in ranked if r[0] < WEAK_RETRIEVABILITY or r[1] < 0]
    known = [by_id[r[3]] for r in ranked if not (r[0] < WEAK_RETRIEVABILITY or r[1] < 0)]
    seen = {r[3] for r in ranked}
    unseen = [q for q in pool if q.id not in seen]
    rng.shuffle(unseen)
    half = (length + 1) // 2
    chosen = weak[:half]
    chosen += unseen[: length - len(chosen)]
    chosen += weak[half : half + length - len(chosen)]
    chosen += known[: length - len(chosen)]
    rng.shuffle(chosen)
    return chosen


@dataclass(frozen=True)
class AttemptView:
    """An attempt with its answers in order, as the quiz page and results page need them."""

    attempt: QuizAttempt
    answers: list[AttemptAnswer]

    @property
    def current(self) -> AttemptAnswer | None:
        return next((a for a in self.answers if a.answered_at is None), None)

    @property
    def answered_count(self) -> int:
        return sum(1 for a in self.answers if a.answered_at is not None)


def attempt_view(*, attempt: QuizAttempt) -> AttemptView:
    return AttemptView(attempt=attempt, answers=list(attempt.answers.order_by("position")))


def attempts_recent(*, user: User, limit: int = 50) -> list[QuizAttempt]:
    return list(
        QuizAttempt.objects.filter(user=user)
        .select_related("category")
        .order_by("-started_at")[:limit]
    )


# --- progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryMastery:
    slug: str
    name: str
    total: int
    seen: int
    mean_recall: float
    review_share: float


@dataclass(frozen=True)
class ProgressSummary:
    today: date
    by_state: dict[str, int]
    due_today: int
    due_tomorrow: int
    forecast: list[tuple[date, int]]
    reviews_by_day: dict[date, int]
    total_reviews: int
    streak_current: int
    streak_longest: int
    retention: float | None
    retention_reviews: int
    mastery: list[CategoryMastery]
    quiz_scores: list[dict]
    readiness: float
    active_total: int


def _recalls(user: User, now: datetime, bank: Bank) -> dict[int, tuple[int, float, datetime]]:
    """Map each active question the learner has seen to (state, recall now, due)."""
    result = {}
    rows = CardState.objects.filter(user=user).values_list(
        "question_id", "state", "stability", "last_review", "due", "reps"
    )
    for question_id, state, stability, last_review, due, reps in rows:
        question = bank.questions.get(question_id)
        if question is None or not question.is_active:
            continue
        card = CardValues(state=state, stability=stability, last_review=last_review, reps=reps)
        result[question_id] = (state, scheduling.retrievability(card, now=now), due)
    return result


def _reviews_by_day(*, user: User, day_began: datetime, tz) -> dict[date, int]:
    """Count the learner's reviews per day, grouped in the database.

    Reviews are only ever added now, so the days before today do not change: their counts are
    cached per process under a key that includes how many reviews came before today (so an Undo
    that reaches back past midnight is noticed). Only today's count is read on every request.
    """
    before = ReviewLog.objects.filter(user=user, reviewed_at__lt=day_began).count()
    key = f"learnfrl:reviews-by-day:{user.pk}:{day_began.isoformat()}:{before}"
    past = cache.get(key)
    if past is None:
        rows = (
            ReviewLog.objects.filter(user=user, reviewed_at__lt=day_began)
            .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
            .values("day")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        past = {row["day"]: row["n"] for row in rows}
        cache.set(key, past, timeout=26 * 60 * 60)
    today_count = ReviewLog.objects.filter(user=user, reviewed_at__gte=day_began).count()
    if today_count:
        return {**past, timezone.localtime(day_began, tz).date(): today_count}
    return past


def progress_summary(*, user: User, now: datetime) -> ProgressSummary:
    """Gather the dashboard's figures: card states in Python (bounded by the bank), reviews
    aggregated by day in the database."""
    bank = bank_current()
    tz = timezone.get_current_timezone()
    today = timezone.localtime(now).date()
    cards = _recalls(user, now, bank)

    by_state = {"new": len(bank.active) - len(cards), "learning": 0, "review": 0, "relearning": 0}
    for state, _recall, _card in cards.values():
        by_state[MemoryState(state).slug] += 1
    due_days = [timezone.localtime(due).date() for _s, _r, due in cards.values()]
    upcoming = progress.forecast(due_days, today, days=30)

    reviews_by_day = _reviews_by_day(user=user, day_began=day_start(now), tz=tz)
    current, longest = progress.streaks(reviews_by_day, today)

    recent = ReviewLog.objects.filter(
        user=user, reviewed_at__gte=now - timedelta(days=30), state_before=MemoryState.REVIEW
    ).aggregate(total=Count("id"), passed=Count("id", filter=~Q(rating=Rating.AGAIN)))

    mastery = []
    for category in bank.categories:
        questions = [q for q in bank.active if q.category_slug == category.slug]
        if not questions:
            continue
        seen = [cards[q.id] for q in questions if q.id in cards]
        mastery.append(
            CategoryMastery(
                slug=category.slug,
                name=category.name,
                total=len(questions),
                seen=len(seen),
                mean_recall=sum(r for _s, r, _c in seen) / len(questions),
                review_share=sum(1 for s, _r, _c in seen if s == MemoryState.REVIEW)
                / len(questions),
            )
        )

    attempts = list(
        QuizAttempt.objects.filter(user=user, state=AttemptState.FINISHED)
        .order_by("-started_at")
        .values("pk", "started_at", "score", "length")[:20]
    )
    quiz_scores = [
        {**a, "percent": round(100 * a["score"] / a["length"]) if a["length"] else 0}
        for a in reversed(attempts)
    ]
    readiness = sum(r for _s, r, _c in cards.values()) / len(bank.active) if bank.active else 0.0
    return ProgressSummary(
        today=today,
        by_state=by_state,
        due_today=upcoming[0][1] if upcoming else 0,
        due_tomorrow=upcoming[1][1] if len(upcoming) > 1 else 0,
        forecast=upcoming,
        reviews_by_day=reviews_by_day,
        total_reviews=sum(reviews_by_day.values()),
        streak_current=current,
        streak_longest=longest,
        retention=recent["passed"] / recent["total"] if recent["total"] else None,
        retention_reviews=recent["total"],
        mastery=mastery,
        quiz_scores=quiz_scores,
        readiness=readiness,
        active_total=len(bank.active),
    )


@dataclass(frozen=True)
class SentenceMark:
    index: int
    text: str
    questions: int
    level: str
    recall: float | None


def article_map(*, user: User, now: datetime) -> list[SentenceMark]:
    """Mark each sentence of the article with how well the learner knows its questions."""
    bank = bank_current()
    cards = _recalls(user, now, bank)
    by_sentence: dict[int, list[int]] = {}
    for question in bank.active:
        for index in passage_sentences(question.passage_offset, len(question.passage)):
            by_sentence.setdefault(index, []).append(question.id)
    marks = []
    for sentence in sentences():
        ids = by_sentence.get(sentence.index, [])
        known = [(cards[i][0], cards[i][1]) if i in cards else None for i in ids]
        recall = sum(k[1] if k else 0.0 for k in known) / len(known) if known else None
        marks.append(
            SentenceMark(
                index=sentence.index,
                text=sentence.text,
                questions=len(ids),
                level=progress.mastery_level(known) if ids else "",
                recall=recall,
            )
        )
    return marks


def passage_question_ids(*, sentence_index: int) -> frozenset[int]:
    """Return the active questions whose passage touches the given sentence."""
    return frozenset(
        q.id
        for q in bank_current().active
        if sentence_index in passage_sentences(q.passage_offset, len(q.passage))
    )
