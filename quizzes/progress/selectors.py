"""Reads of progress: the dashboard's figures and the article marked by what the learner knows."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Q

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank, QuestionData, bank_current
from quizzes.cards.selectors import Hold, holds_in_effect
from quizzes.enums import AttemptState, CardFilterState, HoldKind, Mastery, MemoryState, Rating
from quizzes.models import CardState, QuizAttempt, ReviewLog
from quizzes.rules import scheduling, stats
from quizzes.rules.article import passage_sentences, sentences
from quizzes.rules.days import DayClock, day_of, day_start, day_trunc
from quizzes.rules.scheduling import RECALL_FIELDS, Schedule

FORECAST_DAYS = 30
RETENTION_WINDOW = timedelta(days=30)
QUIZ_SCORES_SHOWN = 20


@dataclass(frozen=True)
class CategoryMastery:
    slug: str
    name: str
    total: int
    seen: int
    mean_recall: float
    review_share: float


@dataclass(frozen=True)
class QuizScore:
    """A finished quiz on the dashboard's chart of scores."""

    pk: int
    started_at: datetime
    score: int
    length: int

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.length) if self.length else 0


class Recall(NamedTuple):
    """A seen card on the dashboard: its state, its recall now, and when it is due."""

    state: int
    recall: float
    due: datetime


@dataclass(frozen=True)
class ProgressSummary:
    today: date
    by_state: dict[CardFilterState, int]
    # The suspended and buried cards (counted once above, as held) by their memory state.
    held_by_state: dict[CardFilterState, int]
    due_today: int
    due_tomorrow: int
    forecast: list[stats.DueDay]
    reviews_by_day: dict[date, int]
    total_reviews: int
    streak_current: int
    streak_longest: int
    daily_goal: int
    today_reviews: int
    goal_streak: int
    retention: float | None
    retention_reviews: int
    mastery: list[CategoryMastery]
    quiz_scores: list["QuizScore"]
    readiness: float
    active_total: int
    leeches: list[QuestionData]

    @property
    def goal_left(self) -> int:
        """Reviews still to do today to reach the daily goal (0 once reached, or with no goal)."""
        return max(0, self.daily_goal - self.today_reviews)

    @property
    def states_legend(self) -> list[tuple[CardFilterState, int, int]]:
        """Each state, its count, and how many more cards in that state are held: the card
        browser's State filter counts those too, so its New is this New plus them."""
        return [
            (state, count, self.held_by_state.get(state, 0))
            for state, count in self.by_state.items()
        ]


def _recalls(
    user: User, now: datetime, bank: Bank, schedule: Schedule, leeches: set[int] | None = None
) -> dict[int, Recall]:
    """Map each active question the learner has seen to its state, recall now (by the
    learner's schedule) and due time; collect the leeches among them into `leeches` if given."""
    result = {}
    rows = CardState.objects.filter(user=user).values_list(
        "question_id", "is_leech", "state", "due", *RECALL_FIELDS, named=True
    )
    recall_now = scheduling.recall_at(now=now, schedule=schedule)
    for row in rows:
        question = bank.questions.get(row.question_id)
        if question is None or not question.is_active:
            continue
        result[row.question_id] = Recall(row.state, recall_now(row), row.due)
        if row.is_leech and leeches is not None:
            leeches.add(row.question_id)
    return result


def _reviews_by_day(*, user: User, day_began: datetime, clock: DayClock) -> dict[date, int]:
    """Count the learner's reviews per day, grouped in the database.

    Reviews are only ever added now, so the days before today do not change: their counts are
    cached per process under a key that includes how many reviews came before today (so an Undo
    that reaches back past midnight is noticed). Only today's count is read on every request.
    """
    before = ReviewLog.objects.filter(user=user, reviewed_at__lt=day_began).count()
    key = f"learnfrl:reviews-by-day:{user.pk}:{clock.zone}:{day_began.isoformat()}:{before}"
    past: dict[date, int] | None = cache.get(key)
    if past is None:
        rows = (
            ReviewLog.objects.filter(user=user, reviewed_at__lt=day_began)
            .annotate(day=day_trunc("reviewed_at", clock, until=day_began))
            .values("day")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        past = {row["day"]: row["n"] for row in rows}
        cache.set(key, past, timeout=26 * 60 * 60)
    today_count = ReviewLog.objects.filter(user=user, reviewed_at__gte=day_began).count()
    if today_count:
        return {**past, day_of(day_began, clock): today_count}
    return past


def _due_days(cards: dict[int, Recall], holds: dict[int, Hold], clock: DayClock) -> list[date]:
    """The local day each card is due on: a buried card not before its bury ends, a suspended
    card never."""
    days = []
    for question_id, card in cards.items():
        hold = holds.get(question_id)
        if hold is None:
            days.append(day_of(card.due, clock))
        elif hold.kind == HoldKind.BURY and hold.until is not None:
            days.append(day_of(max(card.due, hold.until), clock))
    return days


def _by_state(
    cards: dict[int, Recall], bank: Bank, holds: dict[int, Hold]
) -> tuple[dict[CardFilterState, int], dict[CardFilterState, int]]:
    """Count the active cards by state: new (never seen), learning, review, relearning; a buried
    or suspended card counts as such. And, apart, the held ones by the state they are held in
    (the card browser's State filter counts them there too)."""
    counts = dict.fromkeys(
        [
            CardFilterState.NEW,
            *(CardFilterState.of_memory(state) for state in MemoryState),
            CardFilterState.SUSPENDED,
            CardFilterState.BURIED,
        ],
        0,
    )
    held_in: dict[CardFilterState, int] = {}
    for question in bank.active:
        card = cards.get(question.id)
        state = CardFilterState.NEW if card is None else CardFilterState.of_memory(card.state)
        hold = holds.get(question.id)
        if hold is not None:
            held = hold.kind == HoldKind.SUSPEND
            counts[CardFilterState.SUSPENDED if held else CardFilterState.BURIED] += 1
            held_in[state] = held_in.get(state, 0) + 1
        else:
            counts[state] += 1
    return counts, held_in


class _Retention(NamedTuple):
    share: float | None
    reviews: int


def _retention(user: User, now: datetime) -> _Retention:
    """The share of the last 30 days' reviews of learned cards that were not rated Again."""
    recent = ReviewLog.objects.filter(
        user=user, reviewed_at__gte=now - RETENTION_WINDOW, state_before=MemoryState.REVIEW
    ).aggregate(total=Count("id"), passed=Count("id", filter=~Q(rating=Rating.AGAIN)))
    total = recent["total"]
    return _Retention(recent["passed"] / total if total else None, total)


def _mastery(cards: dict[int, Recall], bank: Bank) -> list[CategoryMastery]:
    """Per category: mean recall now (unseen counting zero) and the share of cards in review."""
    mastery = []
    for category in bank.categories:
        questions = [q for q in bank.active if q.category_slug == category.slug]
        if not questions:
            continue
        seen = [cards[q.id] for q in questions if q.id in cards]
        in_review = sum(1 for card in seen if card.state == MemoryState.REVIEW)
        mastery.append(
            CategoryMastery(
                slug=category.slug,
                name=category.name,
                total=len(questions),
                seen=len(seen),
                mean_recall=sum(card.recall for card in seen) / len(questions),
                review_share=in_review / len(questions),
            )
        )
    return mastery


def _quiz_scores(user: User) -> list[QuizScore]:
    """The learner's last finished quizzes, oldest first."""
    attempts = (
        QuizAttempt.objects.filter(user=user, state=AttemptState.FINISHED)
        .order_by("-started_at")
        .values_list("pk", "started_at", "score", "length")[:QUIZ_SCORES_SHOWN]
    )
    return [QuizScore(*attempt) for attempt in reversed(attempts)]


def progress_summary(
    *,
    user: User,
    now: datetime,
    schedule: Schedule,
    forecast_days: int = FORECAST_DAYS,
    daily_goal: int = 0,
    bank: Bank | None = None,
    holds: dict[int, Hold] | None = None,
) -> ProgressSummary:
    """Gather the dashboard's figures: card states in Python (bounded by the bank), reviews
    aggregated by day in the database; recall by the learner's schedule. The bank and the holds
    in effect are read unless the caller has them already."""
    bank = bank_current() if bank is None else bank
    today = day_of(now, schedule.day)
    leech_ids: set[int] = set()
    cards = _recalls(user, now, bank, schedule, leech_ids)
    holds = holds_in_effect(user=user, now=now) if holds is None else holds
    upcoming = stats.forecast(
        _due_days(cards, holds, schedule.day), today, days=max(2, forecast_days)
    )
    reviews_by_day = _reviews_by_day(
        user=user, day_began=day_start(now, schedule.day), clock=schedule.day
    )
    streaks = stats.streaks(reviews_by_day, today)
    retention = _retention(user, now)
    recall_total = sum(card.recall for card in cards.values())
    by_state, held_by_state = _by_state(cards, bank, holds)
    return ProgressSummary(
        today=today,
        by_state=by_state,
        held_by_state=held_by_state,
        due_today=upcoming[0].cards if upcoming else 0,
        due_tomorrow=upcoming[1].cards if len(upcoming) > 1 else 0,
        forecast=upcoming,
        reviews_by_day=reviews_by_day,
        total_reviews=sum(reviews_by_day.values()),
        streak_current=streaks.current,
        streak_longest=streaks.longest,
        daily_goal=daily_goal,
        today_reviews=reviews_by_day.get(today, 0),
        goal_streak=stats.goal_streak(reviews_by_day, today, daily_goal),
        retention=retention.share,
        retention_reviews=retention.reviews,
        mastery=_mastery(cards, bank),
        quiz_scores=_quiz_scores(user),
        readiness=recall_total / len(bank.active) if bank.active else 0.0,
        active_total=len(bank.active),
        leeches=[q for q in bank.active if q.id in leech_ids],
    )


@dataclass(frozen=True)
class SentenceMark:
    index: int
    text: str
    questions: int
    level: Mastery | None
    # The mean recall now of the questions seen (`seen` of them): None with none seen.
    recall: float | None
    seen: int = 0
    suspended: int = 0
    buried: int = 0

    @property
    def level_label(self) -> str:
        return self.level.label.lower() if self.level else ""

    @property
    def is_unseen(self) -> bool:
        return self.level == Mastery.UNSEEN


def article_map(*, user: User, now: datetime, schedule: Schedule) -> list[SentenceMark]:
    """Mark each sentence of the article with how well the learner knows its questions (recall
    by the learner's schedule)."""
    bank = bank_current()
    cards = _recalls(user, now, bank, schedule)
    holds = holds_in_effect(user=user, now=now)
    by_sentence: dict[int, list[int]] = {}
    for question in bank.active:
        for index in passage_sentences(question.passage_offset, len(question.passage)):
            by_sentence.setdefault(index, []).append(question.id)
    marks = []
    for sentence in sentences():
        ids = by_sentence.get(sentence.index, [])
        known = [stats.Known(cards[i].state, cards[i].recall) if i in cards else None for i in ids]
        seen = sum(1 for k in known if k is not None)
        marks.append(
            SentenceMark(
                index=sentence.index,
                text=sentence.text,
                questions=len(ids),
                level=stats.mastery_level(known) if ids else None,
                seen=seen,
                recall=stats.seen_recall(known) if seen else None,
                suspended=sum(1 for i in ids if i in holds and holds[i].kind == HoldKind.SUSPEND),
                buried=sum(1 for i in ids if i in holds and holds[i].kind == HoldKind.BURY),
            )
        )
    return marks
