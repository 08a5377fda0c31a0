"""What the study queue says: the learner's day, and their next card with the counts and times
around it (values; study/queue.py reads them in one statement)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from quizzes.bank.cache import QuestionData
from quizzes.rules.scheduling import Schedule


@dataclass(frozen=True)
class LearnerDay:
    """A learner's settings and what they have done since the day began."""

    schedule: Schedule
    new_per_day: int
    max_reviews_per_day: int
    reviewed_today: int
    day_start: datetime
    learn_ahead: timedelta
    # Anki's "bury siblings": a card waits for the next day once another of its fact was seen.
    bury_siblings: bool = True
    # New cards the learner added to today's limit (custom study), for all cards or this scope.
    extra_new: int = 0

    @property
    def new_limit(self) -> int:
        """Today's new cards in this scope: the daily setting and what custom study added."""
        return self.new_per_day + self.extra_new


@dataclass(frozen=True)
class StudyQueue:
    day: LearnerDay
    # Learning and relearning cards due now or within the learn-ahead limit, and review cards
    # due now (Anki's Learning and Review counts); new cards are `new_count`.
    learning_count: int
    review_count: int
    new_today: int
    next_question: QuestionData | None
    next_reps: int
    next_due_at: datetime | None
    # Whether Undo has something of today's to take back: a study rating, a bury or a
    # suspension from a card's back, done after any quiz answer.
    undoable: bool = False
    # Cards in the scope never studied (and not held): the most `new_count` can be.
    unseen: int = 0
    # Whether the card offered is a learning card shown before it is due (learn-ahead).
    ahead: bool = False
    # Chosen cards (a passage, a quiz's misses): the daily limits do not apply.
    ignores_limits: bool = False
    # The learner's quiz still taking answers, if any: study waits for it (quiz/waiting.py).
    quiz_running: int | None = None
    # The scope's cards that wait for the next day's start (buried, or a sibling seen today):
    # the earliest due of those studied before, and how many are new.
    waiting_due_at: datetime | None = None
    waiting_new: int = 0
    # How many of those studied would be offered now were they not held (a session of chosen
    # cards offers one reviewed before it began, due or not): they come at the day's start.
    waiting_offered: int = 0
    # Of those, how many wait only for a sibling seen today: new ones, and studied ones that
    # would be offered now.
    waiting_siblings: int = 0
    waiting_siblings_offered: int = 0
    # New cards that wait because a card first seen today showed their answer
    # (siblings.answers_shown_waiting).
    waiting_shown: int = 0
    # The learner's buried cards, of any scope (they come back at the next day's start).
    buried: int = 0

    @property
    def due_count(self) -> int:
        return self.learning_count + self.review_count

    @property
    def new_count(self) -> int:
        """New cards the learner can still start today in this scope."""
        return self.unseen if self.ignores_limits else min(self.new_left, self.unseen)

    def _held_today(self) -> tuple[int, int]:
        """Of the cards waiting for a sibling seen today, and of the new ones waiting for an
        answer a card first seen today showed, how many would come today were they not held:
        studied ones offered now, and new ones within the day's new cards still to start (the
        siblings' first, after those that come); none past today's review limit."""
        if self.review_limit_reached:
            return 0, 0
        siblings, shown = self.waiting_siblings, self.waiting_shown
        if not self.ignores_limits:
            room = max(0, self.new_left - self.unseen)
            siblings = min(siblings, room)
            shown = min(shown, room - siblings)
        return self.waiting_siblings_offered + siblings, shown

    @property
    def waiting_siblings_today(self) -> int:
        """Cards that would come today but for a sibling seen today (_held_today)."""
        return self._held_today()[0]

    @property
    def waiting_shown_today(self) -> int:
        """New cards that would come today but for an answer a card first seen today showed
        (_held_today)."""
        return self._held_today()[1]

    @property
    def all_done(self) -> bool:
        """A session of chosen cards has been through all of them (none new or due is left,
        nor waiting for the next day)."""
        return (
            self.ignores_limits
            and self.next_question is None
            and not self.waiting_new
            and not self.waiting_offered
        )

    @property
    def extra_done(self) -> bool:
        """The new cards custom study added today have all been studied (or the scope has no
        more), and no card is left to show now: not while one of today's new cards waits for the
        next day (buried, a sibling's, or its answer shown)."""
        return (
            not self.ignores_limits
            and self.day.extra_new > 0
            and self.new_count == 0
            and not (self.new_left and self.waiting_new)
            and self.next_question is None
        )

    @property
    def next_is_new(self) -> bool:
        return self.next_reps == 0

    @property
    def new_left(self) -> int:
        return max(0, self.day.new_limit - self.new_today)

    @property
    def reviewed_today(self) -> int:
        return self.day.reviewed_today

    @property
    def can_undo(self) -> bool:
        return self.undoable

    @property
    def review_limit_reached(self) -> bool:
        return not self.ignores_limits and self.day.reviewed_today >= self.day.max_reviews_per_day
