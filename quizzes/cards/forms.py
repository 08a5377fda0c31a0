"""The cards page's filters and its bulk suspend / unsuspend."""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from learnfrl.forms import FirstErrorFocused
from quizzes import limits
from quizzes.bank.cache import bank_current
from quizzes.bank.selectors import category_choices
from quizzes.cards.selectors import SORT_KEYS
from quizzes.enums import CardFilterState, CardsBulkAction
from quizzes.rules.duedays import DueDays, DueDaysError, due_days_parse
from quizzes.rules.search import HELP, InCategory, SearchError, Term, search_parse
from quizzes.web import RequestForm, enum_field

# Each column's key, and "-" before it for the other way round.
SORT_VALUES = frozenset(SORT_KEYS) | {f"-{key}" for key in SORT_KEYS}


class CardFilterForm(RequestForm):
    """The cards page's filters, sort and page, read from the query string."""

    category = forms.ChoiceField(label="Category", required=False, choices=category_choices)
    state = forms.TypedChoiceField(
        label="State",
        required=False,
        choices=[("", "Any state"), *CardFilterState.choices],
        coerce=CardFilterState,
        empty_value=None,
    )
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=limits.CARDS_SEARCH_MAX_LENGTH,
        help_text=HELP,
        error_messages={
            "max_length": f"Search for at most {limits.CARDS_SEARCH_MAX_LENGTH} characters."
        },
    )
    # Never shown as a list (the column headings' links set it), so not a ChoiceField: a form
    # deep-copies its fields for every request, and twenty choices were 90 of the form's 220 µs.
    sort = forms.CharField(required=False, strip=False)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=10**6,
        error_messages={
            "invalid": "Say which page, as a number.",
            "min_value": "Pages start at 1.",
        },
    )

    def clean_sort(self) -> str:
        value: str = self.cleaned_data["sort"]
        if value and value not in SORT_VALUES:
            raise ValidationError("The cards cannot be sorted that way.", code="invalid_choice")
        return value

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        try:
            terms = search_parse(text)
        except SearchError as error:
            raise ValidationError(str(error), code="search") from None
        asked = [t.condition.slug for t in terms if isinstance(t.condition, InCategory)]
        # The bank is read only for a search that names a category.
        known = {c.slug for c in bank_current().categories} if asked else set()
        for slug in asked:
            if slug not in known:
                raise ValidationError(
                    f"There is no category “{slug}”. The categories are: "
                    + ", ".join(f"cat:{slug}" for slug in sorted(known))
                    + ".",
                    code="search",
                )
        self.terms = terms
        return text

    @property
    def search_terms(self) -> tuple[Term, ...]:
        """The search's terms, once the form is valid."""
        return getattr(self, "terms", ())

    @property
    def search_problem(self) -> bool:
        """Only the search text is wrong: the page shows why, beside the box."""
        return not self.is_valid() and set(self.errors) == {"q"}


CHOOSE_CARDS = "Choose at least one card."


CHOOSE_SUSPEND_OR_UNSUSPEND = "Choose to suspend or to unsuspend the chosen cards."


class ActiveQuestionsField(forms.TypedMultipleChoiceField):
    """Ids of questions, each one of the current bank's active questions. The bank is read once
    for the whole list: as choices it would be read again for every id."""

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        active = {str(question.id) for question in bank_current().active}
        for item in value:
            if item not in active:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )


class CardsBulkForm(RequestForm):
    """Suspend or unsuspend the cards ticked on the cards page (or the one card of its page), or
    every card that the page's search matches: the server searches again, with the filters the
    form carries (category, state, q), and trusts no list of the client's."""

    action = enum_field(CardsBulkAction, message=CHOOSE_SUSPEND_OR_UNSUSPEND)
    card = ActiveQuestionsField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "That card is not in the bank."},
    )
    all_matches = forms.BooleanField(required=False)
    back = forms.CharField(required=False, max_length=limits.CARDS_BACK_MAX_LENGTH)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("all_matches") and not cleaned.get("card") and not self.errors:
            raise ValidationError(CHOOSE_CARDS, code="required")
        return cleaned

    @property
    def nothing_chosen(self) -> bool:
        """Only no card was chosen (a press of Suspend with none ticked): the learner goes back
        to the list to tick some, not to an error page that loses their filters."""
        return not self.is_valid() and set(self.errors) == {NON_FIELD_ERRORS}


class SetDueForm(FirstErrorFocused):
    """Set a card's due date as Anki does: a day from today ("3"; "0" is today) or a range of
    days to spread cards over ("3-7"). Refused, the field has the cursor, beside why: the form
    is far down the card's page, below the fold."""

    days = forms.CharField(
        label="Due in (days)",
        max_length=limits.SET_DUE_MAX_LENGTH,
        help_text="A number of days from today, as 3 (0 is today), or a range, as 3-7.",
        error_messages={"required": "Say in how many days, as 3, or a range, as 3-7."},
    )

    def clean_days(self) -> DueDays:
        try:
            return due_days_parse(self.cleaned_data["days"])
        except DueDaysError as error:
            raise ValidationError(str(error), code="days") from None
