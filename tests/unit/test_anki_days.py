"""Anki's days, checked by Anki: for one review history, the memory (stability, difficulty) our
scheduler computes equals what Anki's own backend (the PyPI `anki` package) computes from the same
revlog, with the learner's zone and rollover hour. No database of ours."""

import itertools
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quizzes.enums import MemoryState, Rating
from quizzes.rules import optimizing, scheduling
from quizzes.rules.days import DayClock, day_of, elapsed_days, next_day_start
from quizzes.rules.optimizing import Review
from quizzes.rules.scheduling import DEFAULT_PARAMETERS, NEW_CARD, Schedule
from tests.support.anki_memory import anki_memories

KYIV = ZoneInfo("Europe/Kyiv")
NEW_YORK = ZoneInfo("America/New_York")
ROLLOVER = 5  # not Anki's default, so that the hour is seen to be read
# Anki's revlog review kinds.
LEARNING, REVIEW, RELEARNING = 0, 1, 2


def generated_history(seed: int, start: datetime) -> list[tuple[datetime, int]]:
    """Reviews of one card at local times all over the clock: the learner lives in Kyiv for a
    few weeks, then in New York. Steps come minutes apart, reviews a day or more apart."""
    rng = random.Random(seed)
    at = start
    reviews: list[tuple[datetime, int]] = []
    for n in range(16):
        zone = KYIV if n < 8 else NEW_YORK
        if n == 8:
            at += timedelta(days=2)  # the move
        # Late evening, around midnight, before and after the rollover, and in the day.
        hour = rng.choice([22, 23, 0, 1, ROLLOVER - 1, ROLLOVER, ROLLOVER + 1, 12, 18])
        local = at.astimezone(zone).replace(hour=hour, minute=rng.randrange(60))
        at = local.astimezone(UTC)
        rating = rng.choices(list(Rating), weights=(15, 10, 65, 10))[0]
        reviews.append((at, rating))
        if rating == Rating.AGAIN or n == 0:
            at += timedelta(minutes=rng.randrange(1, 30))
            reviews.append((at, Rating.GOOD))
        at += timedelta(days=rng.choice([0, 1, 1, 2, 3, 6]), hours=rng.randrange(1, 30))
    return reviews


def revlog_kinds(reviews, schedule: Schedule, now: datetime) -> list[int]:
    """Anki's review kind of each review: the card's state when it was rated."""
    kinds, card = [], NEW_CARD
    reference = next_day_start(now, schedule.day)
    for at, rating in reviews:
        state = MemoryState(card.state)
        kinds.append(
            LEARNING
            if card.is_new or state == MemoryState.LEARNING
            else REVIEW
            if state == MemoryState.REVIEW
            else RELEARNING
        )
        card = scheduling.review(
            card, rating, now=at, schedule=schedule, seed="anki", reference=reference
        )
    return kinds


def anki_memory(reviews, kinds) -> tuple[float, float]:
    """Anki's memory of one history, for a learner in New York whose day starts at ROLLOVER."""
    history = [
        (int(at.timestamp() * 1000), int(rating), kind)
        for (at, rating), kind in zip(reviews, kinds, strict=True)
    ]
    [memory] = anki_memories(
        [history], zone="America/New_York", rollover=ROLLOVER, parameters=DEFAULT_PARAMETERS
    )
    return memory


@pytest.mark.parametrize("seed", range(6))
def test_the_memory_of_a_history_is_ankis(seed):
    now = datetime.now(UTC)
    start = now - timedelta(days=140)
    reviews = generated_history(seed, start)
    clock = DayClock(zone=NEW_YORK, starts_at=ROLLOVER)
    schedule = Schedule(desired_retention=0.9, parameters=DEFAULT_PARAMETERS, day=clock)

    # The history does what it is meant to: same-day reviews across midnight and days that
    # differ from 24-hour periods.
    gaps = [
        (elapsed_days(a, b, clock), (b - a).days) for (a, _), (b, _) in itertools.pairwise(reviews)
    ]
    assert any(ours != periods for ours, periods in gaps)
    assert any(
        day_of(a, clock) == day_of(b, clock) and a.astimezone(NEW_YORK).date() != b.date()
        for (a, _), (b, _) in itertools.pairwise(reviews)
    )

    card = optimizing.reschedule_card(
        [Review(at, rating) for at, rating in reviews], schedule=schedule, seed="anki", now=now
    )
    stability, difficulty = anki_memory(reviews, revlog_kinds(reviews, schedule, now))
    assert card.stability == pytest.approx(stability, rel=1e-3)
    assert card.difficulty == pytest.approx(difficulty, rel=1e-3)


def fsrs_own_count(reviews) -> float:
    """The stability fsrs itself gives, counting 24-hour periods from the clock (as we did)."""
    scheduler = fsrs.Scheduler(parameters=DEFAULT_PARAMETERS, enable_fuzzing=False)
    card = fsrs.Card(card_id=1)
    for at, rating in reviews:
        card, _log = scheduler.review_card(card, fsrs.Rating(rating), at)
    assert card.stability is not None
    return card.stability


@pytest.mark.parametrize(
    "clock",
    [
        None,  # fsrs's 24-hour periods
        DayClock(zone=KYIV, starts_at=ROLLOVER),  # the zone the learner left
        DayClock(zone=NEW_YORK, starts_at=4),  # another hour
    ],
)
def test_any_other_day_would_not_be_ankis(clock):
    # The check has teeth: with the other counts, some history's memory is not Anki's.
    now = datetime.now(UTC)
    ours = DayClock(zone=NEW_YORK, starts_at=ROLLOVER)
    schedule = Schedule(desired_retention=0.9, parameters=DEFAULT_PARAMETERS, day=ours)
    differs = []
    for seed in range(6):
        reviews = generated_history(seed, now - timedelta(days=140))
        if clock is None:
            other = fsrs_own_count(reviews)
        else:
            other_card = optimizing.reschedule_card(
                [Review(at, rating) for at, rating in reviews],
                schedule=Schedule(0.9, DEFAULT_PARAMETERS, clock),
                seed="anki",
                now=now,
            )
            assert other_card.stability is not None
            other = other_card.stability
        stability, _ = anki_memory(reviews, revlog_kinds(reviews, schedule, now))
        differs.append(other != pytest.approx(stability, rel=1e-3))
    assert any(differs)
