"""The learning domain's tables: the question bank, learners' cards and reviews, quizzes."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from quizzes import limits
from quizzes.enums import (
    AttemptEnding,
    AttemptState,
    CardEditKind,
    ClaimStatus,
    FitOutcome,
    FitStatus,
    HoldKind,
    HoldOrigin,
    LeechAction,
    MarkedRightBy,
    MemoryState,
    QuestionKind,
    Rating,
    ReportStatus,
    ReviewOrigin,
)
from quizzes.rules import days, scheduling
from quizzes.rules.cloze import Cloze, cloze_read
from quizzes.rules.visible import controls_shown


class Category(models.Model):
    slug = models.SlugField(max_length=limits.MAX_LENGTHS["category_slug"], unique=True)
    name = models.CharField(max_length=limits.MAX_LENGTHS["category_name"])
    description = models.TextField(blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    # Part of the bank's version (bank.cache.BankVersion): learners' pages show the name.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Fact(models.Model):
    """One claim of the article, drawn from one span of it, with its answer and accepted forms.

    Its questions (typed, cloze, multiple choice, true/false) are its cards, as an Anki note has
    cards: every typed or cloze card of a fact grades against the fact's one set of forms.
    """

    slug = models.SlugField(max_length=limits.MAX_LENGTHS["slug"], unique=True)
    claim = models.TextField(
        max_length=limits.MAX_LENGTHS["claim"],
        help_text="One sentence stating the fact in plain words.",
    )
    answer = models.CharField(
        max_length=limits.MAX_LENGTHS["answer"],
        help_text="The canonical answer: what a typed card of the fact shows as right.",
    )
    accepted_answers = models.JSONField(
        default=list,
        blank=True,
        help_text="Every other form that counts as right on the fact's typed and cloze cards.",
    )
    source_passage = models.TextField(
        max_length=limits.MAX_LENGTHS["passage"],
        help_text="A span copied character for character from the article.",
    )
    passage_offset = models.PositiveIntegerField(
        editable=False, help_text="Where the passage starts in the article (characters)."
    )
    position = models.PositiveIntegerField(default=0, help_text="Order in the bank.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(answer=""), name="fact_answer_not_empty"),
            models.CheckConstraint(condition=~Q(source_passage=""), name="fact_passage_not_empty"),
        ]

    def __str__(self) -> str:
        return self.slug


class Question(models.Model):
    slug = models.SlugField(max_length=limits.MAX_LENGTHS["slug"], unique=True)
    # The claim the question tests: its typed or cloze answer is graded by the fact's forms.
    fact = models.ForeignKey(Fact, on_delete=models.PROTECT, related_name="questions")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=limits.CHOICE_LENGTHS["question_kind"], choices=QuestionKind)
    prompt = models.TextField(max_length=limits.MAX_LENGTHS["prompt"])
    # What the card shows as right: a typed card's is its fact's answer, a cloze's the words it
    # blanks, a choice question's the correct choice.
    answer = models.CharField(max_length=limits.MAX_LENGTHS["answer"])
    explanation = models.TextField(max_length=limits.MAX_LENGTHS["explanation"])
    source_passage = models.TextField(
        max_length=limits.MAX_LENGTHS["passage"],
        help_text="A span copied character for character from the article.",
    )
    passage_offset = models.PositiveIntegerField(
        editable=False, help_text="Where the passage starts in the article (characters)."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the bank: new cards are introduced in this order."
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["is_active", "position"], name="question_active_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values),
                name="question_kind_known",
            ),
            models.CheckConstraint(condition=~Q(answer=""), name="question_answer_not_empty"),
            models.CheckConstraint(
                condition=~Q(source_passage=""), name="question_passage_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def has_choices(self) -> bool:
        return QuestionKind(self.kind).has_choices

    @property
    def cloze(self) -> Cloze | None:
        """A cloze question's text around its blank (None for the other kinds)."""
        return cloze_read(self.prompt) if self.kind == QuestionKind.CLOZE else None


class Choice(models.Model):
    # No index of its own: (question, text) starts with it.
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", db_index=False
    )
    text = models.CharField(max_length=limits.MAX_LENGTHS["choice"])
    is_correct = models.BooleanField("correct", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "text"], name="choice_text_unique"),
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_correct=True),
                name="choice_one_correct_per_question",
            ),
        ]

    def __str__(self) -> str:
        return self.text


def validate_parameters(value: object) -> None:
    """A stored FSRS parameter list: empty (the defaults) or 21 finite numbers within bounds."""
    problem = scheduling.parameters_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_parameters")


def validate_time_zone(value: str) -> None:
    """An IANA time zone name this machine knows ("Europe/Kyiv", "America/New_York")."""
    if days.zone_named(value) is None:
        raise ValidationError(
            "Choose a time zone from the list, such as Europe/Kyiv.", code="unknown_time_zone"
        )


def site_time_zone() -> str:
    """The site's time zone: a learner's until they choose theirs (and for those who were here
    before learners had one)."""
    return str(settings.TIME_ZONE)


class StudyProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_profile"
    )
    desired_retention = models.FloatField(
        default=limits.RETENTION_DEFAULT,
        help_text=(
            "How likely you want to be to remember a card when it comes back "
            f"({limits.RETENTION_MIN:.2f}–{limits.RETENTION_MAX:.2f})."
        ),
    )
    new_per_day = models.PositiveSmallIntegerField(
        "new cards per day", default=limits.NEW_PER_DAY_DEFAULT
    )
    max_reviews_per_day = models.PositiveSmallIntegerField(
        "maximum reviews per day", default=limits.MAX_REVIEWS_PER_DAY_DEFAULT
    )
    daily_goal = models.PositiveSmallIntegerField(
        default=limits.DAILY_GOAL_DEFAULT,
        help_text="Reviews a day you aim at, shown beside your streak; 0 for no goal.",
    )
    leech_threshold = models.PositiveSmallIntegerField(
        default=limits.LEECH_THRESHOLD_DEFAULT,
        help_text="Lapses after which a card is a leech.",
    )
    leech_action = models.CharField(
        max_length=limits.CHOICE_LENGTHS["leech_action"],
        choices=LeechAction,
        default=LeechAction.SUSPEND,
    )
    # The learner's own FSRS parameters ("Optimize my schedule"); empty means fsrs's defaults.
    parameters = models.JSONField(
        "FSRS parameters",
        default=list,
        blank=True,
        validators=[validate_parameters],
        help_text="Fitted to your reviews; empty for the default parameters.",
    )
    # The learner's day (quizzes.rules.days): their time zone, and the hour their next day starts.
    time_zone = models.CharField(
        max_length=limits.TIME_ZONE_LENGTH,
        default=site_time_zone,
        validators=[validate_time_zone],
        help_text="Your days, daily limits and due dates follow this time zone.",
    )
    day_starts_at = models.PositiveSmallIntegerField(
        "next day starts at",
        default=limits.DAY_STARTS_AT_DEFAULT,
        help_text="The hour (0–23, your time) your next day starts; 4 means 4 a.m., as in Anki.",
    )
    learn_ahead_minutes = models.PositiveSmallIntegerField(
        "learn ahead limit",
        default=limits.LEARN_AHEAD_MINUTES_DEFAULT,
        help_text="When nothing else is due, show learning cards due within this many minutes.",
    )
    # Anki's "bury siblings": once any card of a fact is seen (studied or in a quiz), its other
    # cards wait until the learner's next day, so that one card does not give away another.
    bury_siblings = models.BooleanField(
        "siblings wait until the next day",
        default=True,
        help_text="Once you have seen a card of a fact, its other cards wait until your next day.",
    )
    # What `parameters` was before its last change, so the learner can go back to it.
    previous_parameters = models.JSONField(
        "previous FSRS parameters",
        default=list,
        blank=True,
        validators=[validate_parameters],
        help_text="The parameters in use before the last change; empty for the defaults.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    desired_retention__gte=limits.RETENTION_MIN,
                    desired_retention__lte=limits.RETENTION_MAX,
                ),
                name="profile_retention_range",
            ),
            models.CheckConstraint(
                condition=Q(leech_action__in=LeechAction.values),
                name="quizzes_profile_leech_action_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    day_starts_at__gte=limits.DAY_STARTS_AT_MIN,
                    day_starts_at__lte=limits.DAY_STARTS_AT_MAX,
                ),
                name="quizzes_profile_day_starts_at_range",
            ),
            models.CheckConstraint(
                condition=Q(learn_ahead_minutes__lte=limits.LEARN_AHEAD_MINUTES_MAX),
                name="quizzes_profile_learn_ahead_range",
            ),
            models.CheckConstraint(
                condition=Q(daily_goal__lte=limits.DAILY_GOAL_MAX),
                name="quizzes_profile_daily_goal_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Study profile of {self.user}"

    @property
    def scheduler_parameters(self) -> tuple[float, ...]:
        """The parameters every scheduler for this learner uses."""
        return scheduling.parameters_in_use(self.parameters)

    @property
    def schedule(self) -> scheduling.Schedule:
        """The learner's schedule: what every card of theirs is scheduled and recalled with."""
        return scheduling.Schedule(
            desired_retention=self.desired_retention,
            parameters=self.scheduler_parameters,
            day=self.day,
        )

    @property
    def day(self) -> days.DayClock:
        """Where the learner's days begin: their zone and hour."""
        return days.clock_of(self.time_zone, self.day_starts_at, fallback=site_time_zone())

    @property
    def uses_own_parameters(self) -> bool:
        return bool(self.parameters)

    @property
    def can_go_back(self) -> bool:
        """Whether there are previous parameters of the learner's own to go back to (going back
        to the defaults is "Use the default parameters")."""
        return bool(self.previous_parameters) and self.previous_parameters != self.parameters


class NewCardsExtra(models.Model):
    """Custom study's "more new cards today": new cards a learner added to one day's limit, for
    every category (scope "") or one category (its slug). Read for the learner's day only, so it
    lapses by itself when their next day starts."""

    # No index of its own: (user, day, scope) starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="new_cards_extras",
        db_index=False,
    )
    day = models.DateField(help_text="The learner's day it is for.")
    scope = models.CharField(
        max_length=limits.MAX_LENGTHS["category_slug"],
        blank=True,
        help_text="A category's slug; empty for all.",
    )
    count = models.PositiveSmallIntegerField(help_text="New cards added to the day's limit.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day", "scope"], name="new_cards_extra_one_per_day_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.day} · +{self.count}"


def _fit_abandoned_before(now: datetime) -> tuple[datetime, datetime]:
    """A run queued before the first, or taken up before the second, lost its worker by `now`."""
    return (
        now - timedelta(minutes=limits.FIT_ABANDONED_MINUTES),
        now - timedelta(minutes=limits.FIT_RUNNING_ABANDONED_MINUTES),
    )


class ScheduleFit(models.Model):
    """One run of "Optimize my schedule": fitting the learner's FSRS parameters to their reviews.

    Runs in the background (a django-tasks task); the settings page shows its status and, once
    done, how well the default, the previous and the fitted parameters predict the reviews.
    """

    # No index of its own: (user, requested_at) starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="schedule_fits",
        db_index=False,
    )
    status = models.CharField(
        max_length=limits.CHOICE_LENGTHS["fit_status"], choices=FitStatus, default=FitStatus.QUEUED
    )
    outcome = models.CharField(
        max_length=limits.CHOICE_LENGTHS["fit_outcome"], choices=FitOutcome, blank=True
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took it up.")
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(
        max_length=limits.TASK_ID_LENGTH, blank=True, help_text="The background task's id."
    )
    reviews = models.PositiveIntegerField(default=0, help_text="Reviews in the history read.")
    items = models.PositiveIntegerField(
        default=0,
        help_text="Reviews the optimizer trained on: a day or more after the one before, less "
        "those its outlier filter set aside.",
    )
    candidates = models.PositiveIntegerField(
        default=0,
        help_text="Reviews a day or more after the one before: the ones the figures cover.",
    )
    parameters = models.JSONField(default=list, blank=True, validators=[validate_parameters])
    default_log_loss = models.FloatField(null=True, blank=True)
    default_rmse = models.FloatField(null=True, blank=True)
    previous_log_loss = models.FloatField(null=True, blank=True)
    previous_rmse = models.FloatField(null=True, blank=True)
    fitted_log_loss = models.FloatField(null=True, blank=True)
    fitted_rmse = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-requested_at"], name="fit_user_requested")]
        constraints = [
            # One run at a time per learner: a second request finds the first.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=FitStatus.unfinished()),
                name="fit_one_unfinished_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FitStatus.unfinished(), finished_at__isnull=True)
                | Q(status__in=[FitStatus.DONE, FitStatus.FAILED], finished_at__isnull=False),
                name="fit_finished_has_time",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *FitOutcome.values]),
                name="quizzes_fit_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Schedule fit {self.pk} of {self.user}"

    @property
    def is_finished(self) -> bool:
        return self.status in (FitStatus.DONE, FitStatus.FAILED)

    @property
    def is_failed(self) -> bool:
        return self.status == FitStatus.FAILED

    @staticmethod
    def abandoned(now: datetime) -> Q:
        """The runs that lost their worker by `now` (or never had one): queued
        FIT_ABANDONED_MINUTES after they were asked for, or taken up and unfinished
        FIT_RUNNING_ABANDONED_MINUTES after (a worker waits FIT_SECONDS for a fit). is_abandoned
        says the same of one run."""
        queued_before, started_before = _fit_abandoned_before(now)
        running = [FitStatus.FITTING, FitStatus.RESCHEDULING]
        return (
            Q(status=FitStatus.QUEUED, requested_at__lt=queued_before)
            | Q(status__in=running, started_at__lt=started_before)
            # Taken up before runs said when: from when it was asked for.
            | Q(status__in=running, started_at__isnull=True, requested_at__lt=started_before)
        )

    def is_abandoned(self, now: datetime) -> bool:
        """Whether the run lost its worker (ScheduleFit.abandoned): the page offers another run,
        and a worker that takes it up late fails it instead of fitting."""
        if self.is_finished:
            return False
        queued_before, started_before = _fit_abandoned_before(now)
        if self.status == FitStatus.QUEUED:
            return self.requested_at < queued_before
        return (self.started_at or self.requested_at) < started_before

    @property
    def had_too_few_reviews(self) -> bool:
        return self.outcome == FitOutcome.NOT_ENOUGH

    @property
    def set_aside(self) -> int:
        """Reviews the optimizer's outlier filter set aside."""
        return max(0, self.candidates - self.items)

    @property
    def evaluated(self) -> int:
        """The reviews the log loss and RMSE were computed on (runs from before this was
        recorded counted only the ones trained on)."""
        return self.candidates or self.items


class CardState(models.Model):
    """A learner's memory of one question in fsrs's terms, created by their first review of it."""

    # No index of its own: (user, question) and (user, due) both start with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="card_states",
        db_index=False,
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="card_states")
    state = models.PositiveSmallIntegerField(choices=MemoryState, default=MemoryState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0, help_text="Reviews so far.")
    lapses = models.PositiveIntegerField(default=0, help_text="Times forgotten after learning.")
    is_leech = models.BooleanField(
        "leech", default=False, help_text="Forgotten as often as the learner's leech threshold."
    )
    created_at = models.DateTimeField(help_text="When the learner first reviewed the card.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="card_state_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(state__in=MemoryState.values), name="quizzes_card_state_state_known"
            ),
        ]
        indexes = [models.Index(fields=["user", "due"], name="card_state_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · {self.question}"

    # The one mapping between a card row and its values: every read and write goes through these.
    def values(self) -> scheduling.CardValues:
        """The card's values, as the scheduler takes them."""
        return scheduling.CardValues.read(self)

    def values_set(self, values: scheduling.CardValues) -> None:
        """Set the card's columns to `values` (unsaved)."""
        for name, value in values.columns().items():
            setattr(self, name, value)

    @staticmethod
    def values_of(card: "CardState | None") -> scheduling.CardValues:
        """A card's values, or a new card's when the learner has no row for it yet."""
        return scheduling.NEW_CARD if card is None else card.values()


class ReviewLog(models.Model):
    """One rating of one card. Append-only, except that "Undo" removes the latest study review."""

    # No index of its own: (user, reviewed_at) starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_logs",
        db_index=False,
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="review_logs")
    rating = models.PositiveSmallIntegerField(choices=Rating)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    origin = models.CharField(
        max_length=limits.CHOICE_LENGTHS["origin"],
        choices=ReviewOrigin,
        default=ReviewOrigin.STUDY,
    )
    state_before = models.PositiveSmallIntegerField(
        choices=MemoryState, null=True, blank=True, help_text="Empty for a card's first review."
    )
    previous_card = models.JSONField(
        null=True, blank=True, help_text="The card as it was before this review, for Undo."
    )

    class Meta:
        indexes = [models.Index(fields=["user", "reviewed_at"], name="review_log_user_reviewed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=min(Rating.values), rating__lte=max(Rating.values)),
                name="review_rating_1_4",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=ReviewOrigin.values), name="quizzes_review_origin_known"
            ),
            models.CheckConstraint(
                condition=Q(state_before__isnull=True) | Q(state_before__in=MemoryState.values),
                name="quizzes_review_state_before_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.question} {self.get_rating_display()}"


class CardEdit(models.Model):
    """A learner's change to one card from its page, outside rating it: Forget (back to new, its
    reviews kept) or Set due date. Part of the card's history; the latest one can be undone, from
    the card as it was before (`previous_card`), as long as the card has not moved on since."""

    # No index of its own: (user, question, made_at) starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="card_edits",
        db_index=False,
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        max_length=limits.CHOICE_LENGTHS["card_edit_kind"], choices=CardEditKind
    )
    made_at = models.DateTimeField()
    due = models.DateTimeField(
        null=True, blank=True, help_text="The due date set; empty for Forget."
    )
    previous_card = models.JSONField(
        help_text="The card before the change, for Undo: its values, leech tag and first review."
    )

    class Meta:
        indexes = [
            models.Index(fields=["user", "question", "-made_at"], name="card_edit_user_question")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CardEditKind.values), name="quizzes_card_edit_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(kind=CardEditKind.FORGET, due__isnull=True)
                | Q(kind=CardEditKind.SET_DUE, due__isnull=False),
                name="card_edit_set_due_has_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · {self.get_kind_display()}"


class CardHold(models.Model):
    """A learner keeping one question out of study and quizzes: buried until a moment (the start
    of their next day), or suspended until they unsuspend it.

    Apart from CardState because a new card, never reviewed, has no CardState row (and "new cards
    today" counts those rows), yet may be buried or suspended all the same.
    """

    # No index of its own: (user, question) starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="card_holds",
        db_index=False,
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="card_holds")
    kind = models.CharField(max_length=limits.CHOICE_LENGTHS["hold_kind"], choices=HoldKind)
    until = models.DateTimeField(null=True, blank=True, help_text="Empty while suspended.")
    placed_at = models.DateTimeField()
    origin = models.CharField(max_length=limits.CHOICE_LENGTHS["origin"], choices=HoldOrigin)
    # Set when a rating made the card a leech and suspended it: undoing that rating deletes the
    # log entry, and with it this hold. Holds the learner placed themselves have none.
    review_log = models.ForeignKey(
        ReviewLog, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="card_hold_one_per_question"),
            models.CheckConstraint(
                condition=Q(kind=HoldKind.SUSPEND, until__isnull=True)
                | Q(kind=HoldKind.BURY, until__isnull=False),
                name="card_hold_bury_has_end",
            ),
            models.CheckConstraint(
                condition=Q(origin=HoldOrigin.LEECH, review_log__isnull=False)
                | (~Q(origin=HoldOrigin.LEECH) & Q(review_log__isnull=True)),
                name="card_hold_leech_has_review",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=HoldOrigin.values), name="quizzes_card_hold_origin_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · {self.get_kind_display()}"


def _duration_label(seconds: int) -> str:
    """A length of time as "1 min 05 s", or "40 s" under a minute."""
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


class QuizAttempt(models.Model):
    # No index of its own: (user, -started_at) starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        db_index=False,
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="quiz_attempts"
    )
    length = models.PositiveSmallIntegerField(help_text="How many questions the quiz holds.")
    # Fewer questions than asked for are delivered when the category is small: Retake asks again
    # for what the learner chose, not for what they got.
    requested_length = models.PositiveSmallIntegerField(
        help_text="How many questions were asked for."
    )
    seconds_per_question = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    state = models.CharField(
        max_length=limits.CHOICE_LENGTHS["attempt_state"],
        choices=AttemptState,
        default=AttemptState.RUNNING,
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    ending = models.CharField(
        max_length=limits.CHOICE_LENGTHS["attempt_ending"], choices=AttemptEnding, blank=True
    )
    score = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "-started_at"], name="attempt_user_started")]
        constraints = [
            # A learner never has two quizzes running: a second start finds the first.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state=AttemptState.RUNNING),
                name="attempt_one_running_per_user",
            ),
            models.CheckConstraint(
                condition=Q(state=AttemptState.RUNNING, finished_at__isnull=True)
                | Q(state=AttemptState.FINISHED, finished_at__isnull=False),
                name="attempt_finished_has_time",
            ),
            models.CheckConstraint(
                condition=Q(ending__in=["", *AttemptEnding.values]),
                name="quizzes_attempt_ending_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Quiz {self.pk} of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz_attempt", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.state == AttemptState.RUNNING

    @property
    def time_used_label(self) -> str:
        """How long the learner took, as "1 min 05 s" (empty while running)."""
        if self.finished_at is None:
            return ""
        return _duration_label(round((self.finished_at - self.started_at).total_seconds()))

    @property
    def time_allowed_label(self) -> str:
        """The quiz's whole time, as time_used_label says a time: "1 min 40 s" of "2 min 30 s"."""
        return _duration_label(self.length * self.seconds_per_question)


class AttemptAnswer(models.Model):
    """One question of an attempt, fixed at the start; the learner's answer fills it in."""

    # No index of its own: (attempt, position) starts with it. Each start writes twenty answers,
    # and every index is written twenty times.
    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list, blank=True, help_text="Choice ids as shown.")
    answered_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(max_length=limits.MAX_RESPONSE_LENGTH, blank=True)
    chosen_choice_id = models.BigIntegerField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    # A typed answer the grader refused, made right after the quiz: by the learner ("I was
    # right") or by an editor accepting its phrasing. Empty: the grader's verdict stands.
    marked_right_by = models.CharField(
        max_length=limits.CHOICE_LENGTHS["marked_right_by"],
        choices=MarkedRightBy,
        blank=True,
        default="",
    )

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="answer_position_unique"),
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_question_unique"),
            models.CheckConstraint(
                condition=Q(marked_right_by="")
                | Q(marked_right_by__in=MarkedRightBy.values, is_correct=True),
                name="answer_marked_right_is_correct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.position + 1}"


REPORTS_ARE_KEPT = (
    "Reports are never deleted: they are the record of what learners told the Editors. Close "
    "one by marking it fixed or rejected."
)


class QuestionReportQuerySet(models.QuerySet["QuestionReport"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise models.ProtectedError(REPORTS_ARE_KEPT, set(self))


class QuestionReport(models.Model):
    """A learner's word that a question is wrong or unclear, for the Editors to fix or reject.

    Never deleted, by anyone: delete() on a report or a query of reports raises ProtectedError,
    and so does deleting what a report points at (a question, a learner), through pre_delete.
    """

    # No index of its own: (question, status) starts with it.
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="reports", db_index=False
    )
    # A learner who deletes their account leaves their reports to the Editors, without the name:
    # what is wrong with a question is still wrong after its reporter has gone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question_reports",
        verbose_name="learner",
    )
    origin = models.CharField(
        max_length=limits.CHOICE_LENGTHS["origin"],
        choices=ReviewOrigin,
        help_text="Where the learner sent it from.",
    )
    response = models.CharField(
        "learner's answer",
        max_length=limits.MAX_RESPONSE_LENGTH,
        blank=True,
        help_text="What the learner answered, where known (empty: no answer, or not known).",
    )
    comment = models.TextField(max_length=limits.MAX_REPORT_COMMENT_LENGTH)
    status = models.CharField(
        max_length=limits.CHOICE_LENGTHS["report_status"],
        choices=ReportStatus,
        default=ReportStatus.OPEN,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = QuestionReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_status_created"),
            models.Index(fields=["question", "status"], name="report_question_status"),
        ]
        constraints = [
            # One open report per learner and question: a second one is "already reported".
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(status=ReportStatus.OPEN),
                name="report_one_open_per_learner_question",
                violation_error_message=(
                    "This learner already has an open report on this question."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_known"
            ),
            models.CheckConstraint(condition=~Q(comment=""), name="report_comment_not_empty"),
            models.CheckConstraint(
                condition=Q(origin__in=ReviewOrigin.values), name="quizzes_report_origin_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.question}"

    def delete(self, using: Any = None, keep_parents: bool = False) -> tuple[int, dict[str, int]]:
        raise models.ProtectedError(REPORTS_ARE_KEPT, {self})


@receiver(pre_delete, sender=QuestionReport)
def report_refuse_delete(sender: type[QuestionReport], instance: QuestionReport, **_: Any) -> None:
    """Refuse a report's deletion by cascade too (its question's or its learner's): a receiver
    makes Django delete reports one by one, through here, rather than with one fast DELETE."""
    raise models.ProtectedError(REPORTS_ARE_KEPT, {instance})


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def reports_forget_learner_answers(sender: Any, instance: Any, **_: Any) -> None:
    """A learner deleted, by themselves or in the admin: what they had answered, quoted in their
    reports, is theirs and goes with them; the reports stay, with no learner (SET_NULL)."""
    QuestionReport.objects.filter(user=instance).update(response="")


class AnswerClaim(models.Model):
    """A learner's typed phrasing for the editors: one the grader refused, or one they said was
    right ("I was right"). Editors accept a phrasing (it joins the fact's forms and every stored
    answer with it is regraded) or reject it, saying why."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="answer_claims",
        verbose_name="learner",
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answer_claims")
    # No index of its own: (fact, normalised) starts with it.
    fact = models.ForeignKey(
        "Fact", on_delete=models.CASCADE, related_name="answer_claims", db_index=False
    )
    response = models.CharField("learner's answer", max_length=limits.MAX_RESPONSE_LENGTH)
    normalised = models.CharField(
        max_length=limits.MAX_RESPONSE_LENGTH,
        help_text="The answer as the grader compares it (case, accents, punctuation set aside).",
    )
    origin = models.CharField(max_length=limits.CHOICE_LENGTHS["origin"], choices=ReviewOrigin)
    attempt_answer = models.OneToOneField(
        AttemptAnswer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claim",
        help_text="The quiz answer, for a phrasing given in a quiz.",
    )
    claimed = models.BooleanField(
        "said “I was right”", default=False, help_text="Empty: only refused by the grader."
    )
    status = models.CharField(
        max_length=limits.CHOICE_LENGTHS["claim_status"],
        choices=ClaimStatus,
        default=ClaimStatus.PENDING,
    )
    reason = models.TextField(max_length=limits.MAX_CLAIM_REASON_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["fact", "normalised", "status"], name="claim_fact_phrasing"),
            models.Index(fields=["status", "fact"], name="claim_status_fact"),
        ]
        constraints = [
            # A phrasing given in study is kept once per learner and question.
            models.UniqueConstraint(
                fields=["user", "question", "normalised"],
                condition=Q(attempt_answer__isnull=True),
                name="claim_one_study_phrasing",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_known"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=ReviewOrigin.values), name="claim_origin_known"
            ),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ClaimStatus.PENDING) & Q(decided_at__isnull=False)),
                name="claim_decided_has_time",
            ),
            models.CheckConstraint(condition=~Q(normalised=""), name="claim_normalised_not_empty"),
        ]

    def __str__(self) -> str:
        # Staff read it (titles, breadcrumbs, the list's boxes): what a learner typed, as typed.
        return f"“{controls_shown(self.response)}” for {self.question}"
