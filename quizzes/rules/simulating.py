"""What a desired retention costs: a seeded workload simulator. Pure.

For each desired retention on a grid, the learner's cards (as they stand now) and the cards they
have not started are played forward day by day under their parameters and daily limits: each due
card is recalled with the probability fsrs gives it, rated, and its memory and next interval are
updated by the FSRS model. The result is the ratings per day over the next 30 and 365 days, the
cards expected to be remembered then (the sum of every card's recall probability), and the
retention that buys the most remembered cards per rating: the suggestion.

Why not fsrs-rs's simulator: its Python binding starts every run from an empty deck (`simulate`
takes no cards), and the page is about this learner's cards. Its `next_states` does the memory
updates here (see `_Run`); py-fsrs gives the forgetting curve and the number of same-day steps.

Simplifications, the same at every retention: a day's reviews happen at one moment (same-day
steps at zero elapsed days, as fsrs counts a same-day review); after Again, or on a new card's
first day, the card goes through its steps as fsrs-rs's simulator (Anki's) plays them: each step's
rating drawn from the step-to-step rating odds of Anki users at large, until as many successes in
a row as there are steps (`_through_steps`); a card that is in its steps now passes them with one
Good; fuzz is off (it spreads due dates, it does not change their average). A card counts as one
review on a day however many steps it took, as fsrs-rs counts (`learn_cnt` and `review_cnt`):
the figure is cards studied a day, not button presses; the daily maximum counts those too, due
cards first, as the study queue does. Each card draws
from its own seeded random stream, the same at every retention, so the curves differ by the
retention rather than by luck.
"""

import hashlib
import heapq
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from statistics import fmean
from typing import NamedTuple

import fsrs
import fsrs_rs_python as fsrs_rs

from quizzes.enums import MemoryState, Rating
from quizzes.limits import (
    MAX_REVIEWS_PER_DAY_DEFAULT,
    MIN_RATINGS_FOR_ODDS,
    NEW_PER_DAY_DEFAULT,
    SIMULATED_DAYS_LONG,
    SIMULATED_DAYS_SHORT,
    SIMULATED_RETENTIONS,
)
from quizzes.rules.days import DayClock, day_of, elapsed_days
from quizzes.rules.optimizing import History, review_deltas
from quizzes.rules.scheduling import CardValues

RETENTIONS = SIMULATED_RETENTIONS
SHORT, LONG = SIMULATED_DAYS_SHORT, SIMULATED_DAYS_LONG
# A fixed origin: the simulation depends on the cards' day counts only, never on the clock.
ORIGIN = datetime(2001, 1, 1, 12, 0, tzinfo=UTC)


class SimCard(NamedTuple):
    """A started card as the simulator sees it: whole days, rounded memory."""

    state: int
    step: int | None
    stability: float
    difficulty: float
    days_since_review: int
    due_in_days: int


@dataclass(frozen=True)
class Limits:
    new_per_day: int = NEW_PER_DAY_DEFAULT
    max_reviews_per_day: int = MAX_REVIEWS_PER_DAY_DEFAULT


@dataclass(frozen=True)
class RatingOdds:
    """How the learner rates: a new card's first rating, and a recalled card's Hard/Good/Easy.

    The defaults are fsrs-rs's simulator defaults (Anki users at large).
    """

    first: tuple[float, ...] = (0.24, 0.094, 0.495, 0.171)
    recalled: tuple[float, ...] = (0.224, 0.631, 0.145)


def _proportions(counts: Sequence[int]) -> tuple[float, ...]:
    total = sum(counts)
    return tuple(round(count / total, 3) for count in counts)


def rating_odds(history: History, day: DayClock, *, now: datetime) -> RatingOdds:
    """The learner's own rating habits from their review log, where there are enough ratings.

    First ratings of their cards, and Hard/Good/Easy among reviews on a later day that they
    recalled (same-day steps are not counted: the simulator plays those as Good).
    """
    firsts = [0, 0, 0, 0]
    recalled = [0, 0, 0]
    for reviews in history.values():
        ordered = sorted(reviews)
        if ordered:
            firsts[ordered[0].rating - 1] += 1
        for review, delta in zip(ordered, review_deltas(ordered, day, now=now), strict=True):
            if delta > 0 and review.rating != Rating.AGAIN:
                recalled[review.rating - 2] += 1
    default = RatingOdds()
    return RatingOdds(
        first=_proportions(firsts) if sum(firsts) >= MIN_RATINGS_FOR_ODDS else default.first,
        recalled=_proportions(recalled)
        if sum(recalled) >= MIN_RATINGS_FOR_ODDS
        else default.recalled,
    )


@dataclass(frozen=True)
class Outcome:
    """One desired retention's simulated future."""

    desired_retention: float
    reviews_per_day_short: float
    reviews_per_day_long: float
    remembered_short: float
    remembered_long: float

    @property
    def remembered_per_review(self) -> float:
        total = self.reviews_per_day_long * LONG
        return self.remembered_long / total if total else 0.0


@dataclass(frozen=True)
class Workload:
    outcomes: tuple[Outcome, ...]
    suggestion: float | None  # the retention with the most remembered cards per rating


def sim_cards(cards: Iterable[CardValues], *, now: datetime, day: DayClock) -> tuple[SimCard, ...]:
    """The learner's started cards, in the learner's days from `now` and with rounded memory."""
    started = []
    for card in cards:
        if card.is_new or card.stability is None or card.difficulty is None:
            continue
        assert card.last_review is not None
        assert card.due is not None
        started.append(
            SimCard(
                state=card.state,
                step=card.step,
                stability=float(f"{card.stability:.3g}"),  # three figures, however small
                difficulty=round(card.difficulty, 2),
                days_since_review=elapsed_days(card.last_review, now, day),
                due_in_days=max(0, (day_of(card.due, day) - day_of(now, day)).days),
            )
        )
    return tuple(sorted(started))


@dataclass(frozen=True)
class Inputs:
    """Everything a simulation depends on; `cache_key` changes exactly when one of them does."""

    cards: tuple[SimCard, ...]
    new_cards: int
    parameters: tuple[float, ...]
    limits: Limits = Limits()
    odds: RatingOdds = RatingOdds()
    retentions: tuple[float, ...] = RETENTIONS
    # The suggestion is chosen within this range (the settings form may allow less than the grid).
    suggest_within: tuple[float, float] = (RETENTIONS[0], RETENTIONS[-1])
    seed: int = 0
    # Runs averaged per retention. One run of a 182-card learner has a standard deviation of
    # about a tenth of its reviews per day; each sample costs as much time as the first.
    samples: int = 1

    @property
    def cache_key(self) -> str:
        data = asdict(self)
        data["cards"] = sorted(self.cards)
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        # Workloads are cached pickled: the version changes when their classes move or change.
        return f"workload:v3:{digest[:32]}"


class _Day(NamedTuple):
    ratings: int
    new_started: int


# fsrs-rs's cap on the steps one card takes in a day (simulation.rs, MAX_STEPS).
MAX_STEPS = 5
RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)


class _Steps(NamedTuple):
    """The scheduler's steps, and the odds of each rating on a step after the one before."""

    learning: int
    relearning: int
    learning_odds: tuple[tuple[float, ...], ...]
    relearning_odds: tuple[tuple[float, ...], ...]


@lru_cache(maxsize=1)
def _steps() -> _Steps:
    """How many learning and relearning steps our scheduler has (py-fsrs's), and fsrs-rs's
    simulator's step-to-step rating odds (rows: after Again, Hard, Good)."""
    scheduler, config = fsrs.Scheduler(), fsrs_rs.default_simulator_config()
    return _Steps(
        learning=len(scheduler.learning_steps),
        relearning=len(scheduler.relearning_steps),
        learning_odds=tuple(tuple(row) for row in config.learning_step_transitions),
        relearning_odds=tuple(tuple(row) for row in config.relearning_step_transitions),
    )


def _outcome(states: fsrs_rs.NextStates, rating: int) -> fsrs_rs.ItemState:
    outcomes: dict[int, fsrs_rs.ItemState] = {
        Rating.AGAIN: states.again,
        Rating.HARD: states.hard,
        Rating.GOOD: states.good,
        Rating.EASY: states.easy,
    }
    return outcomes[rating]


class _Run:
    """One desired retention played forward, day by day.

    Memory states come from fsrs-rs's `next_states` (the model the optimizer fits; it agrees with
    py-fsrs to 32-bit rounding) because it is some twenty times faster than a py-fsrs review and a
    page needs a run per retention; recall probabilities come from py-fsrs's forgetting curve.
    """

    def __init__(
        self, parameters: Sequence[float], retention: float, odds: RatingOdds, seed: str
    ) -> None:
        self.model = fsrs_rs.FSRS(list(parameters))
        self.scheduler = fsrs.Scheduler(parameters=parameters, desired_retention=retention)
        self.retention, self.odds, self.seed = retention, odds, seed
        self.steps = _steps()
        self.memory: list[fsrs_rs.MemoryState | None] = []
        self.last_day: list[int] = []
        self.in_steps: list[bool] = []
        self.rngs: list[random.Random] = []
        self.queue: list[tuple[int, int]] = []  # (due day, card index)
        self.scratch = fsrs.Card(card_id=1, state=fsrs.State.Review, due=ORIGIN)

    def add(self, card: SimCard | None, day: int) -> int:
        index = len(self.memory)
        self.memory.append(fsrs_rs.MemoryState(card.stability, card.difficulty) if card else None)
        self.last_day.append(day - card.days_since_review if card else day)
        self.in_steps.append(card is not None and card.state != MemoryState.REVIEW)
        self.rngs.append(random.Random(f"{self.seed}:{index}"))
        return index

    def recall(self, index: int, day: int) -> float:
        memory = self.memory[index]
        if memory is None:
            return 0.0
        self.scratch.stability = memory.stability
        self.scratch.last_review = ORIGIN + timedelta(days=self.last_day[index])
        return self.scheduler.get_card_retrievability(self.scratch, ORIGIN + timedelta(days=day))

    def _through_steps(
        self, state: fsrs_rs.ItemState, index: int, first: int | None
    ) -> fsrs_rs.ItemState:
        """The card's same-day steps after `first` (a new card's first rating; None after a
        lapse, which counts as Again), as fsrs-rs's `memory_state_short_term` plays them."""
        count, odds = (
            (self.steps.learning, self.steps.learning_odds)
            if first is not None
            else (self.steps.relearning, self.steps.relearning_odds)
        )
        rating = first or Rating.AGAIN
        needed = max(0, count - 1) if rating > Rating.HARD else count
        in_a_row = 0
        for _ in range(MAX_STEPS):
            if in_a_row >= needed or rating >= Rating.EASY:
                break
            rating = self.rngs[index].choices(RATINGS, odds[rating - 1])[0]
            state = _outcome(self.model.next_states(state.memory, self.retention, 0), rating)
            if rating > Rating.HARD:
                in_a_row += 1
            elif rating == Rating.AGAIN:
                in_a_row = 0
        return state

    def rate(self, index: int, rating: int, day: int, *, steps: bool) -> int:
        """Apply `rating` (and, if `steps`, the same-day steps that follow); queue the next
        review. The card counts as one review that day however many steps it took."""
        memory = self.memory[index]
        elapsed = 0 if memory is None else day - self.last_day[index]
        state = _outcome(self.model.next_states(memory, self.retention, elapsed), rating)
        if steps:
            state = self._through_steps(state, index, rating if memory is None else None)
        self.memory[index], self.last_day[index], self.in_steps[index] = state.memory, day, False
        # Rounded as fsrs rounds a review interval: whole days, at least one.
        interval = min(max(1, round(state.interval)), self.scheduler.maximum_interval)
        heapq.heappush(self.queue, (day + interval, index))
        return 1

    def review(self, index: int, day: int) -> int:
        if self.in_steps[index]:
            return self.rate(index, Rating.GOOD, day, steps=False)
        rng = self.rngs[index]
        if rng.random() >= self.recall(index, day):
            return self.rate(index, Rating.AGAIN, day, steps=True)
        return self.rate(
            index,
            rng.choices((Rating.HARD, Rating.GOOD, Rating.EASY), self.odds.recalled)[0],
            day,
            steps=False,
        )

    def start_new(self, day: int) -> int:
        index = self.add(None, day)
        first = self.rngs[index].choices(RATINGS, self.odds.first)[0]
        return self.rate(index, first, day, steps=True)

    def play_day(self, day: int, new_left: int, limits: Limits) -> _Day:
        ratings = 0
        while self.queue and self.queue[0][0] <= day and ratings < limits.max_reviews_per_day:
            ratings += self.review(heapq.heappop(self.queue)[1], day)
        started = 0
        while started < min(new_left, limits.new_per_day) and ratings < limits.max_reviews_per_day:
            ratings += self.start_new(day)
            started += 1
        return _Day(ratings, started)

    def remembered(self, day: int) -> float:
        return sum(self.recall(index, day) for index in range(len(self.memory)))


def _play(desired_retention: float, inputs: Inputs, seed: str) -> Outcome:
    run = _Run(inputs.parameters, desired_retention, inputs.odds, seed)
    for card in inputs.cards:
        heapq.heappush(run.queue, (card.due_in_days, run.add(card, 0)))
    new_left, days, remembered = inputs.new_cards, [], {}
    for day in range(LONG):
        played = run.play_day(day, new_left, inputs.limits)
        new_left -= played.new_started
        days.append(played.ratings)
        if day + 1 in (SHORT, LONG):
            remembered[day + 1] = run.remembered(day + 1)
    return Outcome(
        desired_retention=desired_retention,
        reviews_per_day_short=sum(days[:SHORT]) / SHORT,
        reviews_per_day_long=sum(days) / LONG,
        remembered_short=remembered[SHORT],
        remembered_long=remembered[LONG],
    )


def simulate_retention(desired_retention: float, inputs: Inputs) -> Outcome:
    """Play the learner's next LONG days at one desired retention, averaged over the samples."""
    plays = [
        _play(desired_retention, inputs, f"{inputs.seed}:{sample}")
        for sample in range(inputs.samples)
    ]
    return Outcome(
        desired_retention=desired_retention,
        reviews_per_day_short=fmean(p.reviews_per_day_short for p in plays),
        reviews_per_day_long=fmean(p.reviews_per_day_long for p in plays),
        remembered_short=fmean(p.remembered_short for p in plays),
        remembered_long=fmean(p.remembered_long for p in plays),
    )


def simulate(inputs: Inputs) -> Workload:
    """Every retention of the grid, and the suggestion: most remembered cards per rating."""
    outcomes = tuple(simulate_retention(retention, inputs) for retention in inputs.retentions)
    low, high = inputs.suggest_within
    eligible = [
        o for o in outcomes if low <= o.desired_retention <= high and o.remembered_per_review > 0
    ]
    best = max(eligible, key=lambda o: o.remembered_per_review, default=None)
    return Workload(outcomes=outcomes, suggestion=best.desired_retention if best else None)
