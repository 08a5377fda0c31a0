"""Hedges: the words by which the article attributes a claim rather than states it. A hedged claim
stays hedged (CONTENT.md): an edit that takes the last hedge out of a prompt or a fact's claim,
while its passage still hedges, would teach as fact what the article only reports."""

import re

HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|alleged|supposedly|purportedly|apparently|claim(?:s|ed|ing)?"
    r"|according to|sa(?:id|ys|y)|stated?|states|announced|denied|denies|believed)\b",
    re.IGNORECASE,
)


def hedge_dropped(before: str, after: str, passage: str) -> str | None:
    """The hedge `before` had where `after` has none, while `passage` hedges too: what an edit
    would take out ("reportedly"); None where it keeps one, or none was there."""
    had = HEDGES.search(before)
    if had is None or HEDGES.search(after) or not HEDGES.search(passage):
        return None
    return had.group()


def hedge_message(hedge: str, field: str) -> str:
    """What the admin says of an edit that takes the last hedge out of a `field`."""
    return (
        f"The {field} no longer says “{hedge}” or any other hedge, while its passage still "
        "hedges: the article reports this claim, and the card would teach it as fact. Keep a "
        "hedge (“reportedly”, “according to …”, “… said”)."
    )
