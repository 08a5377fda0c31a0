"""The cards page's search syntax, as Anki's browser has it: plain words and quoted phrases of
the prompt, and terms such as `is:due`, `rated:7`, `prop:ivl>10`, `cat:dates` or `kind:cloze`,
each negated by a leading `-`, all of them required (AND). Pure: text in, terms or an error out.

What each term means for a card (which cards are due, what a day is) is decided where the cards
are read; here only the text is understood.
"""

import operator as op
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from quizzes.enums import QuestionKind


class SearchError(ValueError):
    """The search text says something the syntax does not: the message says what and how."""


class IsWhat(StrEnum):
    """What `is:` may ask, as Anki names it."""

    DUE = "due"
    NEW = "new"
    LEARN = "learn"
    REVIEW = "review"
    SUSPENDED = "suspended"
    BURIED = "buried"
    LEECH = "leech"


class Prop(StrEnum):
    """The card properties `prop:` compares: interval (days), due (days from today), recall."""

    INTERVAL = "ivl"
    DUE = "due"
    RECALL = "r"


# Each comparison a term may ask for, longest first, so "<=" is not read as "<" followed by "=5".
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<=": op.le,
    ">=": op.ge,
    "!=": op.ne,
    "<": op.lt,
    ">": op.gt,
    "=": op.eq,
}
OPERATORS = tuple(COMPARISONS)
RATED_MAX_DAYS = 365
# Anki's short names for the question kinds, beside ours.
KIND_NAMES: dict[str, QuestionKind] = {
    **{kind.value: kind for kind in QuestionKind},
    "mc": QuestionKind.MULTIPLE_CHOICE,
    "tf": QuestionKind.TRUE_FALSE,
}


@dataclass(frozen=True)
class Text:
    """Words or a phrase that the card's prompt contains (casefolded)."""

    text: str


@dataclass(frozen=True)
class Is:
    what: IsWhat


@dataclass(frozen=True)
class Rated:
    """Rated in the learner's last `days` days, today being the first."""

    days: int


@dataclass(frozen=True)
class Compare:
    """A property of the card compared with a number: `prop:ivl>=10`."""

    prop: Prop
    operator: str
    value: float

    def holds_for(self, actual: float | None) -> bool:
        """Whether `actual` compares as asked; a card without the property never matches."""
        return actual is not None and COMPARISONS[self.operator](actual, self.value)


@dataclass(frozen=True)
class InCategory:
    slug: str


@dataclass(frozen=True)
class OfKind:
    kind: QuestionKind


Condition = Text | Is | Rated | Compare | InCategory | OfKind


@dataclass(frozen=True)
class Term:
    """One condition of a search, or its negation (`-is:new`)."""

    condition: Condition
    negated: bool = False


HELP = (
    "Search with words of the question, a phrase in quotes, and terms: is:due, is:new, "
    "is:learn, is:review, is:suspended, is:buried, is:leech, rated:7, prop:ivl>10, "
    "prop:due<0, prop:r<0.8, cat:dates, kind:cloze; put - before any of them to exclude."
)
_PROP = re.compile(r"(?P<prop>[a-z]+)(?P<op><=|>=|!=|<|>|=)(?P<value>.*)", re.ASCII)
_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """Split the text into (token, negated, quoted): runs of non-space, or a quoted phrase."""
    tokens = []
    i, end = 0, len(text)
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        if negated:
            i += 1
            if i == end or text[i].isspace():
                raise SearchError("A minus sign excludes what follows it, as -is:new: add a term.")
        if text[i] == '"':
            close = text.find('"', i + 1)
            if close == -1:
                raise SearchError("A quotation mark is not closed: end the phrase with another.")
            tokens.append((text[i + 1 : close], negated, True))
            i = close + 1
            continue
        start = i
        while i < end and not text[i].isspace():
            i += 1
        token = text[start:i]
        if '"' in token:
            raise SearchError(f"Put quotation marks around a whole phrase, not inside “{token}”.")
        tokens.append((token, negated, False))
    return tokens


def _is(value: str) -> Is:
    try:
        return Is(IsWhat(value.casefold()))
    except ValueError:
        known = ", ".join(f"is:{what}" for what in IsWhat)
        raise SearchError(f"“is:{value}” is not a search term. Use one of {known}.") from None


def _rated(value: str) -> Rated:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= RATED_MAX_DAYS:
        raise SearchError(
            f"“rated:{value}” needs a number of days from 1 to {RATED_MAX_DAYS}: rated:1 is "
            "today, rated:7 the last seven days."
        )
    return Rated(int(value))


def _compare(value: str) -> Compare:
    match = _PROP.fullmatch(value.casefold())
    problem = (
        f"“prop:{value}” is not a property search. Write prop:ivl>10 (interval in days), "
        "prop:due<0 (due in days from today; negative is overdue) or prop:r<0.8 (recall now)."
    )
    if match is None or match["prop"] not in Prop._value2member_map_:
        raise SearchError(problem)
    prop = Prop(match["prop"])
    number = match["value"]
    if not _NUMBER.fullmatch(number):
        raise SearchError(problem)
    amount = float(number)
    if prop == Prop.RECALL and not 0 <= amount <= 1:
        raise SearchError(f"Recall is between 0 and 1, as prop:r<0.8, not “{number}”.")
    if prop != Prop.RECALL and "." in number:
        raise SearchError(f"prop:{prop} counts whole days, as prop:{prop}>3, not “{number}”.")
    if prop == Prop.INTERVAL and amount < 0:
        raise SearchError("An interval is never negative: write prop:ivl>=0 or more.")
    return Compare(prop, match["op"], amount)


def _category(value: str) -> InCategory:
    if not value:
        raise SearchError("“cat:” needs a category, as cat:dates.")
    return InCategory(value.casefold())


def _kind(value: str) -> OfKind:
    kind = KIND_NAMES.get(value.casefold())
    if kind is None:
        raise SearchError(
            f"“kind:{value}” is not a kind of question. Use kind:typed, kind:cloze, kind:mc "
            "(multiple choice) or kind:tf (true or false)."
        )
    return OfKind(kind)


_KEYS: dict[str, Callable[[str], Condition]] = {
    "is": _is,
    "rated": _rated,
    "prop": _compare,
    "cat": _category,
    "kind": _kind,
}


def _condition(token: str) -> Condition:
    key, colon, value = token.partition(":")
    if not colon:
        return Text(token.casefold())
    read = _KEYS.get(key.casefold())
    if read is None:
        raise SearchError(
            f"“{token}” is not a search term: the terms are is:, rated:, prop:, cat: and kind:. "
            f'To find words with a colon, put them in quotes: "{token}".'
        )
    return read(value)


def search_parse(text: str) -> tuple[Term, ...]:
    """Read a search; raise SearchError saying what is wrong and how to write it instead."""
    terms = []
    for token, negated, quoted in _tokens(text):
        if quoted:
            if not token.strip():
                raise SearchError("A phrase in quotation marks is empty: put words between them.")
            terms.append(Term(Text(token.casefold()), negated))
        else:
            terms.append(Term(_condition(token), negated))
    return tuple(terms)
