"""A word as grading reads it, and a text read into words. Pure."""

from dataclasses import dataclass, replace

from quizzes.rules.word_lists import ARTICLES, COUNTRIES


@dataclass(frozen=True)
class Word:
    """A word as grading reads it: `text` folded for comparison, `raw` as typed (lower case)."""

    text: str
    raw: str
    name: bool = False  # capitalised where it was written: part of a name, slips forgiven
    initial: bool = False  # one letter, as in "V. Putin"
    first_name: bool = False  # a name's word before another: an initial may stand for it
    listed: bool = False  # after a comma, or in three words hyphened: a list's ("white-blue-white")
    # An ordinary word of a form that another form leaves out ("channel" of "Telegram channel"
    # where "Telegram" is right): a slip in it may land on another English word ("Telegram
    # chanel", "along the boarder"), since the answer stands without it.
    optional: bool = False

    @property
    def article(self) -> bool:
        return self.text in ARTICLES and not self.initial


@dataclass(frozen=True)
class Reading:
    """A text read as words, and how it was read ("abbreviation", "number", "reordered")."""

    words: tuple[Word, ...]
    ways: frozenset[str]
    plain: tuple[Word, ...]  # the words in the order written, for a name with words around it

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.words)


def _left_out(longer: tuple[str, ...], shorter: tuple[str, ...]) -> range:
    """The places at the end of `longer` that `shorter` leaves out, if it is made of `longer`'s
    first words (the first place each word fits). Only those after it: a word before ("former
    physiotherapist") says what it is, and a slip there may say something else ("farmer")."""
    at = 0
    for text in shorter:
        while at < len(longer) and longer[at] != text:
            at += 1
        if at == len(longer):
            return range(0)
        at += 1
    return range(at, len(longer)) if shorter else range(0)


def optional_marked(readings: tuple[Reading, ...]) -> tuple[Reading, ...]:
    """The forms, each ordinary word another form leaves out marked `optional` (never a name's
    word, a country's, an article or a number)."""
    marked = []
    for reading in readings:
        places = {i for other in readings for i in _left_out(reading.key, other.key)}
        optional = {
            id(w)
            for i, w in enumerate(reading.words)
            if i in places
            and not (w.name or w.initial or w.article or w.text in COUNTRIES)
            and w.text.isalpha()
        }
        if not optional:
            marked.append(reading)
            continue
        new = {id(w): replace(w, optional=True) for w in reading.words if id(w) in optional}
        marked.append(
            replace(
                reading,
                words=tuple(new.get(id(w), w) for w in reading.words),
                plain=tuple(new.get(id(w), w) for w in reading.plain),
            )
        )
    return tuple(marked)
