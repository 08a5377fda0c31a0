"""Reads of progress: the dashboard's figures and the article marked by what the learner knows."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from quizzes import progress, scheduling
from quizzes.article import passage_sentences, sentences
from quizzes.bank_cache import Bank, bank_current
from quizzes.enums import AttemptState, MemoryState, Rating
from quizzes.models import (
    CardState,
    QuizAttempt,
    ReviewLog,
)
from quizzes.scheduling import CardValues
from quizzes.study_selectors import day_start


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
