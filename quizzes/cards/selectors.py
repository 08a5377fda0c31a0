"""Reads of a learner's cards as a list: the cards page, one card, and what is held now."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Q

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank, QuestionData
from quizzes.cards.search import rows_matching
from quizzes.enums import CardFilterState, HoldKind
from quizzes.models import CardHold, CardState, StudyProfile
from quizzes.rules import ankistats, scheduling
from quizzes.rules.days import DayClock, day_of
from quizzes.rules.scheduling import CARD_FIELDS, CardValues, Schedule
from quizzes.rules.search import Term
from quizzes.statements import rows_values


@dataclass(frozen=True)
class Hold:
    """A bury or suspension in effect on one of the learner's cards."""

    kind: HoldKind
    until: datetime | None

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def is_suspended(self) -> bool:
        return self.kind == HoldKind.SUSPEND

    @property
    def is_buried(self) -> bool:
        return self.kind == HoldKind.BURY


# The columns of a learner's holds that say which hold now (holds_read).
HOLD_FIELDS = ("question_id", "kind", "until")


def holds_in_effect(*, user: User, now: datetime) -> dict[int, Hold]:
    """Map each question the learner holds now (buried until later, or suspended) to its hold.
    Read without the ORM's compiling (every quiz start reads them): a learner holds one row a
    question at most, so the buries that have ended are left out here rather than in SQL."""
    return holds_read(rows_values(CardHold, HOLD_FIELDS, user_id=user.pk), now)


def holds_read(rows: list[Any], now: datetime) -> dict[int, Hold]:
    """holds_in_effect of the learner's holds as read (their HOLD_FIELDS)."""
    return {
        row.question_id: Hold(HoldKind(row.kind), row.until)
        for row in rows
        if hold_in_effect(row.until, now)
    }


def hold_in_effect(until: datetime | None, now: datetime) -> bool:
    """Whether a hold lasting `until` (None: a suspension, until lifted) holds at `now`; the
    study queue's statement reads the same holds in SQL (queue._QUEUE_SQL's held_ids)."""
    return until is None or until > now


def hold_in_effect_q(now: datetime) -> Q:
    """hold_in_effect as a CardHold filter."""
    return Q(until__isnull=True) | Q(until__gt=now)


@dataclass(frozen=True)
class CardRow:
    """One card of the learner as the cards page lists it."""

    question: QuestionData
    memory: CardFilterState  # new, learning, review or relearning
    hold: Hold | None
    is_leech: bool
    due: datetime | None
    stability: float | None
    difficulty: float | None
    recall: float | None
    lapses: int
    reviews: int
    # The scheduled interval in whole days, due minus last review (0 for a card in learning
    # steps), as Anki's "ivl"; None for a new card.
    interval_days: int | None = None
    # Due within the learner's today: the page shows the time, not only the date.
    due_is_today: bool = False
    # Due already: the page says "now". (Before the day's start hour, "today, 04:00" read as
    # the coming 04:00 while it meant the learner's today's, hours gone: an outside tester.)
    due_now: bool = False
    # Days from the learner's today to the due day (negative: overdue), None for a new card.
    due_in_days: int | None = None

    @property
    def is_suspended(self) -> bool:
        return self.hold is not None and self.hold.is_suspended

    @property
    def memory_label(self) -> str:
        return self.memory.label

    def is_in(self, state: CardFilterState) -> bool:
        """Say if the card is in the cards page's filter `state`."""
        match state:
            case CardFilterState.SUSPENDED:
                return self.is_suspended
            case CardFilterState.BURIED:
                return self.hold is not None and self.hold.is_buried
            case CardFilterState.LEECH:
                return self.is_leech
        return self.memory == state


_CARD_COLUMNS = ("question_id", "is_leech", *CARD_FIELDS)


@dataclass(frozen=True)
class LearnerCards:
    """The learner's schedule and their card rows (of _CARD_COLUMNS) by question."""

    schedule: Schedule
    cards: dict[int, Any]


def learner_cards(*, user: User, question_ids: frozenset[int] | None = None) -> LearnerCards:
    """Read the learner's cards with their schedule, in one query: each card row carries its
    learner's profile columns (a LEFT JOIN; empty without a saved profile, when StudyProfile's
    defaults apply). Without cards no recall is computed, and the defaults stand in."""
    states = CardState.objects.filter(user=user)
    if question_ids is not None:
        states = states.filter(question_id__in=sorted(question_ids))
    rows = list(
        states.annotate(
            retention=F("user__study_profile__desired_retention"),
            own_parameters=F("user__study_profile__parameters"),
            zone=F("user__study_profile__time_zone"),
            day_starts_at=F("user__study_profile__day_starts_at"),
        ).values_list(
            "retention", "own_parameters", "zone", "day_starts_at", *_CARD_COLUMNS, named=True
        )
    )
    profile = StudyProfile()
    if rows and rows[0].retention is not None:
        # Recall depends on the days since the last review: the learner's days.
        profile = StudyProfile(
            desired_retention=rows[0].retention,
            parameters=rows[0].own_parameters,
            time_zone=rows[0].zone,
            day_starts_at=rows[0].day_starts_at,
        )
    return LearnerCards(schedule=profile.schedule, cards={row.question_id: row for row in rows})


def _row(
    question: QuestionData,
    card: Any,
    hold: Hold | None,
    *,
    recall: Callable[[Any], float],
    today: date,
    clock: DayClock,
    now: datetime,
) -> CardRow:
    """One card of the list; `card` is its row of _CARD_COLUMNS, None if never reviewed.
    `recall` is the learner's recall now (scheduling.recall_at), `today` their day now."""
    if card is None:
        return CardRow(
            question=question,
            memory=CardFilterState.NEW,
            hold=hold,
            is_leech=False,
            due=None,
            stability=None,
            difficulty=None,
            recall=None,
            lapses=0,
            reviews=0,
        )
    values = CardValues.read(card)
    due_day = None if values.due is None else day_of(values.due, clock)
    # Anki's ivl, as the rating button said it (a learning step is 0 days), and never negative:
    # a card whose due date was set before its last review is due at once, 0 days (as the
    # statistics' intervals chart counts it).
    interval = None
    if values.due is not None and values.last_review is not None:
        given = ankistats.interval_given(
            values.state, due=values.due, since=values.last_review, clock=clock
        )
        interval = max(0, given.days)
    return CardRow(
        question=question,
        memory=CardFilterState.of_memory(values.state),
        hold=hold,
        is_leech=card.is_leech,
        due=values.due,
        stability=values.stability,
        difficulty=values.difficulty,
        recall=recall(values),
        lapses=values.lapses,
        reviews=values.reps,
        interval_days=interval,
        due_is_today=due_day == today,
        due_now=values.due is not None and values.due <= now,
        due_in_days=None if due_day is None else (due_day - today).days,
    )


def card_rows(
    *, user: User, now: datetime, bank: Bank, question_ids: frozenset[int] | None = None
) -> list[CardRow]:
    """Every active card of the learner in the bank's order, new ones included, their recall by
    the learner's schedule: two queries, bounded by the bank's size (a learner has at most one
    card state per question)."""
    learner = learner_cards(user=user, question_ids=question_ids)
    return _rows(learner, user=user, now=now, bank=bank, question_ids=question_ids)


def _rows(
    learner: "LearnerCards",
    *,
    user: User,
    now: datetime,
    bank: Bank,
    question_ids: frozenset[int] | None = None,
) -> list[CardRow]:
    schedule, cards = learner.schedule, learner.cards
    holds = holds_in_effect(user=user, now=now)
    questions = bank.active
    if question_ids is not None:
        questions = tuple(q for q in questions if q.id in question_ids)
    recall = scheduling.recall_at(now=now, schedule=schedule)
    today = day_of(now, schedule.day)
    return [
        _row(
            q,
            cards.get(q.id),
            holds.get(q.id),
            recall=recall,
            today=today,
            clock=schedule.day,
            now=now,
        )
        for q in questions
    ]


# The columns the cards page sorts by, each with how to read it from a row.
SORT_KEYS: dict[str, Callable[[CardRow], Any]] = {
    "position": lambda r: r.question.position,
    "prompt": lambda r: r.question.display_prompt.casefold(),
    "category": lambda r: r.question.category_name,
    "state": lambda r: r.memory_label,
    "due": lambda r: r.due,
    "stability": lambda r: r.stability,
    "difficulty": lambda r: r.difficulty,
    "recall": lambda r: r.recall,
    "lapses": lambda r: r.lapses,
    "reviews": lambda r: r.reviews,
}


def cards_sorted(rows: list[CardRow], *, sort: str) -> list[CardRow]:
    """Sort by a SORT_KEYS column, "-column" for descending; cards without a value come last."""
    column = sort.removeprefix("-")
    key = SORT_KEYS[column]
    known = [r for r in rows if key(r) is not None]
    unknown = [r for r in rows if key(r) is None]
    known.sort(key=lambda r: (key(r), r.question.position), reverse=sort.startswith("-"))
    return known + unknown


def cards_list(
    *,
    user: User,
    now: datetime,
    bank: Bank,
    category_slug: str = "",
    state: CardFilterState | None = None,
    terms: tuple[Term, ...] = (),
    sort: str = "position",
) -> list[CardRow]:
    """The learner's cards filtered by category, state and the search's terms, then sorted."""
    learner = learner_cards(user=user)
    rows = _rows(learner, user=user, now=now, bank=bank)
    if category_slug:
        rows = [r for r in rows if r.question.category_slug == category_slug]
    if state:
        rows = [r for r in rows if r.is_in(state)]
    if terms:
        rows = rows_matching(rows, terms, user=user, now=now, clock=learner.schedule.day)
    return cards_sorted(rows, sort=sort)


def card_row(*, user: User, now: datetime, bank: Bank, question_id: int) -> CardRow | None:
    """One active card of the learner, or None if the question is not in the bank."""
    rows = card_rows(user=user, now=now, bank=bank, question_ids=frozenset([question_id]))
    return rows[0] if rows else None
