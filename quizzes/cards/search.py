"""The cards page's search, applied: which of the learner's card rows each term of
rules.search matches. The rows are read once (cards_list); only `rated:` asks the database
again, one query per number of days asked."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from learnfrl.accounts.users import User
from quizzes.enums import CardFilterState
from quizzes.models import ReviewLog
from quizzes.rules.days import DayClock, day_of, day_start, day_trunc
from quizzes.rules.search import (
    Compare,
    Condition,
    InCategory,
    Is,
    IsWhat,
    OfKind,
    Prop,
    Rated,
    Term,
    Text,
)

if TYPE_CHECKING:  # the rows' module reads them through this one
    from quizzes.cards.selectors import CardRow

# What each `is:` asks of a card, as Anki's browser means it: learn and review both include
# relearning cards, and a held card is never due.
_MEMORY: dict[IsWhat, frozenset[CardFilterState]] = {
    IsWhat.NEW: frozenset({CardFilterState.NEW}),
    IsWhat.LEARN: frozenset({CardFilterState.LEARNING, CardFilterState.RELEARNING}),
    IsWhat.REVIEW: frozenset({CardFilterState.REVIEW, CardFilterState.RELEARNING}),
}
_HOLDS = {
    IsWhat.SUSPENDED: CardFilterState.SUSPENDED,
    IsWhat.BURIED: CardFilterState.BURIED,
    IsWhat.LEECH: CardFilterState.LEECH,
}


def rated_question_ids(*, user: User, now: datetime, days: int, clock: DayClock) -> frozenset[int]:
    """The questions the learner rated in their last `days` days (today the first), in study
    or a quiz, by the learner's day."""
    first_day = day_of(now, clock) - timedelta(days=days - 1)
    # A bound on the indexed column a day wider than needed; the day itself decides.
    bound = day_start(now, clock) - timedelta(days=days + 1)
    rows = (
        ReviewLog.objects.filter(user=user, reviewed_at__gte=bound)
        .annotate(day=day_trunc("reviewed_at", clock, until=now))
        .filter(day__gte=first_day)
        .values_list("question_id", flat=True)
        .distinct()
    )
    return frozenset(rows)


def _property(row: "CardRow", prop: Prop, now: datetime) -> float | None:
    match prop:
        case Prop.INTERVAL:
            return row.interval_days
        case Prop.DUE:
            return row.due_in_days
    return row.recall


def _matches(
    row: "CardRow", condition: Condition, now: datetime, rated: dict[int, frozenset[int]]
) -> bool:
    match condition:
        case Text(text):
            return text in row.question.display_prompt.casefold()
        case Is(IsWhat.DUE):
            return row.due is not None and row.due <= now and row.hold is None
        case Is(what) if what in _HOLDS:
            return row.is_in(_HOLDS[what])
        case Is(what):
            return row.memory in _MEMORY[what]
        case Rated(days):
            return row.question.id in rated[days]
        case Compare(prop, _operator, _value):
            return condition.holds_for(_property(row, prop, now))
        case InCategory(slug):
            return row.question.category_slug == slug
        case OfKind(kind):
            return row.question.kind == kind
    raise AssertionError(f"unknown condition {condition!r}")


def rows_matching(
    rows: list["CardRow"],
    terms: tuple[Term, ...],
    *,
    user: User,
    now: datetime,
    clock: DayClock,
) -> list["CardRow"]:
    """The rows that every term matches (a negated term: does not match)."""
    rated = {
        term.condition.days: rated_question_ids(
            user=user, now=now, days=term.condition.days, clock=clock
        )
        for term in terms
        if isinstance(term.condition, Rated)
    }
    return [
        row
        for row in rows
        if all(_matches(row, t.condition, now, rated) != t.negated for t in terms)
    ]
