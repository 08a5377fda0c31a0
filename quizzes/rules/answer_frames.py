"""What a learner writes around an answer that says nothing more than the answer: a sentence about
the question's subject ("It was created on 10 March 2022"), the question's own hedge kept
("Ukraine's International Legion (reportedly)", "several hundred, according to Caesar"), a
number said twice ("two (2) battalions") and a word split by a space or a hyphen ("physio
therapist", "un-confirmed"). Each is taken out, and grading reads what is left. Pure."""

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from quizzes.rules.answer_words import fold, initials_of
from quizzes.rules.article import article_body
from quizzes.rules.numerals import numeral
from quizzes.rules.verdicts import Rule

# "It was …", "He is …", "They were …", "It's …": a pronoun for what the question is about and
# the verb "be". A question never asks for a pronoun, so it stands for the question's subject.
_SUBJECT = re.compile(r"^\s*(?:it|he|she|they)(?:\s+(?:is|was|are|were)\b|['’](?:s|re)\b)\s*", re.I)
# Hedges a learner keeps where the question hedges: never a claim of their own.
_HEDGE_WORDS = r"reportedly|allegedly|supposedly|apparently|purportedly"
_QUESTION_HEDGES = re.compile(
    rf"\b(?:{_HEDGE_WORDS}|claim\w*|says?|said|according|report\w*|allege\w*|stat(?:e|es|ed))\b",
    re.I,
)
# At the start or the end only: "15 reportedly March 2024" is no sentence.
_HEDGE = re.compile(
    rf"^\s*(?:{_HEDGE_WORDS})\b,?|,?\s*(?:\b(?:{_HEDGE_WORDS})|\(\s*(?:{_HEDGE_WORDS})\s*\))\W*$",
    re.I,
)
_ACCORDING = re.compile(r"(?:^|,)\s*according to ([^,()]+?)\s*(?:,|$)", re.I)
_BRACKETED = re.compile(r"\b([\w-]+(?:[ -][\w-]+){0,2})\s*\(\s*([\w -]+?)\s*\)")
# Two words typed apart by one space or hyphen.
_PAIR = re.compile(r"(?=\b([^\W_]+)[ -]([^\W_]+)\b)")
_WORD = re.compile(r"[^\W_]+")
_EXPANDED = re.compile(r"([^()\[\]]+?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(fold(text).casefold()))


@cache
def _article_words() -> str:
    return f" {_words(article_body())} "


def expanded(text: str) -> tuple[str, str] | None:
    """ "FRL (Freedom of Russia Legion)", "Freedom of Russia Legion (FRL)": an abbreviation and the
    name it stands for, as the article writes that name, either in brackets; the two, or None."""
    match = _EXPANDED.fullmatch(text.strip())
    if match is None:
        return None
    for short, long in ((match[1], match[2]), (match[2], match[1])):
        letters = _words(short).replace(" ", "")
        if letters in initials_of(long) and f" {_words(long)} " in _article_words():
            return short, long
    return None


def subject_dropped(text: str) -> str | None:
    """The answer after "It was", "He is", "They were" or "It's", or None if it starts otherwise."""
    match = _SUBJECT.match(text)
    return text[match.end() :] if match and text[match.end() :].strip() else None


@lru_cache(maxsize=2048)
def _hedging_words(prompt: str) -> frozenset[str] | None:
    """The words of a question that hedges, or None if it hedges nothing."""
    if not _QUESTION_HEDGES.search(prompt):
        return None
    return frozenset(w.casefold() for w in _WORD.findall(prompt))


@lru_cache(maxsize=2048)
def _words_of(form_keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word for key in form_keys for word in key.split())


def hedge_dropped(text: str, prompt: str) -> str | None:
    """The answer without a hedge ("reportedly", "(allegedly)", "according to Caesar"), when the
    question hedges too (it says "reportedly", "claims", "said", "according to") and whom the
    answer cites is one the question names; None when it keeps none, or the question hedges
    nothing."""
    prompt_words = _hedging_words(prompt)
    if prompt_words is None:
        return None
    rest = text
    for match in list(_ACCORDING.finditer(text))[::-1]:
        cited = {w.casefold() for w in _WORD.findall(match.group(1))} - {"the"}
        if not cited or not cited <= prompt_words:
            return None  # whom the learner cites the question does not
        rest = rest[: match.start()] + " " + rest[match.end() :]
    rest = _HEDGE.sub(" ", rest)
    rest = " ".join(rest.split())
    return rest if rest and rest != " ".join(text.split()) else None


def _number(words: list[str]) -> int | None:
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    return numeral([w for part in words for w in part.split("-")])


def number_said_twice(text: str) -> str | None:
    """ "two (2) battalions", "2 (two) villages": the answer with the number in brackets that the
    words before them say already taken out; None if it has none."""

    def once(match: re.Match[str]) -> str:
        before = match.group(1).casefold().split()
        inner = _number(match.group(2).casefold().split())
        if inner is None:
            return match.group()
        for start in range(len(before)):
            if _number(before[start:]) == inner:
                return f"{match.group(1)} "
        return match.group()

    rest = _BRACKETED.sub(once, text)
    return rest if rest != text else None


def split_word_joined(text: str, form_keys: tuple[str, ...]) -> str | None:
    """ "physio therapist", "un-confirmed": two words typed apart that together are a word of an
    accepted form (`form_keys`, the forms normalised), joined; None if there are none."""
    folded = text.casefold()
    if len(folded) != len(text):
        return None
    form_words = _words_of(form_keys)
    for match in _PAIR.finditer(folded):
        first, second = match.group(1), match.group(2)
        if first + second in form_words:
            end = match.start() + len(first) + 1 + len(second)
            return text[: match.start()] + first + second + text[end:]
    return None


def plainer(text: str, prompt: str, form_keys: tuple[str, ...]) -> Iterator[tuple[str, Rule]]:
    """The answer with one of these taken out, and the rule that says so, for grading to read
    again: a sentence's subject only for a question (a blank is filled with its words)."""
    if "{{" not in prompt and (rest := subject_dropped(text)) is not None:
        yield rest, Rule.SENTENCE
    if (rest := hedge_dropped(text, prompt)) is not None:
        yield rest, Rule.SENTENCE
    if (rest := number_said_twice(text)) is not None:
        yield rest, Rule.SAME_NUMBER
    for rest in expanded(text) or ():
        yield rest, Rule.BRACKETS
    if (rest := split_word_joined(text, form_keys)) is not None:
        yield rest, Rule.SAME_WORDS
