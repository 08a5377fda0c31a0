"""Dates as learners write them: "1 June 2023", "June 1st, 2023", "2023-06-01", "01/06/2023"
(numbers read day first, as the site writes dates). Pure; grading's second rule."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from quizzes.rules.answer_words import CHARACTER_FOLDS
from quizzes.rules.word_lists import MONTH_NAMES, MONTH_NUMBERS

_SPACES = re.compile(r"\s+")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_YEAR = r"(?P<year>\d{4})"
# Every pattern is matched against the whole answer (lower case, single spaces, no leading "on" or
# "the"). Numbers are read day first, as the site writes dates: 05/04/2022 is 5 April 2022.
_ORDINAL_NAMES = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
_ORDINALS = {word: n for n, word in enumerate(_ORDINAL_NAMES.split(), start=1)} | {"thirtieth": 30}
_ORDINAL = r"(?:(?P<tens>twenty|thirty)[ -])?(?P<unit>" + "|".join(_ORDINALS) + ")"
_MONTH_NAME = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
# A day in words beside a month: "the first of June", "June the first", "twenty-first June".
_ORDINAL_BEFORE = re.compile(
    rf"\b(?:the\s+)?{_ORDINAL}(?:\s+of)?\s+(?=(?:{_MONTH_NAME})\b)", re.IGNORECASE
)
_ORDINAL_AFTER = re.compile(
    rf"\b(?P<month>{_MONTH_NAME})\.?\s+(?:the\s+)?{_ORDINAL}\b", re.IGNORECASE
)


def _ordinal_day(match: re.Match[str]) -> int | None:
    tens = {"twenty": 20, "thirty": 30}.get((match["tens"] or "").casefold(), 0)
    unit = _ORDINALS[match["unit"].casefold()]
    day = tens + unit
    return day if (not tens or unit < 10) and day <= 31 else None


def days_in_figures(text: str) -> str:
    """A text with each day written in words beside a month in figures: "the first of June
    2022" is "1 June 2022", "June twenty-first" "June 21"."""

    def before(match: re.Match[str]) -> str:
        day = _ordinal_day(match)
        return match.group() if day is None else f"{day} "

    def after(match: re.Match[str]) -> str:
        day = _ordinal_day(match)
        return match.group() if day is None else f"{match['month']} {day}"

    return _ORDINAL_AFTER.sub(after, _ORDINAL_BEFORE.sub(before, text))


_DATE_PATTERNS = [
    re.compile(rf"{_DAY}(?: of)? {_MONTH}(?:,? {_YEAR})?"),
    re.compile(rf"{_MONTH} {_DAY}(?:,? {_YEAR})?"),
    re.compile(rf"{_MONTH},? (?:of )?{_YEAR}"),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?"),
    re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>\d{4}|\d{2}))?"),
    re.compile(r"(?P<month>\d{1,2})[/.-](?P<year>\d{4})"),
]


@dataclass(frozen=True)
class DateValue:
    """A date as a learner writes it: day and month, with or without a year, or month and year."""

    year: int | None
    month: int
    day: int | None

    def __str__(self) -> str:
        month = MONTH_NAMES.split()[self.month - 1].capitalize()  # never the locale's
        parts = [str(self.day) if self.day else "", month, str(self.year) if self.year else ""]
        return " ".join(p for p in parts if p)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> DateValue | None:
    """Read a date as a learner writes it, or None when the text is not one date."""
    cleaned = unicodedata.normalize("NFKC", text).translate(CHARACTER_FOLDS).casefold()
    cleaned = _SPACES.sub(" ", cleaned).strip().rstrip(".")
    for prefix in ("in ", "on ", "the "):
        cleaned = cleaned.removeprefix(prefix)
    cleaned = days_in_figures(cleaned)
    if not cleaned or len(cleaned) > 40:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            return _date_value(match.groupdict())
    return None


def _date_value(parts: dict[str, str | None]) -> DateValue | None:
    month_text = parts.get("month") or ""
    month = int(month_text) if month_text.isdigit() else MONTH_NUMBERS.get(month_text)
    day_text = parts.get("day")
    day = int(day_text) if day_text else None
    year_text = parts.get("year")
    year = int(year_text) if year_text else None
    if year is not None and len(year_text or "") == 2:
        year += 2000  # "22/06/22": the article's dates are all in this century
    if month is None or not 1 <= month <= 12:
        return None
    try:
        # A day without a year is checked against a leap year, so 29 February is a day.
        date(year or 2000, month, day or 1)
    except ValueError:
        return None
    return DateValue(year, month, day)


# A date in figures within a longer answer ("arrested 22/06/2022"), day first as parse_date reads.
_IN_FIGURES = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{1,2}[/.]\d{1,2})\b"
)


def dates_in_words(text: str) -> str:
    """A text with each whole date in figures written in words ("arrested 22 June 2022"), so
    that the words around it are read as they are around a date in words."""

    def in_words(match: re.Match[str]) -> str:
        value = parse_date(match.group())
        return str(value) if value is not None and value.day else match.group()

    return _IN_FIGURES.sub(in_words, days_in_figures(text))


def dates_agree(given: DateValue, expected: DateValue) -> bool:
    """Whether a learner's date is an accepted form's date: the same day and month, and the same
    year, or no year on either side (a form without a year never accepts a year)."""
    return given == expected
