"""The cards page's filters and its bulk suspend / unsuspend."""

from typing import Any

from django import forms

from quizzes import limits
from quizzes.cards.selectors import SORT_KEYS
from quizzes.enums import CardFilterState
from quizzes.web import RequestForm

SORT_CHOICES = [(key, key) for key in SORT_KEYS] + [(f"-{key}", f"-{key}") for key in SORT_KEYS]


class CardFilterForm(RequestForm):
    """The cards page's filters, sort and page, read from the query string."""

    category = forms.ChoiceField(label="Category", required=False)
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "Any state"), *CardFilterState.choices],
    )
    q = forms.CharField(
        label="Prompt contains",
        required=False,
        max_length=limits.CARDS_SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": f"Search for at most {limits.CARDS_SEARCH_MAX_LENGTH} characters."
        },
    )
    sort = forms.ChoiceField(
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": "The cards cannot be sorted that way."},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=10**6,
        error_messages={
            "invalid": "Say which page, as a number.",
            "min_value": "Pages start at 1.",
        },
    )

    def __init__(self, data: Any, *, categories=()) -> None:
        super().__init__(data)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "All categories")] + [(c.slug, c.name) for c in categories]


CHOOSE_CARDS = "Choose at least one card."


CHOOSE_SUSPEND_OR_UNSUSPEND = "Choose to suspend or to unsuspend the chosen cards."


class CardsBulkForm(RequestForm):
    """Suspend or unsuspend the cards ticked on the cards page (or the one card of its page)."""

    action = forms.ChoiceField(
        choices=[("suspend", "Suspend"), ("unsuspend", "Unsuspend")],
        error_messages={
            "required": CHOOSE_SUSPEND_OR_UNSUSPEND,
            "invalid_choice": CHOOSE_SUSPEND_OR_UNSUSPEND,
        },
    )
    card = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": CHOOSE_CARDS,
            "invalid_choice": "That card is not in the bank.",
        },
    )
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data: Any, *, question_ids=()) -> None:
        super().__init__(data)
        card = self.fields["card"]
        assert isinstance(card, forms.ChoiceField)
        card.choices = [(str(i), str(i)) for i in question_ids]
