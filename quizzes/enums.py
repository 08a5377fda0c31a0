"""The learning domain's vocabulary, defined once: models, rules, forms and tests import it."""

from django.db import models


class QuestionKind(models.TextChoices):
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    TRUE_FALSE = "true_false", "True or false"
    TYPED = "typed", "Typed answer"
    # A text of the article with one span blanked, {{c1::span}} in the prompt (rules/cloze.py).
    CLOZE = "cloze", "Fill in the blank"

    @property
    def has_choices(self) -> bool:
        """Answered by picking a choice; the other kinds are answered by typing."""
        return self in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE)


class MemoryState(models.IntegerChoices):
    """A studied card's state, numbered as fsrs numbers its `State` (a new card has no row)."""

    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"

    @property
    def slug(self) -> str:
        """The lower-case name used in exports, CSS classes and the dashboard's counts."""
        return self.name.lower()


class Rating(models.IntegerChoices):
    """How well the learner recalled a card, numbered as fsrs numbers its `Rating`."""

    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"

    @property
    def hint(self) -> str:
        """What the rating means, as its button says under its name."""
        return _RATING_HINTS[self]

    @property
    def passed(self) -> bool:
        """Hard is a pass: the card was recalled, with effort."""
        return self != Rating.AGAIN


_RATING_HINTS = {
    Rating.AGAIN: "forgot",
    Rating.HARD: "recalled, with effort",
    Rating.GOOD: "recalled",
    Rating.EASY: "effortless",
}


class ReviewOrigin(models.TextChoices):
    STUDY = "study", "Study"
    QUIZ = "quiz", "Quiz"
    # Custom study's "review ahead": a review card rated before it was due, as the learner asked.
    AHEAD = "ahead", "Study, reviewed ahead"


# The reviews Undo on the study page can take back: a quiz's answers are the quiz's.
UNDOABLE_ORIGINS = (ReviewOrigin.STUDY, ReviewOrigin.AHEAD)


class AttemptState(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class AttemptEnding(models.TextChoices):
    COMPLETED = "completed", "All questions answered"
    TIME_UP = "time_up", "Time ran out"
    LATE_ANSWER = "late_answer", "An answer arrived after the deadline"
    FINISHED_EARLY = "finished_early", "Finished by the learner"


class ReportStatus(models.TextChoices):
    """Where a learner's report of a wrong or unclear question stands."""

    OPEN = "open", "Open"
    FIXED = "fixed", "Fixed"
    REJECTED = "rejected", "Rejected"


class HoldKind(models.TextChoices):
    """Why a card is kept out of study and quizzes: buried until the next day, or suspended."""

    BURY = "bury", "Buried"
    SUSPEND = "suspend", "Suspended"


class HoldOrigin(models.TextChoices):
    """Where a hold was placed: only those from the back of a study card are undone by Undo."""

    STUDY = "study", "From the back of a card"
    CARDS = "cards", "From the cards page"
    LEECH = "leech", "Suspended as a leech"


class CardsBulkAction(models.TextChoices):
    """What the cards page does to the cards the learner ticks."""

    SUSPEND = "suspend", "Suspend"
    UNSUSPEND = "unsuspend", "Unsuspend"


class CardEditKind(models.TextChoices):
    """A learner's change to one card from its page, outside rating it (Anki's "Reset" and
    "Set due date"): kept in the card's history, the latest one undoable."""

    FORGET = "forget", "Forgotten: back to new"
    SET_DUE = "set_due", "Due date set"


class ParametersChoice(models.TextChoices):
    """Which FSRS parameters the learner switches to from the settings page."""

    DEFAULT = "default", "The default parameters"
    PREVIOUS = "previous", "My previous parameters"


class LeechAction(models.TextChoices):
    """What happens to a card when it becomes a leech."""

    SUSPEND = "suspend", "Suspend it and tag it as a leech"
    TAG = "tag", "Only tag it as a leech"


class Mastery(models.TextChoices):
    """How well a group of questions (an article sentence's) is known: the article map's marks."""

    UNSEEN = "unseen", "Not seen yet"
    WEAK = "weak", "Weak"
    LEARNING = "learning", "Learning"
    STRONG = "strong", "Strong"


class CardFilterState(models.TextChoices):
    """The states the cards page filters by: memory states, holds, and leeches."""

    NEW = "new", "New"
    LEARNING = "learning", "Learning"
    REVIEW = "review", "Review"
    RELEARNING = "relearning", "Relearning"
    SUSPENDED = "suspended", "Suspended"
    BURIED = "buried", "Buried"
    LEECH = "leech", "Leech"

    @classmethod
    def of_memory(cls, state: int) -> "CardFilterState":
        """The filter a card in fsrs's memory `state` is listed under."""
        return cls(MemoryState(state).slug)


class FitStatus(models.TextChoices):
    """Where a run of "Optimize my schedule" stands."""

    QUEUED = "queued", "Waiting for the background worker"
    FITTING = "fitting", "Fitting parameters to your reviews"
    RESCHEDULING = "rescheduling", "Recomputing your cards' due dates"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"

    @classmethod
    def unfinished(cls) -> list[str]:
        return [cls.QUEUED, cls.FITTING, cls.RESCHEDULING]


class FitOutcome(models.TextChoices):
    """What a finished run did with the parameters it fitted."""

    # Told in the past: the panel shows the latest run after the learner may have switched away.
    APPLIED = (
        "applied",
        "Your own parameters predicted your reviews better, so they were put in use.",
    )
    NOT_BETTER = "not_better", "The fitted parameters were no better, so nothing changed."
    NOT_ENOUGH = "not_enough", "There were not enough reviews to fit, so nothing changed."


class ClaimStatus(models.TextChoices):
    """Where a learner's phrasing stands with the editors: "I was right", or a refused answer."""

    PENDING = "pending", "Waiting for an editor"
    ACCEPTED = "accepted", "Accepted: added to the fact's forms"
    REJECTED = "rejected", "Rejected"


class PhrasingsShown(models.TextChoices):
    """Which pending phrasings the editors' queue lists: a learner's "I was right" is a stronger
    hint than an answer the grader refused, so every list puts the claimed ones first."""

    ALL = "all", "All, claimed first"
    CLAIMED = "claimed", "Claimed right by a learner"
    REFUSED = "refused", "Refused only"


class MarkedRightBy(models.TextChoices):
    """Who turned a quiz answer the grader refused into a right one, after the quiz."""

    LEARNER = "learner", "Marked right by you"
    EDITOR = "editor", "Accepted by an editor"
