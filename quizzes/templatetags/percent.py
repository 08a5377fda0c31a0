"""`share|pct`: a share from 0 to 1 as a percentage with one decimal, as Anki's tables show it."""

from django import template

register = template.Library()


@register.filter
def pct(share: float | None) -> str:
    """0.8125 -> "81.3%"; None (nothing to divide) -> "—"."""
    if share is None:
        return "—"
    return f"{100 * share:.1f}%"
