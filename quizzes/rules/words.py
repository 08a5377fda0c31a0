"""A word as grading reads it, and a text read into words. Pure."""

from dataclasses import dataclass

from quizzes.rules.word_lists import ARTICLES


@dataclass(frozen=True)
class Word:
    """A word as grading reads it: `text` folded for comparison, `raw` as typed (lower case)."""

    text: str
    raw: str
    name: bool = False  # capitalised where it was written: part of a name, slips forgiven
    initial: bool = False  # one letter, as in "V. Putin"
    first_name: bool = False  # a name's word before another: an initial may stand for it
    listed: bool = False  # after a comma, or in three words hyphened: a list's ("white-blue-white")

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
