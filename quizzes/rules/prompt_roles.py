"""Who does what in the sentence a question asks about, and which names say what it asks for:
a verb the prompt has done to the answer, or by another, is not the answer's to do ("Okhlopkov
arrested the authorities" of "Which activist was arrested?"); a name in what is asked for may
stand beside the answer whole ("Michael Clarke of King's College London"). Pure, no database."""

import re
from typing import NamedTuple

from quizzes.rules import answer_words, word_lists
from quizzes.rules.prompt_words import (
    CLAUSE_END,
    HAVE,
    SUBJECTS,
    WORD_SPAN,
    around_asking,
    around_blank,
)


def asked_names(after: str) -> tuple[str, ...]:
    """The names in what a question asks for, up to its verb ("King's College London" of "Which
    visiting professor of war studies at King's College London commented …?"; `after`: the text
    after its word that asks), each whole: they say which one it means, beside the answer too
    ("Michael Clarke of King's College London"). Never a country's word, which its own rules
    place."""
    names: list[list[str]] = [[]]
    for word in WORD_SPAN.findall(CLAUSE_END.split(after.lstrip("— "))[0]):
        if word.casefold() in word_lists.HELPING_VERBS or _a_past(word) or word.endswith("ly"):
            break
        country = any(w.text in word_lists.COUNTRIES for w in answer_words.words_said(word))
        if word[0].isupper() and not country:
            names[-1].append(word)
        elif names[-1]:
            names.append([])
    return tuple(" ".join(name) for name in names if name)


def name_word(name: str) -> str:
    """A name placed beside the answer as one lower-case word, marked so that no word typed
    alone is it ("namedkingscollegelondon"), as `names_joined` writes it."""
    return "named" + "".join(c for c in name.casefold() if c.isalpha())


def names_joined(given: str, names: tuple[str, ...]) -> str:
    """A learner's answer with each of `names` written whole (any case, with or without its
    apostrophe or its "The") after what places it ("of", "at", "from", "for", a comma or a
    bracket) as one word (`name_word`): "Michael Clarke of King's College London". A part of
    one ("Michael Clarke of London"), or one set beside the answer bare ("Axe Forbes"), stays
    words of its own."""
    for name in names:
        words = name.split()
        words = words[1:] if len(words) > 1 and words[0].casefold() == "the" else words
        pattern = r"\s+".join(re.escape(w).replace("'", "['’]?") for w in words)
        placed = rf"(?P<lead>\b(?:of|at|from|for)\s+|,\s*|\(\s*)(?:the\s+)?{pattern}\b"

        def joined(match: re.Match[str], name: str = name) -> str:
            lead = match["lead"].strip()
            return f"{lead if lead in {',', '('} else ''} {name_word(name)} "

        given = re.sub(placed, joined, given, flags=re.IGNORECASE)
    return given


_PASTS = frozenset(word_lists.IRREGULAR_PASTS.values())
# Helping verbs after which what is asked for is acted on or asked of ("was arrested", "did the
# Legion say"); "had" and "has" only where no past follows them.
_NOT_ACTING = word_lists.HELPING_VERBS - HAVE
_PASSIVE_BEFORE = frozenset({"was", "were", "is", "are", "be", "been", "being"})
# Words between a verb and who does it: "the FSB reportedly arrested", "the RVC had signed".
_BETWEEN_ACTOR = frozenset({"also", "then", "later", "first", "once", *HAVE})
_BETWEEN = _BETWEEN_ACTOR | {"not"}
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")


def _a_past(word: str) -> bool:
    return word in _PASTS or (len(word) > 4 and word.endswith("ed"))


def _done_by_another(tokens: list[str], at: int) -> str:
    """Whether the past at tokens[at] is done to its subject ("passive": "was arrested") or by
    one the prompt names right before it within its clause ("another": "the authorities
    accused", "Putin signed"); "" where a comma or a relative word leaves who did it unsaid
    ("…, who left Russia", "…, had joined")."""
    before = at - 1
    while before >= 0 and (tokens[before] in _BETWEEN or tokens[before].endswith("ly")):
        before -= 1
    if before < 0:
        return ""
    word = tokens[before]
    if word in _PASSIVE_BEFORE:
        return "passive"
    if not word[0].isalnum() or word in word_lists.CLAUSE_WORDS or word == _BLANK_TOKEN:
        return ""
    # Within the clause, a name, or an article or owner's word before the verb's subject; in a
    # question, "was" before them ("On which platform was the channel created?").
    reach = tokens[max(0, before - 5) : before + 1]
    cut = max((i for i, t in enumerate(reach) if not t[0].isalnum() or t in _CLAUSE), default=-1)
    reach = reach[cut + 1 :]
    if {"was", "were"} & set(reach):
        return "passive"
    return "another" if any(t in SUBJECTS or t.istitle() for t in reach[-4:]) else ""


_BLANK_TOKEN = "___"
_CLAUSE = word_lists.CLAUSE_WORDS | {_BLANK_TOKEN}


class Roles(NamedTuple):
    """What the answer's sentence in a prompt says of who did what (`answer_roles`)."""

    # Verbs in the past another does, or that are done to what they follow: right after the
    # answer and before what they act on, they say the answer did it.
    others: frozenset[str] = frozenset()
    # Verbs the answer does.
    acts: frozenset[str] = frozenset()
    # Verbs done to another, which "was" or "were" after the answer says were done to it.
    passives: frozenset[str] = frozenset()


def answer_roles(prompt: str) -> Roles:
    """The verbs in the past of the answer's sentence in a prompt, by who does them
    (`_done_by_another`). The answer does the first after what is asked for in its clause,
    before any helping verb ("Which agency reportedly arrested a man?", "Which professor … at
    King's College London commented"), the one right after a blank ("{{Caesar}} said"), or one
    before "by" and the answer ("led by {{Ilya Ponomarev}}"); it is what a passive right after
    it is done to ("Which activist was arrested?"). So "Okhlopkov arrested the authorities" and
    "Telegram was created" (of "On which platform was the channel created?") say otherwise."""
    around = around_blank(prompt)
    asking = None if around else around_asking(prompt)
    if around is None and asking is None:
        return Roles()
    before, after = around or asking or ("", "")
    # Names keep their capitals; a sentence's first word is no name.
    tokens = [
        t if t[:1].isupper() and i else t.casefold()
        for i, t in enumerate(_TOKEN.findall(f"{before} {_BLANK_TOKEN} {after}"))
    ]
    lower = [t.casefold() for t in tokens]
    done = {
        i: _done_by_another(tokens, i)
        for i, word in enumerate(lower)
        if _a_past(word) and word not in HAVE and "-" not in word
    }
    acts, own = _answer_does(after, bool(around))
    preceding = [w.casefold() for w in WORD_SPAN.findall(before)]
    if preceding[-1:] == ["by"]:
        acts |= {w for w in preceding[-3:-1] if _a_past(w)}
    others = frozenset(lower[i] for i, how in done.items() if how) - acts
    passives = frozenset(lower[i] for i, how in done.items() if how == "passive")
    return Roles(others, frozenset(acts), passives - acts - own)


def _answer_does(after: str, blank: bool) -> tuple[set[str], set[str]]:
    """The past the answer does after it, and the one done to it ("was arrested")."""
    following = [w.casefold() for w in WORD_SPAN.findall(CLAUSE_END.split(after)[0])]
    passive = False
    for at, word in enumerate(following):
        helping = word in HAVE and at + 1 < len(following) and _a_past(following[at + 1])
        if helping or (word in _BETWEEN_ACTOR - HAVE) or word.endswith("ly"):
            continue
        if word in _PASSIVE_BEFORE - {"be", "being"} and not passive:
            passive = True
            continue
        if _a_past(word) and word not in HAVE:
            return (set(), {word}) if passive else ({word}, set())
        # Right after a blank, its verb or none; after what is asked, up to a helping verb.
        if blank or passive or word in _NOT_ACTING or word in HAVE:
            break
    return set(), set()
