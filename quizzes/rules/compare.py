"""What the learner typed beside the expected answer, letter by letter. Pure, no database.

As Anki's type-in-the-answer comparison: the two texts are aligned (difflib), case and accents set
aside, and split into runs of letters that are the same, missing from what was typed, extra in it,
or typed in place of others. The templates mark each run with <ins>/<del> and words for screen
readers, so the difference is never told by colour alone.
"""

import difflib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from quizzes.rules.answer_words import CHARACTER_FOLDS
from quizzes.rules.grading import answer_key, grade
from quizzes.rules.verdicts import Rule


class SegmentKind(StrEnum):
    SAME = "same"
    MISSING = "missing"  # in the expected answer, not typed
    EXTRA = "extra"  # typed, not in the expected answer
    WRONG = "wrong"  # typed in place of the expected letters


@dataclass(frozen=True)
class Segment:
    """One run of the comparison: the letters typed and the letters expected there."""

    kind: SegmentKind
    typed: str = ""
    expected: str = ""


@dataclass(frozen=True)
class Comparison:
    """What was typed beside what was expected, as runs in reading order."""

    typed: str
    expected: str
    segments: tuple[Segment, ...]

    @property
    def identical(self) -> bool:
        return all(s.kind == SegmentKind.SAME for s in self.segments)


def _fold(letter: str) -> str:
    """One letter with case and accents set aside ("É" and "e" are the same letter), and a
    look-alike of another script read as the Latin one, as the grader reads it."""
    base = unicodedata.normalize("NFKD", letter).translate(CHARACTER_FOLDS)
    return "".join(c for c in base if not unicodedata.combining(c)).casefold() or letter


def compare(typed: str, expected: str) -> Comparison:
    """Align `typed` with `expected` and return the runs that are the same or differ."""
    typed, expected = typed.strip(), expected.strip()
    matcher = difflib.SequenceMatcher(
        None, [_fold(c) for c in typed], [_fold(c) for c in expected], autojunk=False
    )
    segments: list[Segment] = []
    for tag, t1, t2, e1, e2 in matcher.get_opcodes():
        given, wanted = typed[t1:t2], expected[e1:e2]
        if tag == "equal":
            # The expected answer's own letters (its capitals and accents) are shown.
            segments.append(Segment(SegmentKind.SAME, given, wanted))
        elif tag == "delete":
            segments.append(Segment(SegmentKind.EXTRA, typed=given))
        elif tag == "insert":
            segments.append(Segment(SegmentKind.MISSING, expected=wanted))
        else:
            segments.append(Segment(SegmentKind.WRONG, given, wanted))
    return Comparison(typed=typed, expected=expected, segments=tuple(segments))


@dataclass(frozen=True)
class Compared:
    """A typed answer graded and set beside the form it was compared with."""

    comparison: Comparison
    correct: bool
    # The rule that accepted an answer whose words differ from the form ("one slip forgiven",
    # "same date"); empty for the same words, and for a wrong answer.
    rule: str = ""


def typed_compared(
    response: str, *, answer: str, accepted: list[str] | tuple[str, ...] = (), prompt: str = ""
) -> Compared | None:
    """Grade a typed answer as the site grades it (with the question's prompt) and compare it
    with the form it matched (the answer when wrong); None when nothing was typed."""
    if not response.strip():
        return None
    verdict = grade(response, answer=answer, accepted=accepted, prompt=prompt)
    expected = (verdict.matched or answer) if verdict.correct else answer
    # The same words once case, punctuation, a leading article or a title are set aside.
    same_words = answer_key(response) == answer_key(expected)
    rule = verdict.rule if verdict.correct and not same_words else ""
    if rule == Rule.SAME_WORDS:
        rule = ""  # spelling, a country's adjective or a plural: still the same words
    return Compared(compare(response, expected), verdict.correct, rule)
