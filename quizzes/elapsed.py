"""How the scheduler counts the time since a card's last review. Pure.

The `fsrs` library counts elapsed days as whole 24-hour periods, `(now - last_review).days`: a
review 23 hours after the last one is on "day 0" (a same-day review), one 24 hours after is on
day 1, whatever the clock on the wall says. Stability, difficulty and the next interval depend on
time only through that count, so the optimizer's input and the check below use it too.
"""

from datetime import datetime


def elapsed_days(last_review: datetime | None, at: datetime) -> int:
    """Whole 24-hour periods from the last review to `at` (0 for a card never reviewed)."""
    if last_review is None:
        return 0
    return max(0, (at - last_review).days)


def elapsed_days_changed(
    last_review: datetime | None, *, shown_at: datetime, posted_at: datetime
) -> bool:
    """Whether the day count moved between showing the rating buttons and posting a rating.

    If it did, the intervals on the buttons are no longer what a rating would give: the page
    should show the buttons again. If it did not, the previewed interval is exactly the applied
    one (the fuzz is seeded per card and review count, not by time).
    """
    return elapsed_days(last_review, shown_at) != elapsed_days(last_review, posted_at)
