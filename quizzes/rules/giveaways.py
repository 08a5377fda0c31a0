"""Which questions show another fact's answer before it is asked. Pure, no database.

Siblings (one fact's questions) are held apart by their fact. Questions of different facts can
give each other away too: a cloze of one sentence shows the words another cloze of that sentence
hides; a multiple-choice question lists, among its choices, what a typed question asks for; a
prompt states the right choice of a multiple-choice question (and none of its wrong ones). Only
by what a question shows before it is answered: its prompt, with a cloze's own blank left blank,
and its choices. (A true/false question is left out: its answer is one of two words.)

A card's back, once answered, shows more: its answer, explanation and passage. Prose that names a
multiple-choice question's right choice gives it away whatever wrong ones it names beside it, and
a passage quoted on a back decides every true/false statement written from it
(`statements_shown`).
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from random import Random
from types import MappingProxyType
from typing import NamedTuple

from quizzes.rules.answer_dates import parse_date
from quizzes.rules.answer_words import CHARACTER_FOLDS, POSSESSIVE
from quizzes.rules.grading import normalise
from quizzes.rules.numerals import is_number_word, numeral
from quizzes.rules.prompt_words import HOW_MANY


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


# A right choice of one word that the article says everywhere: another prompt that says "the
# Ukrainian side" tells nothing of "which side?".
_EVERYWHERE = frozenset({"russia", "russian", "russians", "ukraine", "ukrainian", "ukrainians"})


def form_telling(text: str) -> bool:
    """Whether an answer, shown on another front, would give its question away: not numbers
    alone. A number says what it answers only beside what it counts, and the forms that say so
    ("two battalions", "Article 23", "20 years") are looked for themselves; a bare "two" is in
    "a two-word phrase" and "two villages", a bare "23" in any date."""
    words = normalise(text).split()
    return not all(word.isdigit() or is_number_word(word) for word in words)


def choice_telling(text: str) -> bool:
    """Whether a multiple-choice question's right choice, shown on another front, would give the
    question away: not numbers alone (form_telling), nor one word the whole article says."""
    words = normalise(text).split()
    return bool(words) and form_telling(text) and not (len(words) == 1 and words[0] in _EVERYWHERE)


def choice_forms(prompt: str, right: Iterable[str]) -> tuple[str, ...]:
    """The forms by which a multiple-choice question's right choices are shown on another front:
    each telling one (choice_telling), and a number alone with what the prompt counts, in words
    and in digits ("Two" of "How many villages…?" is shown by "two villages" and "2 villages")."""
    forms: list[str] = []
    counted = HOW_MANY.search(prompt)
    for choice in right:
        words = normalise(choice).split()
        if choice_telling(choice):
            forms.append(choice)
        elif counted and words:
            # A number alone: one of digits, or one English numeral ("twenty three").
            value = words[0] if len(words) == 1 and words[0].isdigit() else numeral(words)
            if value is not None:
                forms += [f"{choice} {counted.group(1)}", f"{value} {counted.group(1)}"]
    return tuple(dict.fromkeys(forms))


def _phrases(texts: tuple[str, ...]) -> list[str]:
    return [words for words in map(_words, texts) if words.strip()]


def answers_shown(fronts: Iterable[Front]) -> Mapping[int, frozenset[int]]:
    """For each question, the questions of other facts whose answer (any accepted form, as
    whole words, case, accents and punctuation folded) its front shows."""
    fronts = tuple(fronts)
    texts = {front.id: "".join(_words(part) for part in front.shown) for front in fronts}
    # Which fronts say each word: a form is looked for only in the fronts that say all of its
    # words (a bank ten times the size takes ten times as long, not a hundred).
    saying: defaultdict[str, set[int]] = defaultdict(set)
    for question, text in texts.items():
        for word in text.split():
            saying[word].add(question)
    shown: defaultdict[int, set[int]] = defaultdict(set)
    for asked in fronts:
        for form in _phrases(tuple(filter(form_telling, asked.forms))):
            # A wrong choice that is part of the right one ("Commander", "Deputy commander") is
            # shown wherever the right one is: it tells nothing.
            decoys = [decoy for decoy in _phrases(asked.decoys) if decoy not in form]
            # A day without a year is not the day of a year another date gives: "1 June" of
            # the raid in 2023 is not shown by "1 June 2022".
            dated = re.compile(re.escape(form) + (r"(?!\d{4} )" if _yearless(form) else ""))
            for showing in _saying_all(saying, form.split()):
                text = texts[showing]
                if dated.search(text) and not any(decoy in text for decoy in decoys):
                    shown[showing].add(asked.id)
    facts = {front.id: front.fact_id for front in fronts}
    return MappingProxyType(
        {
            front.id: frozenset(q for q in shown[front.id] if facts[q] != front.fact_id)
            for front in fronts
        }
    )


def _yearless(form: str) -> bool:
    """Whether a form is a day and month without a year ("1 June")."""
    found = parse_date(form.strip())
    return found is not None and found.year is None and found.day is not None


def _saying_all(saying: Mapping[str, set[int]], words: list[str]) -> set[int]:
    postings = sorted((saying.get(word, set()) for word in words), key=len)
    return set.intersection(*postings) if postings else set()


class QuizOrder(NamedTuple):
    """Which questions a quiz may hold together, and in what order: each question comes before
    every question that shows its answer (a quiz shows one question at a time, and an answer
    given is final), so two that show each other's, or a ring of them, never share a quiz."""

    # For each question, the questions whose answer it shows (answers_shown).
    shows: Mapping[int, frozenset[int]]
    # For each question, the questions that show its answer.
    shown_by: Mapping[int, frozenset[int]]

    @classmethod
    def of(cls, shows: Mapping[int, frozenset[int]]) -> "QuizOrder":
        shown_by: defaultdict[int, set[int]] = defaultdict(set)
        for showing, asked in shows.items():
            for question in asked:
                shown_by[question].add(showing)
        return cls(shows, MappingProxyType({q: frozenset(shown_by[q]) for q in shows}))

    def fits(self, chosen: set[int], candidate: int) -> bool:
        """Whether `candidate` can join `chosen` (which fit together) in some such order: no
        question of `chosen` both must come after it and shows, through others, what it must
        come after. A walk from it along "shows its answer" that comes back to it is a ring."""
        reached: set[int] = set()
        walk = [candidate]
        while walk:
            question = walk.pop()
            for later in self.shown_by.get(question, ()):
                if later == candidate:
                    return False
                if later in chosen and later not in reached:
                    reached.add(later)
                    walk.append(later)
        return True

    def ordered(self, ids: list[int], rng: Random) -> list[int]:
        """`ids` (which fit together) in a random order in which each question comes before every
        question that shows its answer."""
        members = set(ids)
        waiting = {q: len(self.shows.get(q, frozenset()) & members) for q in ids}
        ready = [q for q in ids if not waiting[q]]
        order: list[int] = []
        while ready:
            question = ready.pop(rng.randrange(len(ready)))
            order.append(question)
            for later in self.shown_by.get(question, ()):
                if later in members:
                    waiting[later] -= 1
                    if not waiting[later]:
                        ready.append(later)
        if len(order) != len(ids):
            raise ValueError(
                "The questions given do not fit together: two show each other's answer"
            )
        return order


class Quoted(NamedTuple):
    """A question's passage and where it starts in the article, and whether the question is a
    true/false statement."""

    id: int
    fact_id: int
    start: int
    text: str
    statement: bool

    def overlap(self, other: "Quoted") -> int:
        """How many characters of the article the two passages share (none where their texts
        disagree over the span their offsets say they share: an offset is only where the loader
        found a passage)."""
        start = max(self.start, other.start)
        end = min(self.start + len(self.text), other.start + len(other.text))
        if end <= start:
            return 0
        mine = self.text[start - self.start : end - self.start]
        return end - start if mine == other.text[start - other.start : end - other.start] else 0


def statements_shown(passages: Iterable[Quoted]) -> Mapping[int, frozenset[int]]:
    """For each question, the true/false questions of other facts whose passage its back quotes,
    whole or at least half of it: a learner who has just read the words a statement was written
    from knows whether it is true, whatever the statement's answer ("True" is on every back)."""
    passages = tuple(passages)
    statements = [p for p in passages if p.statement and p.text]
    return MappingProxyType(
        {
            quoting.id: frozenset(
                s.id
                for s in statements
                if s.fact_id != quoting.fact_id and 2 * s.overlap(quoting) >= len(s.text)
            )
            for quoting in passages
        }
    )
