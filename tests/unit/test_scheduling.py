"""The FSRS adapter, without a database."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import fsrs
import fsrs.scheduler
import pytest

from quizzes.enums import MemoryState, Rating
from quizzes.limits import RETENTION_MAX, RETENTION_MIN
from quizzes.rules import scheduling
from quizzes.rules.days import elapsed_days
from quizzes.rules.scheduling import NEW_CARD
from tests.support.schedules import DEFAULT_SCHEDULE

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def review(card, rating, now=NOW, seed="1:1"):
    return scheduling.review(card, rating, now=now, schedule=DEFAULT_SCHEDULE, seed=seed)


def graduate(seed="1:1"):
    """A card taken through the learning steps into review."""
    card = review(NEW_CARD, Rating.GOOD, NOW, seed)
    card = review(card, Rating.GOOD, card.due, seed)
    assert card.state == MemoryState.REVIEW
    return card


def test_new_card_rated_good_enters_the_learning_steps():
    card = review(NEW_CARD, Rating.GOOD)
    assert card.state == MemoryState.LEARNING
    assert card.step == 1
    assert card.due - NOW == timedelta(minutes=10)
    assert card.reps == 1


def test_rating_again_brings_a_new_card_back_within_a_minute():
    card = review(NEW_CARD, Rating.AGAIN)
    assert card.due - NOW == timedelta(minutes=1)


def test_again_on_a_review_card_starts_relearning_and_counts_a_lapse():
    card = graduate()
    later = card.due + timedelta(days=1)
    lapsed = review(card, Rating.AGAIN, later)
    assert lapsed.state == MemoryState.RELEARNING
    assert lapsed.lapses == 1
    assert lapsed.due - later == timedelta(minutes=10)


def test_hard_is_a_pass_that_keeps_a_review_card_in_review():
    card = graduate()
    later = card.due
    assert review(card, Rating.HARD, later).state == MemoryState.REVIEW


@pytest.mark.parametrize("rating", Rating)
def test_each_previewed_interval_equals_the_applied_one(rating):
    # Review-state cards are the ones fsrs fuzzes with random numbers: walk many of them.
    for n in range(40):
        card = graduate(seed=f"7:{n}")
        for _ in range(3):
            at = card.due + timedelta(days=n % 5)
            shown = scheduling.preview(card, now=at, schedule=DEFAULT_SCHEDULE, seed=f"7:{n}")
            applied = scheduling.review(
                card, rating, now=at, schedule=DEFAULT_SCHEDULE, seed=f"7:{n}"
            )
            assert applied.due - at == shown[rating]
            card = applied


def test_fuzz_still_varies_between_cards():
    dues = set()
    for n in range(30):
        card = graduate(seed=f"9:{n}")
        for _ in range(3):
            card = review(card, Rating.GOOD, card.due, seed=f"9:{n}")
        dues.add(card.due - graduate(seed=f"9:{n}").due)
    assert len(dues) > 1


def test_fsrs_itself_is_unchanged_outside_our_reviews():
    # The seam only seeds fsrs while we review; a plain fsrs scheduler still fuzzes freely.
    scheduler = fsrs.Scheduler()
    card = fsrs.Card(card_id=1)
    card, _ = scheduler.review_card(card, fsrs.Rating.Good, NOW)
    card, _ = scheduler.review_card(card, fsrs.Rating.Good, card.due)
    results = set()
    for _ in range(30):
        later, _ = scheduler.review_card(card, fsrs.Rating.Good, card.due + timedelta(days=30))
        results.add(later.due)
    assert len(results) > 1


def test_higher_retention_means_shorter_intervals():
    card = graduate()
    at = card.due
    low = scheduling.preview(
        card, now=at, schedule=DEFAULT_SCHEDULE.with_retention(RETENTION_MIN), seed="s"
    )
    high = scheduling.preview(
        card, now=at, schedule=DEFAULT_SCHEDULE.with_retention(RETENTION_MAX), seed="s"
    )
    assert high[Rating.GOOD] < low[Rating.GOOD]


def test_card_values_round_trip_through_a_dict():
    card = graduate()
    assert scheduling.CardValues.from_dict(card.as_dict()) == card


def test_retrievability_is_zero_for_a_new_card_and_falls_with_time():
    assert scheduling.retrievability(NEW_CARD, now=NOW, schedule=DEFAULT_SCHEDULE) == 0
    card = graduate()
    soon = scheduling.retrievability(
        card, now=card.last_review + timedelta(days=1), schedule=DEFAULT_SCHEDULE
    )
    late = scheduling.retrievability(
        card, now=card.last_review + timedelta(days=60), schedule=DEFAULT_SCHEDULE
    )
    assert 1 >= soon > late > 0


@pytest.mark.parametrize(
    ("zone", "starts_at"),
    [("UTC", 4), ("America/New_York", 4), ("Pacific/Auckland", 0), ("Asia/Kathmandu", 23)],
)
def test_recall_at_many_cards_is_fsrs_recall_of_each_card_given_alone(zone, starts_at):
    """recall_at counts the learner's next day once for many cards; each card's recall is still
    fsrs's own, from the card as to_fsrs gives it (its days counted as Anki counts them), across
    time zones, rollover hours and reviews either side of a day's start."""
    from zoneinfo import ZoneInfo

    from quizzes.rules.days import DayClock

    rng = random.Random(7)
    day = DayClock(zone=ZoneInfo(zone), starts_at=starts_at)
    schedule = scheduling.Schedule(
        desired_retention=0.9, parameters=DEFAULT_SCHEDULE.parameters, day=day
    )
    scheduler = scheduling.scheduler_for(schedule)
    for _ in range(40):
        now = NOW + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        recall = scheduling.recall_at(now=now, schedule=schedule)
        for _ in range(25):
            card = scheduling.CardValues(
                state=rng.choice([MemoryState.LEARNING, MemoryState.REVIEW]),
                stability=rng.uniform(0.1, 400),
                difficulty=5.0,
                due=now,
                last_review=now - timedelta(minutes=rng.randrange(0, 60 * 24 * 200)),
                reps=rng.randrange(1, 30),
            )
            alone = scheduler.get_card_retrievability(
                scheduling.to_fsrs(card, now, day), now.astimezone(UTC)
            )
            assert recall(card) == alone
    assert scheduling.recall_at(now=NOW, schedule=schedule)(NEW_CARD) == 0


@pytest.mark.parametrize(
    "card",
    [
        scheduling.CardValues(state=MemoryState.LEARNING, reps=1, last_review=NOW),  # no stability
        scheduling.CardValues(state=MemoryState.REVIEW, stability=3.0, reps=2),  # no last review
        scheduling.CardValues(stability=3.0, last_review=NOW - timedelta(days=2)),  # never rated
    ],
    ids=["no-stability", "no-last-review", "no-reviews"],
)
def test_recall_at_a_card_fsrs_cannot_place_is_zero_as_fsrs_says(card):
    now = NOW + timedelta(days=3)
    assert scheduling.recall_at(now=now, schedule=DEFAULT_SCHEDULE)(card) == 0
    assert scheduling.retrievability(card, now=now, schedule=DEFAULT_SCHEDULE) == 0
    if card.reps:
        scheduler = scheduling.scheduler_for(DEFAULT_SCHEDULE)
        fsrs_card = scheduling.to_fsrs(card, now, DEFAULT_SCHEDULE.day)
        assert scheduler.get_card_retrievability(fsrs_card, now) == 0


def test_to_fsrs_keeps_the_cards_own_due_step_and_difficulty():
    card = graduate()
    now = card.due + timedelta(days=2)
    given = scheduling.to_fsrs(card, now, DEFAULT_SCHEDULE.day)
    assert (given.due, given.step, given.difficulty) == (card.due, card.step, card.difficulty)
    gap = elapsed_days(card.last_review, now, DEFAULT_SCHEDULE.day)
    assert given.last_review == now - timedelta(days=gap)
    assert NEW_CARD.due is None
    assert scheduling.to_fsrs(NEW_CARD, now, DEFAULT_SCHEDULE.day).due == now


def test_unknown_rating_is_refused():
    with pytest.raises(ValueError, match="rating must be one of"):
        review(NEW_CARD, 5)


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=20), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=365 * 2), "2y"),
        (timedelta(days=548), "1.5y"),
    ],
)
def test_interval_labels(interval, label):
    assert scheduling.interval_label(interval) == label


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("1m", "1 minute"),
        ("10m", "10 minutes"),
        ("1h", "1 hour"),
        ("5h", "5 hours"),
        ("3d", "3 days"),
        ("1mo", "1 month"),
        ("2mo", "2 months"),
        ("1.5y", "1.5 years"),
        ("soon", "soon"),
    ],
)
def test_interval_words_say_a_buttons_label_for_its_accessible_name(label, words):
    assert scheduling.interval_words(label) == words


def test_easy_gives_a_longer_interval_than_good():
    shown = scheduling.preview(NEW_CARD, now=NOW, schedule=DEFAULT_SCHEDULE, seed="x")
    assert shown[Rating.EASY] > shown[Rating.GOOD] > shown[Rating.AGAIN]


def test_seeding_the_fuzz_leaves_fsrs_itself_alone():
    assert vars(fsrs.scheduler)["random"] is random.random
    assert (
        fsrs.Scheduler._get_fuzzed_interval is not scheduling.SeededScheduler._get_fuzzed_interval
    )


def test_the_card_key_changes_with_what_a_rating_reads_and_not_with_the_due_date():
    card = graduate()
    key = scheduling.card_key(card)
    assert scheduling.card_key(replace(card, due=card.due + timedelta(days=9))) == key
    assert scheduling.card_key(replace(card, lapses=card.lapses + 1)) == key
    for changed in (
        replace(card, state=MemoryState.RELEARNING, step=0),
        replace(card, stability=card.stability + 0.01),
        replace(card, difficulty=card.difficulty + 0.01),
        replace(card, last_review=card.last_review - timedelta(seconds=1)),
    ):
        assert scheduling.card_key(changed) != key
