"""The learner's study settings, leech settings and choice of FSRS parameters."""

from typing import Any, cast

from django import forms

from learnfrl.forms import FirstErrorFocused
from quizzes import limits
from quizzes.enums import LeechAction, ParametersChoice
from quizzes.rules import days
from quizzes.web import RequestForm, enum_field


class StudySettingsForm(FirstErrorFocused):
    desired_retention = forms.FloatField(
        label="Desired retention",
        min_value=limits.RETENTION_MIN,
        max_value=limits.RETENTION_MAX,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=(
            "How likely you want to be to remember a card when it comes back, from "
            f"{limits.RETENTION_MIN:.2f} to {limits.RETENTION_MAX:.2f}. Higher means more reviews."
        ),
    )
    new_per_day = forms.IntegerField(
        label="New cards per day",
        min_value=0,
        max_value=limits.NEW_PER_DAY_MAX,
        help_text=f"From 0 to {limits.NEW_PER_DAY_MAX}.",
    )
    max_reviews_per_day = forms.IntegerField(
        label="Maximum reviews per day",
        min_value=1,
        max_value=limits.MAX_REVIEWS_PER_DAY_MAX,
        help_text=f"From 1 to {limits.MAX_REVIEWS_PER_DAY_MAX}.",
    )
    # Not required: a post without it (an older form) keeps the learner's goal.
    daily_goal = forms.IntegerField(
        label="Daily goal (reviews)",
        required=False,
        min_value=0,
        max_value=limits.DAILY_GOAL_MAX,
        help_text=(
            "Reviews a day you aim at, shown beside your streak on the progress page; "
            f"0 for no goal (up to {limits.DAILY_GOAL_MAX})."
        ),
    )


_ZONE_CHOICES = [("", "Keep my time zone")] + [(n, days.zone_label(n)) for n in days.zone_names()]


class DaySettingsForm(FirstErrorFocused):
    """The learner's day, a fieldset of its own on the settings page. A post without these
    fields keeps the learner's current ones."""

    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        choices=_ZONE_CHOICES,
        help_text="Your days, daily limits and due dates follow this time zone.",
    )
    day_starts_at = forms.IntegerField(
        label="Next day starts at",
        required=False,
        min_value=limits.DAY_STARTS_AT_MIN,
        max_value=limits.DAY_STARTS_AT_MAX,
        help_text=(
            "The hour, your time, your next day starts: daily limits start again and cards due "
            f"in days come then. From 0 (midnight) to 23; Anki's default is "
            f"{limits.DAY_STARTS_AT_DEFAULT}."
        ),
    )
    learn_ahead_minutes = forms.IntegerField(
        label="Learn ahead limit (minutes)",
        required=False,
        min_value=0,
        max_value=limits.LEARN_AHEAD_MINUTES_MAX,
        help_text=(
            "When nothing else is due, show a card in its learning steps this many minutes "
            f"early (Anki's default is {limits.LEARN_AHEAD_MINUTES_DEFAULT})."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A zone of the learner's that the list leaves out (an alias such as "US/Eastern", which
        # a browser may give at sign-up) is listed too, so the list shows it and keeps it.
        own = str(self.initial.get("time_zone") or "")
        if days.zone_named(own) is not None and own not in days.zone_names():
            field = cast(forms.ChoiceField, self.fields["time_zone"])
            keep, *zones = _ZONE_CHOICES
            field.choices = [keep, (own, days.zone_label(own)), *zones]


SIBLINGS_WAIT = "wait"
SIBLINGS_SAME_DAY = "same_day"


class SiblingSettingsForm(FirstErrorFocused):
    """Whether a fact's other cards wait for the next day (Anki's "bury siblings"), a fieldset
    of its own on the settings page. A post without it keeps the learner's current choice."""

    bury_siblings = forms.TypedChoiceField(
        label="After you see a card of a fact",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (SIBLINGS_WAIT, "Its other cards wait until your next day (as Anki's bury siblings)"),
            (SIBLINGS_SAME_DAY, "Its other cards can come the same day"),
        ],
        coerce=lambda value: value == SIBLINGS_WAIT,
        empty_value=None,
    )


class LeechSettingsForm(FirstErrorFocused):
    """The leech settings, a fieldset of their own on the settings page. A post without them
    keeps the learner's current ones."""

    leech_threshold = forms.IntegerField(
        label="Leech threshold",
        required=False,
        min_value=limits.LEECH_THRESHOLD_MIN,
        max_value=limits.LEECH_THRESHOLD_MAX,
        help_text=(
            "A card you have forgotten this many times after learning it is a leech "
            f"(from {limits.LEECH_THRESHOLD_MIN} to {limits.LEECH_THRESHOLD_MAX}; "
            f"Anki's default is {limits.LEECH_THRESHOLD_DEFAULT})."
        ),
    )
    leech_action = forms.TypedChoiceField(
        label="When a card becomes a leech",
        required=False,
        choices=LeechAction.choices,
        coerce=LeechAction,
        empty_value=None,
    )


class ParametersChoiceForm(RequestForm):
    """Switch the learner's FSRS parameters: to the defaults, or back to the previous ones."""

    use = enum_field(
        ParametersChoice, message="Say which parameters to use: the default or your previous ones."
    )
