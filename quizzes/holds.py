"""Rules of holds and leeches: when a bury ends, when a card becomes a leech. Pure."""

import math
from datetime import datetime, timedelta

from django.utils import timezone


def bury_until(now: datetime) -> datetime:
    """Return when a card buried at `now` comes back: the start of the learner's next day
    (midnight in the site's TIME_ZONE, the boundary of the daily limits)."""
    local = timezone.localtime(now)
    tomorrow = local.date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time(), tzinfo=local.tzinfo)


def leech_reached(*, lapses: int, threshold: int) -> bool:
    """Say if a card that has just lapsed for the `lapses`-th time is (again) a leech.

    As in Anki: at the threshold, and then every half threshold more, so that a leech the learner
    unsuspended and keeps forgetting is singled out again.
    """
    if threshold < 1 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, math.ceil(threshold / 2)) == 0
