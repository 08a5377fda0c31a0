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
