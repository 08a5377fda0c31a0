"""The renderer every form of the site goes through, where a form shown again puts the cursor,
and a whole-number field that says its own range when refused."""

from django import forms
from django.forms.renderers import DjangoTemplates


class SiteFormRenderer(DjangoTemplates):
    """Render every form and field with the site's templates: a label or legend for each field,
    its errors and help linked to it (aria-describedby), a fieldset for a group of radios."""

    form_template_name = "form_fields.html"
    field_template_name = "form_field.html"


class FirstErrorFocused(forms.Form):
    """A form shown again with errors puts the cursor on the first field that has one, beside its
    message, not on the form's first field (on a phone the one error could be below the fold)."""

    def full_clean(self) -> None:
        super().full_clean()
        errored = next((name for name in self.fields if name in self.errors), None)
        if errored is None:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[errored].widget.attrs["autofocus"] = True


def whole_number_field(
    *,
    label: str,
    low: int,
    high: int,
    message: str,
    help_text: str = "",
    required: bool = True,
    required_message: str = "",
    initial: int | None = None,
) -> forms.IntegerField:
    """A whole number from `low` to `high`: anything else (out of range, a fraction, a word)
    fails with `message`, which names the field and its range in our own words, where Django's
    say "Ensure this value is less than or equal to 500." of no field in particular."""
    return forms.IntegerField(
        label=label,
        required=required,
        initial=initial,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "required": required_message or message,
        },
    )
