"""`share|pct`: a share from 0 to 1 as a percentage with one decimal, as Anki's tables show it;
`difficulty|difficulty_pct`: an FSRS difficulty as Anki shows it, on the statistics' scale."""

from django import template

from quizzes.rules.ankistats import difficulty_share

register = template.Library()


@register.filter
def pct(share: float | None) -> str:
    """0.8125 -> "81.3%"; None (nothing to divide) -> "—"."""
    if share is None:
        return "—"
    return f"{100 * share:.1f}%"


@register.filter
def difficulty_pct(difficulty: float | None) -> str:
    """FSRS difficulty (1 to 10) as (D - 1) / 9 in percent, as Anki's card info and our
    statistics show it: 1.0 -> "0%", 10.0 -> "100%"; None -> "—". (A card's page said "1.0 of
    10" and its list "1.0" where the statistics put the card in their 0–10% bin.)"""
    if difficulty is None:
        return "—"
    return f"{100 * difficulty_share(difficulty):.0f}%"
