"""What grading says of an answer: right or wrong, and by which rule, as the learner is told it.
Pure."""

from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """Why an answer was accepted, as the learner is told it."""

    SAME_WORDS = "same words"
    SAME_DATE = "same date"
    SAME_NUMBER = "same number"
    ABBREVIATION = "abbreviation"
    OTHER_ORDER = "same words in another order"
    INITIAL = "initial of the first name"
    EXTRA_WORDS = "extra words the question already says"
    SLIP = "one slip forgiven"
    BRACKETS = "other accepted form in brackets"
    SENTENCE = "the answer in a sentence, or with the question's hedge"

    @property
    def why(self) -> str:
        """One sentence for the learner: what the rule sets aside, and why that is still right."""
        return _RULE_WHY[self]


_RULE_WHY = {
    Rule.SAME_WORDS: (
        "Case, accents, punctuation, spacing, spelling and possessives aside, the same words."
    ),
    Rule.SAME_DATE: "The same date, written another way (numbers are read day first).",
    Rule.SAME_NUMBER: "The same number, in words or in figures.",
    Rule.ABBREVIATION: "The same abbreviation, with dots or spaces between its letters.",
    Rule.OTHER_ORDER: "The same name in its other order, as official names are written.",
    Rule.INITIAL: "The initial of the right first name.",
    Rule.EXTRA_WORDS: "The right answer, with words the question already says.",
    Rule.SLIP: "One letter of a long name missing, extra, wrong or swapped: a slip, forgiven.",
    Rule.BRACKETS: "The right answer, with another of its forms or its initials in brackets.",
    Rule.SENTENCE: (
        'The right answer in a sentence about what the question asks ("It was …"), or with the '
        'question\'s own hedge ("reportedly", "according to …").'
    ),
}


@dataclass(frozen=True)
class Verdict:
    """What grading found: right or wrong, and the accepted form that matched, by which rule."""

    correct: bool
    matched: str | None = None
    rule: str = ""  # a Rule when correct
