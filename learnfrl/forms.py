"""The renderer every form of the site goes through."""

from django.forms.renderers import DjangoTemplates


class SiteFormRenderer(DjangoTemplates):
    """Render every form and field with the site's templates: a label or legend for each field,
    its errors and help linked to it (aria-describedby), a fieldset for a group of radios."""

    form_template_name = "form_fields.html"
    field_template_name = "form_field.html"
