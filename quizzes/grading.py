"""Answer checking: is a learner's answer the question's answer? Pure functions, no database."""

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from dateutil import parser as date_parser

if TYPE_CHECKING:
    from quizzes.bank_cache import ChoiceData, QuestionData

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})
_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_HAS_YEAR = re.compile(r"\b\d{4}\b")
_HAS_DAY = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\b")
_MONTHS = ["january", "february", "march", "april", "may", "june"] + [
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def normalise(text: str) -> str:
    """Fold case, accents, punctuation, spacing and a leading "the"."""
    text = unicodedata.normalize("NFKD", text).translate(_QUOTES).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("'", "")  # "King's" and "Kings" are the same answer
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return text.removeprefix("the ").strip()


def _date_parts(text: str) -> tuple[int | None, int, int] | None:
    """Read a date ("22 May 2023", "May 22, 2023", "2023-05-22", "22 May") as (year, month, day)."""
    cleaned = unicodedata.normalize("NFKC", text).translate(_QUOTES).strip()
    if not cleaned or len(cleaned) > 40 or not _HAS_DAY.search(cleaned):
        return None
    lowered = cleaned.casefold()
    has_month_name = any(m[:3] in lowered for m in _MONTHS)
    if not has_month_name and not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
        return None  # "5/4/2022" is ambiguous between countries: do not guess
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    if iso:
        # Read ISO dates as year-month-day: dateutil's dayfirst would swap "2000-01-02".
        year, month, day = map(int, iso.groups())
        try:
            date(year, month, day)
        except ValueError:
            return None
        return (year, month, day)
    sentinel = date(1, 1, 1)
    try:
        parsed = date_parser.parse(cleaned, default=date_parser.parse("0001-01-01"), dayfirst=True)
    except (ValueError, OverflowError, date_parser.ParserError):
        return None
    year = parsed.year if _HAS_YEAR.search(cleaned) else None
    if parsed.date() == sentinel and year is None:
        return None
    return (year, parsed.month, parsed.day)


def dates_match(given: str, expected: str) -> bool:
    """Compare two dates in any of the usual forms; a missing year in either matches any year."""
    a, b = _date_parts(given), _date_parts(expected)
    if a is None or b is None:
        return False
    if a[1:] != b[1:]:
        return False
    return a[0] is None or b[0] is None or a[0] == b[0]


def answer_is_correct(
    given: str, *, answer: str, accepted: list[str] | tuple[str, ...] = ()
) -> bool:
    """Return whether a typed answer matches the answer or one of the accepted forms."""
    if not given or not given.strip():
        return False
    wanted = normalise(given)
    for candidate in (answer, *accepted):
        if normalise(candidate) == wanted:
            return True
    given_date = _date_parts(given)
    if given_date is None:
        return False
    for candidate in (answer, *accepted):
        candidate_date = _date_parts(candidate)
        if candidate_date is None or candidate_date[1:] != given_date[1:]:
            continue
        # The learner may leave out the year only where the question accepts the day and month
        # alone (an accepted form without a year); a year they give must be the right one.
        if candidate_date[0] is None or given_date[0] == candidate_date[0]:
            return True
    return False


class Graded(NamedTuple):
    """A response judged: right or wrong (None when there was no attempt), and the choice picked."""

    correct: bool | None
    chosen: "ChoiceData | None"


def response_grade(question: "QuestionData", response: str) -> Graded:
    """Grade a learner's response to a question of the bank.

    For a choice question the response is a choice id (an unknown id is no attempt); otherwise it
    is the typed answer.
    """
    if not response:
        return Graded(None, None)
    if question.has_choices:
        chosen = next((c for c in question.choices if str(c.id) == response), None)
        return Graded(None if chosen is None else chosen.is_correct, chosen)
    accepted = question.accepted_answers
    return Graded(answer_is_correct(response, answer=question.answer, accepted=accepted), None)
