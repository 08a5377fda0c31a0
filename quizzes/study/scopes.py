"""Study scopes: which cards a session draws from (all, a category, a quiz's misses, a passage)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from learnfrl.accounts.users import User
from learnfrl.parsing import ascii_id
from quizzes import limits
from quizzes.bank.cache import Bank
from quizzes.cards.selectors import hold_in_effect_q
from quizzes.enums import AttemptState, MemoryState, ReviewOrigin
from quizzes.models import CardHold, CardState, QuizAttempt, ReviewLog
from quizzes.rules import days
from quizzes.study.selectors import study_profile

AHEAD_PREFIX = "ahead:"
MISSED_PREFIX = "missed:"
PASSAGE_PREFIX = "passage:"
# A passage chosen from the article is studied now: cards reviewed before this long ago count.
PASSAGE_FRESHNESS = timedelta(minutes=10)


@dataclass(frozen=True)
class Scope:
    """Which cards a study session draws from: all, one category, or the misses of one quiz."""

    key: str = ""
    name: str = ""
    url: str = ""
    category_slug: str | None = None
    question_ids: frozenset[int] | None = None
    offer_reviewed_before: datetime | None = None
    # Chosen cards (a quiz's misses, a passage) are gone through whole, as Anki's custom study
    # goes through its cards: the daily limits do not stop them.
    ignores_limits: bool = False
    # Review ahead: why no card is left to offer ("" while one is), and whether the learner has
    # reviewed none of its cards ahead today, when its page must not say they went through them.
    none_left: str = ""
    none_reviewed: bool = False

    @property
    def none_offered(self) -> str:
        """Why a session of chosen cards has offered the learner nothing today (said instead of
        "That was all of them"), or "" if it has offered or still offers some."""
        return self.none_left if self.none_reviewed else ""


def scope_everything() -> Scope:
    return Scope(url=reverse("quizzes:study"))


def _scope_missed(user: User, key: str) -> Scope:
    attempt_id = ascii_id(key.removeprefix(MISSED_PREFIX))
    if attempt_id is None:
        raise Http404("No such quiz.")
    attempt = get_object_or_404(QuizAttempt, pk=attempt_id, user=user, state=AttemptState.FINISHED)
    missed = attempt.answers.exclude(is_correct=True).values_list("question_id", flat=True)
    return Scope(
        key=key,
        name=f"the questions you missed in quiz {attempt.pk}",
        url=reverse("quizzes:study_missed", args=[attempt.pk]),
        question_ids=frozenset(missed),
        # Missed cards are offered even before they are due, once each after the quiz.
        offer_reviewed_before=attempt.finished_at,
        ignores_limits=True,
    )


def _scope_passage(bank: Bank, key: str, now: datetime) -> Scope:
    index = ascii_id(key.removeprefix(PASSAGE_PREFIX))
    ids = None if index is None else bank.questions_touching(index)
    if not ids:
        raise Http404("No questions come from that passage.")
    return Scope(
        key=key,
        name="one passage of the article",
        url=reverse("quizzes:study_passage", args=[index]),
        question_ids=ids,
        # A passage chosen from the article is studied now, each card once, due or not.
        offer_reviewed_before=now - PASSAGE_FRESHNESS,
        ignores_limits=True,
    )


def _scope_ahead(user: User, key: str, now: datetime) -> Scope:
    """Custom study's "review ahead": the learner's review cards not due yet but due by the end
    of their day `days` days from today, each once today (logged as reviewed ahead)."""
    days_ahead = ascii_id(key.removeprefix(AHEAD_PREFIX))
    if days_ahead is None or not 1 <= days_ahead <= limits.REVIEW_AHEAD_DAYS_MAX:
        raise Http404("Review ahead takes a number of days.")
    clock = study_profile(user=user).day
    today = days.day_of(now, clock)
    until = days.start_of(today + timedelta(days=days_ahead + 1), clock)
    start = days.start_of(today, clock)
    # The cards due by then, and those reviewed ahead today (one forgotten comes back through
    # its relearning steps in the same session).
    # Cards due now are the ordinary queue's; these are the ones not due yet.
    held = CardHold.objects.filter(hold_in_effect_q(now), user=user, question=OuterRef("question"))
    due = CardState.objects.filter(
        user=user, state=MemoryState.REVIEW, due__gt=now, due__lt=until
    ).annotate(held=Exists(held))
    cards = [_AheadCard(*row) for row in due.values_list("question_id", "last_review", "held")]
    ahead_today = ReviewLog.objects.filter(
        user=user, origin=ReviewOrigin.AHEAD, reviewed_at__gte=start
    )
    reviewed_ahead = set(ahead_today.values_list("question_id", flat=True))
    ids = {card.question_id for card in cards} | reviewed_ahead
    within = "the next day" if days_ahead == 1 else f"the next {days_ahead} days"
    return Scope(
        key=key,
        name=f"your cards due in {within}",
        url=reverse("quizzes:study_ahead", args=[days_ahead]),
        question_ids=frozenset(ids),
        offer_reviewed_before=start,
        ignores_limits=True,
        none_left=_ahead_none_left(cards, within, start),
        none_reviewed=not reviewed_ahead,
    )


class _AheadCard(NamedTuple):
    """A review card due within the days of a review ahead: whether it is held (buried or
    suspended), and when it was last reviewed."""

    question_id: int
    last_review: datetime | None
    held: bool


def _ahead_none_left(cards: list[_AheadCard], within: str, start: datetime) -> str:
    """Why review ahead has none of `cards` to offer, or "" if it has one: it offers each card
    once a day, as the queue does (not reviewed since the day's start), and none held."""
    offered = [c for c in cards if not c.held and c.last_review and c.last_review <= start]
    if offered:
        return ""
    if not cards:
        return f"None of your cards is due in {within}."
    held = sum(card.held for card in cards)
    reviewed = len(cards) - held
    come_back = "review ahead shows a card once a day, so come back tomorrow"
    if not held:
        if reviewed == 1:
            return f"Your card due in {within} was reviewed today, and {come_back}."
        return f"Your {reviewed} cards due in {within} were all reviewed today, and {come_back}."
    if not reviewed:
        if held == 1:
            return f"Your card due in {within} is suspended or buried."
        return f"Your {held} cards due in {within} are all suspended or buried."
    return (
        f"Of your {len(cards)} cards due in {within}, {_count(reviewed, 'was', 'were')} "
        f"reviewed today ({come_back}) and {_count(held, 'is', 'are')} suspended or buried."
    )


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def scope_resolve(*, user: User, bank: Bank, key: str, now: datetime) -> Scope:
    """Read a scope key ("", a category slug, "missed:<attempt id>" or "passage:<sentence>");
    raise Http404 if it names nothing of the learner's."""
    if not key:
        return scope_everything()
    if key.startswith(MISSED_PREFIX):
        return _scope_missed(user, key)
    if key.startswith(PASSAGE_PREFIX):
        return _scope_passage(bank, key, now)
    if key.startswith(AHEAD_PREFIX):
        return _scope_ahead(user, key, now)
    category = bank.category(key)
    if category is None:
        raise Http404("No such category.")
    return Scope(
        key=key,
        name=category.name,
        url=reverse("quizzes:study_category", args=[key]),
        category_slug=key,
    )


def scope_resolve_or_everything(*, user: User, bank: Bank, key: str, now: datetime) -> Scope:
    """Read a scope key as `scope_resolve` does, falling back to every card when it names nothing
    (any more): for the way back to studying after an action, which a 404 must not undo."""
    try:
        return scope_resolve(user=user, bank=bank, key=key, now=now)
    except Http404:
        return scope_everything()
