"""Which questions go into the Anki deck."""

from collections.abc import Iterable
from typing import Any

from django import forms

from quizzes.models import Category
from quizzes.web import RequestForm


class AnkiDeckForm(RequestForm):
    """Which questions to put in the Anki deck: every category, or one."""

    category = forms.ChoiceField(
        label="Category",
        required=False,
        error_messages={"invalid_choice": "There is no category with that name to export."},
    )

    def __init__(self, data: Any, *, categories: Iterable[Category]) -> None:
        super().__init__(data)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "All categories")] + [(c.slug, c.name) for c in categories]
