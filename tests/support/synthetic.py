"""A simulated learner whose memory follows known FSRS parameters. Pure, seeded.

The app schedules the learner's cards with the default parameters, as it does for everyone; the
learner remembers or forgets as `parameters` say. Fitting their history should therefore find
parameters that predict it better than the defaults: the optimizer's tests and its benchmarks
(`bench.optimizer`, `bench.workload`) both use this learner.
"""

import heapq
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from quizzes.enums import MemoryState, Rating
from quizzes.rules import scheduling
from quizzes.rules.optimizing import Review
from quizzes.rules.scheduling import NEW_CARD, CardValues
from tests.support.schedules import DEFAULT_SCHEDULE

# A learner who forgets faster than the defaults expect and finds cards harder: lower initial
# stabilities, a higher initial difficulty and a smaller stability gain after a recall.
FORGETFUL = (
    0.1, 0.6, 1.2, 4.0, 7.2, 0.6, 2.0, 0.02, 1.2, 0.3, 1.1, 1.6, 0.1, 0.35, 1.4,
    0.4, 2.2, 0.5, 0.1, 0.1, 0.3,
)  # fmt: skip
START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
NEW_PER_DAY = 20


def _rating(rng: random.Random, recalled: bool) -> int:
    if not recalled:
        return Rating.AGAIN
    return rng.choices((Rating.HARD, Rating.GOOD, Rating.EASY), weights=(15, 75, 10))[0]


def _next_time(rng: random.Random, card: CardValues) -> datetime:
    """When the learner comes back to a card: minutes late for a step, up to a day for a review."""
    assert card.due is not None
    late = timedelta(hours=rng.uniform(0, 20)) if card.state == MemoryState.REVIEW else timedelta()
    return card.due + late + timedelta(minutes=rng.uniform(0, 5))


def synthetic_history(
    *,
    reviews: int,
    parameters: tuple[float, ...] = FORGETFUL,
    cards: int | None = None,
    seed: int = 0,
) -> dict[int, list[Review]]:
    """`reviews` reviews of a learner who starts NEW_PER_DAY cards a day (at most `cards`)."""
    rng = random.Random(seed)
    limit = cards if cards is not None else reviews
    # The queue holds (when, card id, the app's card, the learner's true memory of it).
    queue = [
        (START + timedelta(days=n // NEW_PER_DAY, minutes=n % NEW_PER_DAY), n, NEW_CARD, NEW_CARD)
        for n in range(limit)
    ]
    heapq.heapify(queue)
    # The app shows cards on the site's default schedule; the learner's memory follows theirs.
    true = replace(DEFAULT_SCHEDULE, parameters=parameters)
    history: dict[int, list[Review]] = {}
    for _ in range(reviews):
        at, card_id, shown, memory = heapq.heappop(queue)
        recall = scheduling.retrievability(memory, now=at, schedule=true)
        rating = _rating(rng, memory.is_new or rng.random() < recall)
        seed_text = f"synthetic:{seed}:{card_id}"
        shown = scheduling.review(shown, rating, now=at, schedule=DEFAULT_SCHEDULE, seed=seed_text)
        memory = scheduling.review(memory, rating, now=at, schedule=true, seed=seed_text)
        history.setdefault(card_id, []).append(Review(at, rating))
        heapq.heappush(queue, (_next_time(rng, shown), card_id, shown, memory))
    return history
