"""Which questions show another fact's answer before it is asked. Pure, no database.

Siblings (one fact's questions) are held apart by their fact. Questions of different facts can
give each other away too: a cloze of one sentence shows the words another cloze of that sentence
hides; a multiple-choice question lists, among its choices, what a typed question asks for; a
prompt states the right choice of a multiple-choice question (and none of its wrong ones). Only
by what a question shows before it is answered: its prompt, with a cloze's own blank left blank,
and its choices. (A true/false question is left out: its answer is one of two words.)
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from quizzes.rules.answer_words import CHARACTER_FOLDS, POSSESSIVE
from quizzes.rules.grading import normalise
from quizzes.rules.numerals import is_number_word


class Front(NamedTuple):
    """What a question shows before it is answered, and the answers it is graded by."""

    id: int
    fact_id: int
    # The prompt as shown (a cloze's blank left blank), then each choice's text.
    shown: tuple[str, ...]
    # Every accepted form of its answer (a multiple-choice question's: its right choice); none
    # for a true/false question.
    forms: tuple[str, ...]
    # A multiple-choice question's wrong choices: a front that shows one of them as well as the
    # right one (the same list, say) gives nothing away.
    decoys: tuple[str, ...] = ()


def _words(text: str) -> str:
    # Padded, so that a form is found only as whole words: "two" is not in "twenty". A
    # possessive is set aside first, as the grader sets it aside: "Putin's regime" shows "Putin"
    # (normalise alone reads it "putins").
    return f" {normalise(POSSESSIVE.sub('', text.translate(CHARACTER_FOLDS)))} "


# A right choice of one word that the article says everywhere, or a number: another prompt that
# says "two groups" or "the Ukrainian side" tells nothing of "how many more?" or "which side?".
_EVERYWHERE = frozenset({"russia", "russian", "russians", "ukraine", "ukrainian", "ukrainians"})


def choice_telling(text: str) -> bool:
    """Whether a multiple-choice question's right choice, shown on another front, would give the
    question away: not one word that is a number or a word the whole article says."""
    words = normalise(text).split()
    if len(words) != 1:
        return bool(words)
    word = words[0]
    return not (word.isdigit() or is_number_word(word) or word in _EVERYWHERE)


def _phrases(texts: tuple[str, ...]) -> list[str]:
    return [words for words in map(_words, texts) if words.strip()]


def answers_shown(fronts: Iterable[Front]) -> Mapping[int, frozenset[int]]:
    """For each question, the questions of other facts whose answer (any accepted form, as
    whole words, case, accents and punctuation folded) its front shows."""
    fronts = tuple(fronts)
    wanted = [
        (front, _phrases(front.forms), _phrases(front.decoys)) for front in fronts if front.forms
    ]
    shown: defaultdict[int, set[int]] = defaultdict(set)
    for showing in fronts:
        text = "".join(_words(part) for part in showing.shown)
        for asked, forms, decoys in wanted:
            if (
                asked.fact_id != showing.fact_id
                and any(form in text for form in forms)
                and not any(decoy in text for decoy in decoys)
            ):
                shown[showing.id].add(asked.id)
    return MappingProxyType({front.id: frozenset(shown[front.id]) for front in fronts})


def clashes(shown: Mapping[int, frozenset[int]]) -> Mapping[int, frozenset[int]]:
    """`answers_shown` both ways: the questions that must not share a quiz with each question,
    because it shows their answer or they show its."""
    either: defaultdict[int, set[int]] = defaultdict(set)
    for showing, asked in shown.items():
        either[showing] |= asked
        for other in asked:
            either[other].add(showing)
    return MappingProxyType({q: frozenset(either[q]) for q in shown})
