"""Answer checking: is a learner's answer the question's answer? Pure functions, no database.

A typed answer is right when it matches the question's answer or one of its accepted forms by one
of three rules, tried in this order (the README's "Quizzes" section says the same for learners):

1. The same words, once case, accents, punctuation, spacing, a leading "the", "a" or "an", a
   possessive "'s" and a title before a name ("Professor Clarke", "President Putin") are set aside.
2. The same date, however it is written: "1 June 2023", "June 1, 2023", "2023-06-01", and numbers
   read day first ("01/06/2023"; never month first). A year the learner gives must be the year a
   form states; a form without a year accepts the day and month alone, never any year.
3. A name of the article with one slip (a letter missing, extra, wrong or two swapped) in a word of
   at least six letters, unless the word typed is also near another name of the article, so one
   name never turns into another (Ponomarev is never Ponomarenko).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz.distance import OSA

from quizzes.rules.article import article_body

if TYPE_CHECKING:
    from quizzes.bank.cache import ChoiceData, QuestionData

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})
_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
# "Putin's regime" and "Ukrainians' flag" are about Putin and Ukrainians.
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=\ws)'(?!\w)")
_ARTICLES = ("the", "a", "an")
# Words that may stand before a name without changing whom it names.
_TITLES = frozenset({"president", "professor", "prof", "dr", "doctor", "mr", "mrs", "ms", "sir"})

# A slip is forgiven only in a word this long, and only when the word typed is further than
# _OTHER_NAME_MARGIN edits from every other name of the article.
SLIP_MIN_LETTERS = 6
_OTHER_NAME_MARGIN = 2

_MONTHS = {
    name: number
    for number, full in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
    for name in (full, full[:3])
} | {"sept": 9}
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_YEAR = r"(?P<year>\d{4})"
# Every pattern is matched against the whole answer (lower case, single spaces, no leading "on" or
# "the"). Numbers are read day first, as the site writes dates: 05/04/2022 is 5 April 2022.
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
        month = date(2000, self.month, 1).strftime("%B")
        parts = [str(self.day) if self.day else "", month, str(self.year) if self.year else ""]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Verdict:
    """What grading found: right or wrong, and the accepted form that matched, by which rule."""

    correct: bool
    matched: str | None = None
    rule: str = ""


def normalise(text: str) -> str:
    """Fold case, accents, punctuation, spacing and a leading "the"."""
    text = unicodedata.normalize("NFKD", text).translate(_QUOTES).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("'", "")  # "King's" and "Kings" are the same answer
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return text.removeprefix("the ").strip()


def answer_key(text: str) -> str:
    """Normalise, and also set aside possessives, a leading "a"/"an" and titles before a name."""
    folded = unicodedata.normalize("NFKD", text).translate(_QUOTES).casefold()
    words = normalise(_POSSESSIVE.sub("", folded)).split()
    while len(words) > 1 and (words[0] in _ARTICLES or words[0] in _TITLES):
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=4096)
def _keys(text: str) -> frozenset[str]:
    return frozenset({normalise(text), answer_key(text)})


@lru_cache(maxsize=4096)
def parse_date(text: str) -> DateValue | None:
    """Read a date as a learner writes it, or None when the text is not one date."""
    cleaned = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    cleaned = _SPACES.sub(" ", cleaned).strip().rstrip(".")
    for prefix in ("on ", "the "):
        cleaned = cleaned.removeprefix(prefix)
    if not cleaned or len(cleaned) > 40:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            return _date_value(match.groupdict())
    return None


def _date_value(parts: dict[str, str | None]) -> DateValue | None:
    month_text = parts.get("month") or ""
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
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


def dates_agree(given: DateValue, expected: DateValue) -> bool:
    """Whether a learner's date is an accepted form's date: the same day and month, and the same
    year, or no year on either side (a form without a year never accepts a year)."""
    return given == expected


@cache
def article_name_words() -> frozenset[str]:
    """Every word of a capitalised name in the article body, normalised ("ponomarev", "kyiv")."""
    names = re.findall(r"\b[A-Z][\w'’-]*", article_body())
    return frozenset(word for name in names for word in normalise(name).split() if len(word) >= 4)


def _is_name(text: str) -> bool:
    """A name is letters only, each longer word capitalised ("Michael Clarke", "Security Service
    of Ukraine"); lower-case phrases ("war criminal") and anything with digits are not names."""
    words = re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).split()
    if not words or any(not w.isalpha() for w in words):
        return False
    return all(w[0].isupper() for w in words if len(w) > 3)


def _slip_forgiven(given_word: str, wanted_word: str, own_words: set[str]) -> bool:
    if given_word == wanted_word:
        return True
    if len(wanted_word) < SLIP_MIN_LETTERS or not given_word.isalpha():
        return False
    if OSA.distance(given_word, wanted_word) > 1:
        return False
    # Refuse a word that is as near, or nearly as near, another name of the article: "Ponomaren"
    # is one letter from Ponomarev but two from Ponomarenko, and is not a slip of either.
    return not any(
        OSA.distance(given_word, name, score_cutoff=_OTHER_NAME_MARGIN) <= _OTHER_NAME_MARGIN
        for name in article_name_words() - own_words
    )


def _name_with_slips(given_key: str, candidate: str, own_words: set[str]) -> bool:
    if not _is_name(candidate):
        return False
    given_words, wanted_words = given_key.split(), answer_key(candidate).split()
    if len(given_words) != len(wanted_words) or given_words == wanted_words:
        return False
    return all(
        _slip_forgiven(g, w, own_words) for g, w in zip(given_words, wanted_words, strict=True)
    )


def answer_forms(answer: str, accepted: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """The answer and its accepted forms, each once, the answer first."""
    return tuple(dict.fromkeys(form for form in (answer, *accepted) if form.strip()))


def grade(given: str, *, answer: str, accepted: list[str] | tuple[str, ...] = ()) -> Verdict:
    """Grade a typed answer against the answer and its accepted forms, saying which form matched."""
    if not given or not given.strip():
        return Verdict(False)
    forms = answer_forms(answer, accepted)
    given_keys = _keys(given)
    for form in forms:
        if given_keys & _keys(form):
            return Verdict(True, form, "the same words")
    given_date = parse_date(given)
    if given_date is not None:
        for form in forms:
            form_date = parse_date(form)
            if form_date is not None and dates_agree(given_date, form_date):
                return Verdict(True, form, "the same date")
        return Verdict(False)  # a date is never a name with a slip
    own_words = {word for form in forms for key in _keys(form) for word in key.split()}
    given_key = answer_key(given)
    for form in forms:
        if _name_with_slips(given_key, form, own_words):
            return Verdict(True, form, "the same name, with a one-letter slip")
    return Verdict(False)


def answer_is_correct(
    given: str, *, answer: str, accepted: list[str] | tuple[str, ...] = ()
) -> bool:
    """Return whether a typed answer matches the answer or one of the accepted forms."""
    return grade(given, answer=answer, accepted=accepted).correct


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
