"""`text|controls_shown`: a learner's text with each character that reorders it named
(quizzes.rules.visible.controls_shown), for the editors' pages."""

from django import template

from quizzes.rules.visible import controls_shown as _controls_shown

register = template.Library()


@register.filter
def controls_shown(text: str) -> str:
    return _controls_shown(str(text))
