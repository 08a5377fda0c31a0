"""Which questions go into the Anki deck."""

from django import forms

from quizzes.bank.selectors import category_choices
from quizzes.web import RequestForm


class AnkiDeckForm(RequestForm):
    """Which questions to put in the Anki deck: every category, or one."""

    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=category_choices,
        error_messages={"invalid_choice": "There is no category with that name to export."},
    )


# How far ahead the forecast looks, as Anki's "Future due" offers it: a month, 3 months, a year.
FORECAST_RANGES = ((30, "Next month"), (90, "Next 3 months"), (365, "Next year"))


class ForecastForm(RequestForm):
    """How many days the forecast of due cards covers."""

    days = forms.TypedChoiceField(
        label="Show",
        required=False,
        choices=FORECAST_RANGES,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "The forecast covers a month, 3 months or a year."},
    )

    def clean_days(self) -> int:
        """The days asked for; a month when none are."""
        days: int | None = self.cleaned_data["days"]
        return FORECAST_RANGES[0][0] if days is None else days


# The statistics' spans, as Anki's graphs offer them: a month, 3 months, a year, all time.
STATISTICS_RANGES = (
    ("30", "Last month"),
    ("90", "Last 3 months"),
    ("365", "Last year"),
    ("all", "All time"),
)


class StatisticsForm(RequestForm):
    """Over how many days (up to today) the statistics count reviews; all time is None."""

    range = forms.ChoiceField(
        label="Reviews from",
        required=False,
        choices=STATISTICS_RANGES,
        error_messages={
            "invalid_choice": "The statistics cover a month, 3 months, a year or all time."
        },
    )

    def clean_range(self) -> int | None:
        """The days asked for (a month when none are), None for all time."""
        value: str = self.cleaned_data["range"] or STATISTICS_RANGES[0][0]
        return None if value == "all" else int(value)
