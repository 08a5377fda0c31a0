"""When study has its next card, for the "done for now" panel: in words, and when the panel
looks again by itself."""

import math
from datetime import datetime

from quizzes.rules.days import next_day_start, when_words
from quizzes.study.queued import StudyQueue

# The "done for now" panel loads itself again when the next card is due, and at least this
# often, so that what it says ("in 3 minutes") stays true.
DONE_REFRESH_SECONDS = 60


def next_card_at(queue: StudyQueue, now: datetime) -> datetime | None:
    """When study next has a card: the next card's due time, or the start of the learner's next
    day when today's limits hold cards back till then (every card past the review limit; new
    cards past the new-card limit, if that is sooner), or when cards wait for it (buried, or a
    sibling seen today). An outside audit was told of a card due in days while new cards came
    at the next day's start."""
    tomorrow = next_day_start(now, queue.day.schedule.day)
    waiting = _waiting_back_at(queue, tomorrow)
    if queue.ignores_limits:
        return _soonest(queue.next_due_at, waiting)
    new_tomorrow = queue.unseen > 0 and queue.day.new_per_day > 0
    if queue.review_limit_reached:
        if queue.due_count or new_tomorrow:
            return tomorrow
        return _soonest(max(queue.next_due_at, tomorrow) if queue.next_due_at else None, waiting)
    if queue.new_left == 0 and new_tomorrow:
        return min(queue.next_due_at, tomorrow) if queue.next_due_at else tomorrow
    return _soonest(queue.next_due_at, waiting)


def _waiting_back_at(queue: StudyQueue, tomorrow: datetime) -> datetime | None:
    """When the first of the cards waiting for the next day comes: at its start for a new one
    (if the learner takes new cards), else when the earliest of them is due, not before it."""
    if queue.waiting_offered or (
        queue.waiting_new and (queue.ignores_limits or queue.day.new_per_day > 0)
    ):
        return tomorrow
    return max(queue.waiting_due_at, tomorrow) if queue.waiting_due_at else None


def _soonest(*times: datetime | None) -> datetime | None:
    return min((t for t in times if t is not None), default=None)


def next_card_due(queue: StudyQueue, now: datetime) -> dict[str, object]:
    """When the next card comes, in words, and in how many seconds the panel should look again
    (the card is shown now if a learning card comes within the learn-ahead limit)."""
    next_at = next_card_at(queue, now)
    if next_at is None:
        return {"next_at": None, "refresh_seconds": None}
    clock = queue.day.schedule.day
    wait = (next_at - queue.day.learn_ahead - now).total_seconds()
    if wait <= 0:
        # Within the learn-ahead limit yet not shown (a review card, which never comes early, or
        # the day's start): look again when it is due, not every second till then.
        wait = (next_at - now).total_seconds()
    return {
        "next_at": next_at,
        "next_due_words": when_words(next_at, now, clock),
        "refresh_seconds": max(1, min(DONE_REFRESH_SECONDS, math.ceil(wait))),
    }
