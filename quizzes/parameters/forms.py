"""The learner's study settings, leech settings and choice of FSRS parameters."""

from typing import Any, cast

from django import forms

from learnfrl.forms import FirstErrorFocused, whole_number_field
from quizzes import limits
from quizzes.enums import LeechAction, ParametersChoice
from quizzes.rules import days
from quizzes.web import RequestForm, enum_field

RETENTION_PERCENT_MIN = round(limits.RETENTION_MIN * 100)
RETENTION_PERCENT_MAX = round(limits.RETENTION_MAX * 100)
RETENTION_REFUSED = (
    f"Desired retention must be a percentage from {RETENTION_PERCENT_MIN} to "
    f"{RETENTION_PERCENT_MAX}, such as {round(limits.RETENTION_DEFAULT * 100)}."
)


def _percent(value: float) -> str:
    # To two decimals of a percent, as the box shows it; "+ 0.0" says -0 as 0.
    return f"{round(value * 100, 2) + 0.0:g}"


class RetentionField(forms.FloatField):
    """The desired retention, shown and typed in percent as the rest of the site shows it (90
    for 0.90). A fraction as Anki writes it (0.9) is read as one too: no percentage in range is
    at most 1, so the two never meet. Cleaned to the fraction FSRS takes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=forms.NumberInput(
                attrs={"min": RETENTION_PERCENT_MIN, "max": RETENTION_PERCENT_MAX, "step": "any"}
            ),
            error_messages={"invalid": RETENTION_REFUSED, "required": RETENTION_REFUSED},
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        # The learner's own (a fraction) in percent; what they typed, shown again, as typed.
        return _percent(value) if isinstance(value, float) else value

    def clean(self, value: Any) -> float:
        typed: float = super().clean(value)
        as_fraction = -1 <= typed <= 1
        fraction = typed if as_fraction else typed / 100
        if not limits.RETENTION_MIN <= fraction <= limits.RETENTION_MAX:
            # What the learner typed, as typed: "97.0000001" is not "97", which is allowed.
            text = str(value).strip()
            said = text + (f" (that is {_percent(typed)}%)" if as_fraction else "%")
            raise forms.ValidationError(
                f"{RETENTION_REFUSED} You entered {said}.", code="out_of_range"
            )
        return fraction


class StudySettingsForm(FirstErrorFocused):
    desired_retention = RetentionField(
        label="Desired retention (%)",
        help_text=(
            "How likely you want to be to remember a card when it comes back, in percent: from "
            f"{RETENTION_PERCENT_MIN} to {RETENTION_PERCENT_MAX}. Higher means more reviews. "
            "Anki's way of writing it (0.90 for 90) is understood too."
        ),
    )
    new_per_day = whole_number_field(
        label="New cards per day",
        low=0,
        high=limits.NEW_PER_DAY_MAX,
        message=f"New cards per day must be a whole number from 0 to {limits.NEW_PER_DAY_MAX}.",
        help_text=f"From 0 to {limits.NEW_PER_DAY_MAX}.",
    )
    max_reviews_per_day = whole_number_field(
        label="Maximum reviews per day",
        low=1,
        high=limits.MAX_REVIEWS_PER_DAY_MAX,
        message=(
            "Maximum reviews per day must be a whole number from 1 to "
            f"{limits.MAX_REVIEWS_PER_DAY_MAX}."
        ),
        help_text=f"From 1 to {limits.MAX_REVIEWS_PER_DAY_MAX}.",
    )
    # Not required: a post without it (an older form) keeps the learner's goal.
    daily_goal = whole_number_field(
        label="Daily goal (reviews)",
        required=False,
        low=0,
        high=limits.DAILY_GOAL_MAX,
        message=(
            "The daily goal must be a whole number of reviews from 0 (no goal) to "
            f"{limits.DAILY_GOAL_MAX}."
        ),
        help_text=(
            "Reviews a day you aim at, shown beside your streak on the progress page; "
            f"0 for no goal (up to {limits.DAILY_GOAL_MAX})."
        ),
    )

    def clean_desired_retention(self) -> float:
        """The learner's own retention where the box posts back what it showed: 0.801 shows as
        80.1, which reads back one bit off, and 80.123456 as 80.12; taken for a new retention,
        either recomputed every card at the next save of any other setting (a fresh-eyes
        review)."""
        value: float = self.cleaned_data["desired_retention"]
        field = self.fields["desired_retention"]
        before = self.get_initial_for_field(field, "desired_retention")
        if isinstance(before, float) and _percent(before) == _percent(value):
            return before
        return value


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
    day_starts_at = whole_number_field(
        label="Next day starts at",
        required=False,
        low=limits.DAY_STARTS_AT_MIN,
        high=limits.DAY_STARTS_AT_MAX,
        message=(
            "The hour your next day starts at must be a whole number from "
            f"{limits.DAY_STARTS_AT_MIN} (midnight) to {limits.DAY_STARTS_AT_MAX} (11 pm)."
        ),
        help_text=(
            "The hour, your time, your next day starts: daily limits start again and cards due "
            f"in days come then. From 0 (midnight) to 23; Anki's default is "
            f"{limits.DAY_STARTS_AT_DEFAULT}."
        ),
    )
    learn_ahead_minutes = whole_number_field(
        label="Learn ahead limit (minutes)",
        required=False,
        low=0,
        high=limits.LEARN_AHEAD_MINUTES_MAX,
        message=(
            "The learn ahead limit must be a whole number of minutes from 0 to "
            f"{limits.LEARN_AHEAD_MINUTES_MAX} (a day)."
        ),
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

    leech_threshold = whole_number_field(
        label="Leech threshold",
        required=False,
        low=limits.LEECH_THRESHOLD_MIN,
        high=limits.LEECH_THRESHOLD_MAX,
        message=(
            "The leech threshold must be a whole number of times forgotten from "
            f"{limits.LEECH_THRESHOLD_MIN} to {limits.LEECH_THRESHOLD_MAX}."
        ),
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
