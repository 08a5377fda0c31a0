"""Anki's "Set due date" syntax: "3" (in three days), "0" (today), "3-7" (a day from three to
seven days ahead, picked at random to spread the cards). Pure: text in, a range or an error out."""

import random
import re
from dataclasses import dataclass

from quizzes.limits import SET_DUE_MAX_DAYS

# Any count of digits (the form bounds the text's length): "100000" is too far ahead, not
# written wrongly.
_DAYS = re.compile(r"(?P<low>\d+)(\s*-\s*(?P<high>\d+))?", re.ASCII)


class DueDaysError(ValueError):
    """The text is not a day or a range of days: the message says how to write one."""


@dataclass(frozen=True)
class DueDays:
    """A range of days from today, both ends included (one day: low == high)."""

    low: int
    high: int

    def pick(self, rng: random.Random) -> int:
        """One day of the range, drawn from `rng`."""
        return rng.randint(self.low, self.high)


def due_days_parse(text: str) -> DueDays:
    """Read "3" or "3-7"; raise DueDaysError saying how to write it otherwise."""
    text = text.strip()
    if text.endswith("!"):
        raise DueDaysError(
            "Setting the interval too (Anki's “!”) is not offered: your memory of the card, as "
            "FSRS tracks it, decides the next interval. Leave out the “!”."
        )
    match = _DAYS.fullmatch(text)
    if match is None:
        raise DueDaysError(
            "Write a number of days from today, as 3 (0 is today), or a range, as 3-7."
        )
    low = int(match["low"])
    high = int(match["high"]) if match["high"] is not None else low
    if low > high:
        raise DueDaysError(f"A range goes from the smaller number: {high}-{low}, not {text}.")
    if high > SET_DUE_MAX_DAYS:
        raise DueDaysError(f"A card can be moved at most {SET_DUE_MAX_DAYS} days ahead.")
    return DueDays(low, high)
