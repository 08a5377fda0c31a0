"""Site-level forms: sign-up, and the renderer every form of the site goes through."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.forms.renderers import DjangoTemplates


class SiteFormRenderer(DjangoTemplates):
    """Render every form and field with the site's templates: a label or legend for each field,
    its errors and help linked to it (aria-describedby), a fieldset for a group of radios."""

    form_template_name = "form_fields.html"
    field_template_name = "form_field.html"


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label="E-mail (optional)",
        required=False,
        help_text="Only used to reset your password if you forget it.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
