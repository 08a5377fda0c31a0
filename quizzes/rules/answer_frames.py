"""What a learner writes around an answer that says nothing more than the answer: a sentence about
the question's subject ("It was created on 10 March 2022"), the question's own hedge kept
("Ukraine's International Legion (reportedly)", "several hundred, according to Caesar"), a
number said twice ("two (2) battalions"), a word split by a space or a hyphen ("physio
therapist", "un-confirmed") and an abbreviation with the name the question gives it ("FRL
(Freedom of Russia Legion)"). Grading takes each out alone, then all of them in turn, and reads
what is left: a few readings at most, never a search over every order. Pure."""

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from quizzes.rules.answer_words import fold, initials_of
from quizzes.rules.numerals import numeral
from quizzes.rules.verdicts import Rule

_WORD = re.compile(r"[^\W_]+")
# A word, with hyphens only within it ("twenty-three"), so that no two readings of a run compete.
_HYPHENED = r"[^\W_]+(?:-[^\W_]+)*"

# "It was …", "He is …", "They were …", "It's …": a pronoun for what the question is about and the
# verb "be", in a tense the question uses ("He is a physiotherapist" is no former profession).
_SUBJECT = re.compile(
    r"^\s*(?:it|he|she|they)(?:\s+(?P<be>is|was|are|were)\b|['’](?P<short>s|re)\b)\s*", re.I
)
_BE = re.compile(r"\b(is|was|are|were)\b", re.I)

# Hedges a learner may keep where the question has one of its own: "reportedly", "claims" …
_HEDGE_WORDS = r"reportedly|allegedly|supposedly|apparently|purportedly"
_QUESTION_HEDGES = re.compile(rf"\b(?:{_HEDGE_WORDS}|claim(?:s|ed)?|alleged?)\b", re.I)
_HEDGE = re.compile(
    rf"^\s*(?:{_HEDGE_WORDS})\b,?|,?\s*(?:\b(?:{_HEDGE_WORDS})|\(\s*(?:{_HEDGE_WORDS})\s*\))\W*$",
    re.I,
)
# "…, according to Caesar" or "According to Caesar, …": at the start or the end.
_ACCORDING = re.compile(
    r"^\s*according to (?P<lead>[^,()]+?)\s*,|,?\s*\(?\s*according to (?P<tail>[^,()]+?)\s*\)?\W*$",
    re.I,
)
# Who says so in a question: the words between a helping verb and the verb that reports ("did
# the Legion's spokesperson Caesar say"), or the four before that verb ("Caesar claimed"). Not
# "state", most often a noun here ("which Russian state media outlet").
_REPORTING = re.compile(r"\b(?:say|says|said|claim|claims|claimed|stated)\b", re.I)
_HELPING = re.compile(r"\b(?:did|does|do|has|have|had)\s+(.+)$", re.I)

_BRACKETED = re.compile(
    rf"\b({_HYPHENED}(?:\s+{_HYPHENED}){{0,2}})\s*\(\s*({_HYPHENED}(?:\s+{_HYPHENED})*)\s*\)"
)
# Two words typed apart by one space or hyphen.
_PAIR = re.compile(r"(?=\b([^\W_]+)[ -]([^\W_]+)\b)")
_EXPANDED = re.compile(r"([^()\[\]]+?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(fold(text).casefold()))


def subject_dropped(text: str, prompt: str) -> str | None:
    """The answer after "It was", "He is", "They were" or "It's", where the question says that
    "is", "was", "are" or "were"; None otherwise."""
    match = _SUBJECT.match(text)
    if match is None or not text[match.end() :].strip():
        return None
    be = (match["be"] or {"s": "is", "re": "are"}[match["short"].casefold()]).casefold()
    return text[match.end() :] if be in _question_be(prompt) else None


@lru_cache(maxsize=2048)
def _question_be(prompt: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _BE.findall(prompt))


@lru_cache(maxsize=2048)
def _speakers(prompt: str) -> frozenset[str]:
    """The words that say who says so in a question that reports ("did Caesar say"): each
    reporting verb's subject, and whom it cites ("according to the company commander")."""
    words: set[str] = set()
    for cited in re.finditer(r"\baccording to ([^,;:?.!]+)", prompt, re.I):
        words.update(_words(cited.group(1)).split())  # "According to the company commander, …"
    for clause in re.split(r"[,;:?.!]", prompt):
        for verb in _REPORTING.finditer(clause):
            before = clause[: verb.start()]
            helped = _HELPING.search(before)
            said_by = helped.group(1) if helped else " ".join(before.split()[-4:])
            words.update(_words(said_by).split())
    return frozenset(words - {"the", "a", "an", "s"})


def hedge_dropped(text: str, prompt: str) -> str | None:
    """The answer without a hedge the question has too: "reportedly", "(allegedly)" where it says
    "reportedly", "claims" or the like; "according to Caesar" where Caesar is who it says said
    so. None when the answer keeps no such hedge."""
    rest = text
    according = _ACCORDING.search(rest)
    if according is not None:
        cited = set(_words(according["lead"] or according["tail"]).split()) - {"the"}
        if not cited or not cited <= _speakers(prompt):
            return None  # whom the learner cites is not who the question says said so
        rest = rest[: according.start()] + " " + rest[according.end() :]
    if _QUESTION_HEDGES.search(prompt):
        rest = _HEDGE.sub(" ", rest)
    rest = " ".join(rest.split())
    return rest if rest and rest != " ".join(text.split()) else None


def _number(words: list[str]) -> int | None:
    if len(words) == 1 and re.fullmatch(r"[0-9]+", words[0]):
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


@lru_cache(maxsize=2048)
def _words_of(form_keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word for key in form_keys for word in key.split())


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


def expanded(text: str, prompt: str) -> tuple[str, ...]:
    """ "FRL (Freedom of Russia Legion)", "Freedom of Russia Legion (FRL)": an abbreviation and
    the name it stands for, either in brackets, where the question gives one of the two (it asks
    for the other): the other, or nothing."""
    match = _EXPANDED.fullmatch(text.strip().rstrip(".!"))
    if match is None:
        return ()
    asked = f" {_words(prompt)} "
    found = []
    for short, long in ((match[1], match[2]), (match[2], match[1])):
        if _words(short).replace(" ", "") not in initials_of(long):
            continue
        for given, other in ((short, long), (long, short)):
            if f" {_words(given)} " in asked:
                found.append(other)
    return tuple(found)


def plainer(text: str, prompt: str, form_keys: tuple[str, ...]) -> Iterator[tuple[str, Rule]]:
    """The answer with one frame taken out, then with every frame it has taken out in turn, each
    with the rule that says so, for grading to read once more (never recursively: each frame
    is tried once). A sentence's subject and a hedge only for a question: a blank is filled
    with its own words, and its sentence's hedge may be of another clause ("formed in ___ and
    is reportedly part of …")."""
    steps: list[tuple[Callable[[str], str | None], Rule]] = [
        (lambda t: subject_dropped(t, prompt), Rule.SENTENCE),
        (lambda t: hedge_dropped(t, prompt), Rule.SENTENCE),
        (number_said_twice, Rule.SAME_NUMBER),
        (lambda t: split_word_joined(t, form_keys), Rule.SAME_WORDS),
    ]
    if "{{" in prompt:
        steps = steps[2:]
    rest, taken = text, []
    for step, rule in steps:
        if (alone := step(text)) is not None:
            yield alone, rule
        if (further := step(rest)) is not None:
            rest = further
            taken.append(rule)
    if len(taken) > 1:
        yield rest, taken[0]
    for other in expanded(text, prompt):
        yield other, Rule.BRACKETS
