"""Learners' text as editors read it in the admin: each character that reorders the text around
it named in its place ("[U+202E]"), so that what a learner typed reads as typed, and a learner's
"\u202eeurt" never passes for "true" (quizzes.rules.visible)."""

from typing import Any

from django.contrib import admin
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString

from quizzes.rules.visible import controls_shown


class LearnerTextShown:
    """Display methods for a model admin or an inline: a learner's response and comment."""

    @admin.display(description="response", ordering="response")
    def response_shown(self, obj: Any) -> str:
        return controls_shown(obj.response)

    @admin.display(description="comment")
    def comment_shown(self, obj: Any) -> SafeString:
        # As the admin shows a read-only text field: escaped, its lines kept.
        return linebreaksbr(controls_shown(obj.comment), autoescape=True)
