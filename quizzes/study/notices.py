"""What the study pages tell a learner after a post: what was done, or why nothing was."""

from quizzes.enums import HoldKind

STALE_NOTICE = (
    "That card was already rated (a double click or another tab), so nothing was recorded."
)
PREVIEW_STALE_NOTICE = (
    "The intervals on the buttons changed since the answer was shown (time moved on, your "
    "schedule's parameters changed, or the card itself changed in another tab). Nothing was "
    "recorded: rate the card again."
)
CARD_SHOWN_AFRESH = (
    "That card had been open for more than a day, so nothing was recorded: here it is afresh."
)
CARD_WITHDRAWN = (
    "An editor withdrew that card's question while it was shown, so nothing was recorded: "
    "here is your next card."
)
HOLD_NOTICES = {
    HoldKind.BURY: "The card is buried until tomorrow.",
    HoldKind.SUSPEND: (
        "The card is suspended: it comes back when you unsuspend it on the cards page."
    ),
}
UNDO_NOTICES = {
    None: "Your last rating was taken back.",
    HoldKind.BURY: "The card you buried is back.",
    HoldKind.SUSPEND: "The card you suspended is back.",
}
NOTHING_TO_UNDO = "There is nothing to take back."
