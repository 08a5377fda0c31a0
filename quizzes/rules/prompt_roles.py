"""Who does what in the sentence a question asks about, and which names say what it asks for:
a verb the prompt has done to the answer, or by another, is not the answer's to do ("Okhlopkov
arrested the authorities" of "Which activist was arrested?"); a name in what is asked for may
stand beside the answer whole ("Michael Clarke of King's College London"). Pure, no database."""

import re
from collections.abc import Callable, Set
from typing import NamedTuple

from quizzes.rules import answer_words, word_lists
from quizzes.rules.numerals import is_number_word, is_scale_word
from quizzes.rules.prompt_words import (
    CLAUSE_END,
    HAVE,
    SUBJECTS,
    WORD_SPAN,
    around_asking,
    around_blank,
    asking_lead,
)
from quizzes.rules.question_words import Question, Roles


class Asked(NamedTuple):
    """What a question asks for, up to its verb (`asked_names`), or what a blank is said to be."""

    names: tuple[str, ...] = ()  # its names, each whole
    kinds: frozenset[str] = frozenset()  # capitalised words of a kind ("english" of "English name")
    words: frozenset[str] = frozenset()  # its words, lower case, as typed ("studies", "anti-war")
    # Two of its ordinary words joined by "and" ("defense and security"), which stand together.
    pairs: tuple[str, ...] = ()
    # Its words a name may stand before ("Forbes staff writer"): none of the answer's own but
    # a title ("King's College London professor Michael Clarke", never "War Article 23").
    before_names: frozenset[str] = frozenset()

    def outside(self, forms: str) -> "Asked":
        """Without the names and pairs the answer's forms hold: those are the answer's words."""
        return self._replace(
            names=tuple(n for n in self.names if not name_in(n, forms)),
            pairs=tuple(p for p in self.pairs if not name_in(p, forms)),
            before_names=frozenset(
                w for w in self.before_names if w in word_lists.TITLES or not name_in(w, forms)
            ),
        )

    @property
    def joined(self) -> frozenset[str]:
        """Its names, pairs and kind words, each as the one word `joined_in` makes of it, read
        as a learner's words are (spelled one way: "…territorialdefense")."""
        pairs = {_letters(pair) for pair in self.pairs}
        made = {name_word(n) for n in self.names} | pairs
        return frozenset({word for made_word in made for word in _spelled(made_word)} | self.kinds)

    def joined_in(self, given: str) -> str:
        """A learner's answer with its names placed (`names_joined`) and its pairs as one word
        each: "and" joins them where the question does, and nowhere else ("Kursk and Bryansk"
        stays two)."""
        given = names_joined(given, self.names, self.before_names)
        for pair in self.pairs:
            # In either spelling ("defence and security"), wherever it stands, after another
            # "and" too ("war and defence and security").
            said = _spelled(pair)
            spans: list[tuple[int, int]] = []
            for m in _PAIR.finditer(given):
                if _spelled(m.group(1)) == said and not (spans and m.start(1) < spans[-1][1]):
                    spans.append(m.span(1))
            for start, end in reversed(spans):
                given = f"{given[:start]}{_letters(pair)}{given[end:]}"
        return given


# Two words joined by "and", as a learner's answer may hold a question's pair; found where they
# overlap ("a and b and c": "a and b", "b and c").
_PAIR = re.compile(r"(?<![\w'’-])(?=([\w'’-]+\s+and\s+[\w'’-]+)(?![\w'’-]))", re.IGNORECASE)


def _spelled(text: str) -> list[str]:
    return [w.text for w in answer_words.words_said(text)]


NO_PHRASE = Asked()


def asked_names(after: str) -> Asked:
    """The names in what a question asks for, up to its verb ("King's College London" of "Which
    visiting professor of war studies at King's College London commented …?"; `after`: the text
    after its word that asks), each whole: they say which one it means, beside the answer too
    ("Michael Clarke of King's College London"). Never a country's word, which its own rules
    place. Names one "of" or "on" apart are one name too, listed first ("Geneva Convention on
    Prisoners of War"), and each part is one."""
    names: list[list[int]] = [[]]  # each name's places among the words kept
    kept: list[str] = []
    for word in WORD_SPAN.findall(CLAUSE_END.split(after.lstrip("— "))[0]):
        if word.casefold() in word_lists.HELPING_VERBS or _a_past(word) or _adverb(word):
            break
        kept.append(word)
    kinds = set()
    for at, word in enumerate(kept):
        following = kept[at + 1] if at + 1 < len(kept) else ""
        # One capitalised word before an ordinary one says what kind ("English name"), as an
        # abbreviation of an ordinary word does ("MP"): a word of the question, no name.
        kind = not names[-1] and following[:1].islower() and following not in _LINKING
        capital = word[0].isupper() and not _country(word)
        if kind and capital:
            kinds.add(word.casefold())
        if capital and not kind and word.casefold() not in word_lists.COMMON_ABBREVIATIONS:
            names[-1].append(at)
        elif names[-1]:
            names.append([])
    words = frozenset(w.casefold() for w in kept if w[:1].islower())
    pairs = tuple(
        f"{a} and {b}"
        for a, joint, b in zip(kept, kept[1:], kept[2:], strict=False)
        if joint == "and" and a.islower() and b.islower()
    )
    placed = [n for n in names if n]
    # Names one "of" or "on" apart are one name too, placed first ("the Geneva Convention on
    # Prisoners of War"); each part stays a name ("the Geneva Convention").
    whole: list[list[int]] = []
    for name in placed:
        joined = whole and name[0] == whole[-1][-1] + 2 and kept[name[0] - 1] in _WITHIN_NAMES
        # Never a date ("the Legion on March 12").
        joined = joined and kept[name[0]].casefold() not in word_lists.MONTHS
        if joined:
            whole[-1] = [*whole[-1], name[0] - 1, *name]
        else:
            whole.append(list(name))
    spans = [w for w in whole if w not in placed] + placed
    found = tuple(" ".join(kept[at] for at in span) for span in spans)
    return Asked(found, frozenset(kinds), words, pairs, words - _LINKING - word_lists.ARTICLES)


# The words within a name of names ("Convention on Prisoners of War").
_WITHIN_NAMES = frozenset({"of", "on"})


_LINKING = word_lists.LEADING | word_lists.CLAUSE_WORDS
_LEADS = word_lists.LEADING - word_lists.NEVER_FILLER


def _name_pattern(name: str) -> str:
    """A name as a pattern: any case of each word, either apostrophe or none, without "The"."""
    words = name.split()
    words = words[1:] if len(words) > 1 and words[0].casefold() == "the" else words
    return r"\s+".join(re.sub("['’]", "['’]?", re.escape(w)) for w in words)


def name_in(name: str, text: str) -> bool:
    """Whether a text (an answer's forms) has a name, as a learner may write it."""
    return re.search(rf"\b{_name_pattern(name)}\b", text, re.IGNORECASE) is not None


NAMED = "named"


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalpha())


def name_word(name: str) -> str:
    """A name placed beside the answer as one lower-case word, marked so that no word typed
    alone is it ("namedkingscollegelondon"), as `names_joined` writes it."""
    return NAMED + _letters(name)


def names_joined(given: str, names: tuple[str, ...], describing: Set[str] = frozenset()) -> str:
    """A learner's answer with each of `names` written whole (any case, with or without its
    apostrophe or its "The") after what places it ("of", "at", "from", "for", a comma or a
    bracket), or before one of the words `describing` (what the question says the answer is) or in
    the possessive, as one word (`name_word`): "Michael Clarke of King's College London",
    "Forbes staff writer David Axe", "Forbes's David Axe". A part of one ("Michael Clarke of
    London"), or one set beside the answer bare ("Axe Forbes"), stays words of its own."""
    ahead = "|".join(re.escape(word) for word in sorted(describing))
    before = rf"(?:['’]s?|(?=\s+(?:{ahead})\b))" if ahead else "['’]s?"
    for name in names:
        pattern = _name_pattern(name)
        placed = rf"(?P<lead>\b(?:of|at|from|for)\s+|,\s*|\(\s*)(?:the\s+)?{pattern}\b"

        def joined(match: re.Match[str], name: str = name) -> str:
            lead = match["lead"].strip()
            return f"{lead if lead in {',', '('} else ''} {name_word(name)} "

        given = re.sub(placed, joined, given, flags=re.IGNORECASE)
        owning = rf"(?<![\w'’])(?:the\s+)?{pattern}{before}(?!\w)"
        given = re.sub(owning, f" {name_word(name)} ", given, flags=re.IGNORECASE)
    return given


_PASTS = frozenset(word_lists.IRREGULAR_PASTS.values())
# Helping verbs after which what is asked for is acted on or asked of ("was arrested", "did the
# Legion say"); "had" and "has" only where no past follows them.
_NOT_ACTING = word_lists.HELPING_VERBS - HAVE
_PASSIVE_BEFORE = frozenset({"was", "were", "is", "are", "be", "been", "being"})
# Words between a verb and who does it: "the FSB reportedly arrested", "the RVC had signed".
_BETWEEN_ACTOR = frozenset({"also", "then", "later", "first", "once", *HAVE})
_BETWEEN = _BETWEEN_ACTOR | {"not"}
# Words (with their inner hyphens and apostrophes) and marks, each a token.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")
# Words in "-ly" that are no adverbs.
_NOT_ADVERBS = frozenset({"family", "italy", "july", "early", "rally", "ally", "supply", "reply"})


def _adverb(word: str) -> bool:
    return word.endswith("ly") and word.islower() and word not in _NOT_ADVERBS


def _a_past(word: str) -> bool:
    """A lower-case past ("arrested", "held"): never a name's word ("Armed Forces") nor a
    number's ("hundred")."""
    if not word.islower() or is_number_word(word) or is_scale_word(word):
        return False
    return word in _PASTS or (len(word) > 4 and word.endswith("ed"))


def _subject(tokens: list[str], at: int) -> list[str]:
    """The words of the past at tokens[at]'s clause before it: its subject, in a statement."""
    start = at
    while start > 0 and tokens[start - 1][0].isalnum() and tokens[start - 1] not in _CLAUSE:
        start -= 1
    return tokens[start:at]


def _done_by_another(tokens: list[str], at: int) -> str:
    """Whether the past at tokens[at] is done to its subject ("passive": "was arrested", "was
    the channel created") or by one the prompt names right before it within its clause
    ("another": "the authorities accused", "Putin signed"); "" where it describes what follows
    ("an armed conflict"), or where a comma or a relative word leaves who did it unsaid ("…,
    who left Russia", "…, had joined")."""
    before = at - 1
    while before >= 0 and (tokens[before] in _BETWEEN or _adverb(tokens[before])):
        before -= 1
    if before < 0:
        return ""
    word = tokens[before]
    if word in _PASSIVE_BEFORE:
        return "passive"
    if not word[0].isalnum() or word in _CLAUSE or word in word_lists.ARTICLES:
        return ""
    # Its clause before it: a "was" there asks of what it is done to ("In which city was the
    # 5 April press conference … held?"); else a name, or an article or owner's word before the
    # verb's subject, says who does it.
    clause = _subject(tokens, before + 1)
    if {"was", "were"} & {t.casefold() for t in clause}:
        return "passive"
    return "another" if any(t in SUBJECTS or t[0].isupper() for t in clause[-4:]) else ""


_BLANK_TOKEN = "___"
_CLAUSE = word_lists.CLAUSE_WORDS | {_BLANK_TOKEN}


def answer_roles(prompt: str, unread: Set[str] = frozenset()) -> Roles:
    """The verbs in the past of the answer's sentence in a prompt, by who does them
    (`_done_by_another`). The answer does the first after what is asked for in its clause,
    before any helping verb ("Which agency reportedly arrested a man?", "Which professor … at
    King's College London commented"), the one right after a blank ("{{Caesar}} said"), or one
    before "by" and the answer ("led by {{Ilya Ponomarev}}"); it is what a passive right after
    it is done to ("Which activist was arrested?"). So "Okhlopkov arrested the authorities" and
    "Telegram was created" (of "On which platform was the channel created?") say otherwise.
    `unread`: words read as no verb."""
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
    done = {
        i: _done_by_another(tokens, i)
        for i, word in enumerate(tokens)
        if _a_past(word) and word not in HAVE and "-" not in word and word not in unread
    }
    acts, own = _answer_does(after, bool(around))
    preceding = [w.casefold() for w in WORD_SPAN.findall(before)]
    if preceding[-1:] == ["by"]:
        acts |= {w for w in preceding[-3:-1] if _a_past(w)}
    others = frozenset(tokens[i] for i, how in done.items() if how) - acts
    passives = frozenset(tokens[i] for i, how in done.items() if how == "passive")
    # The answer placed by a preposition ("On which platform", "in {{…}}") is none of what a
    # passive names: "Telegram created" is false, where "the unit is also called ___" may
    # name it ("Free Russia Legion called").
    lead = asking_lead(prompt)[1] if asking else (preceding or [""])[-1]
    placed = lead in _LEADS
    always = {
        tokens[i]
        for i, how in done.items()
        if how and (how != "passive" or placed) and _never_bare(tokens, i, how)
    }
    # Who does the others: not the answer's own words before its own verb ("which activist was").
    theirs = [i for i, how in done.items() if how and tokens[i] not in acts | own]
    subjects = {w.casefold().replace("’", "'") for i in theirs for w in _subject(tokens, i)}
    subjects |= {w.replace("-", "") for w in subjects}  # as compounds_joined writes them
    return Roles(
        others,
        frozenset(acts),
        passives - acts - own,
        frozenset(always) - acts - own,
        frozenset(subjects - word_lists.ARTICLES - _PASSIVE_BEFORE - _BETWEEN),
    )


_ANSWER_PRONOUNS = frozenset({"him", "her", "them", "it", _BLANK_TOKEN})


def _never_bare(tokens: list[str], at: int, how: str) -> bool:
    """Whether the past at tokens[at] (done by another, or `how` "passive") says something
    false right after the answer even with nothing after it (Roles.always)."""
    following = tokens[at + 1 : at + 3]
    if how == "passive":
        return True
    if following[:1] == ["that"]:
        return True
    if following[:1] == ["to"]:
        # "agreed to create", never "crossed to the side", "responded to the Legion".
        then = following[1:2]
        return bool(then) and then[0].islower() and then[0] not in word_lists.ARTICLES
    # What it is done to: another named after it ("captured a POW"), never the answer ("accused
    # him") nor one left unsaid ("the declaration that the Legion signed in August").
    return (
        bool(following)
        and following[0][0].isalnum()
        and following[0] not in _ANSWER_PRONOUNS
        and following[0] not in word_lists.NO_OBJECT
    )


def _answer_does(after: str, blank: bool) -> tuple[set[str], set[str]]:
    """The past the answer does after it, and the one done to it ("was arrested"). Words as
    written: "United" of "for the United Press" is a name's, no verb."""
    following = WORD_SPAN.findall(CLAUSE_END.split(after)[0])
    passive = False
    for at, word in enumerate(following):
        low = word.casefold()
        helping = low in HAVE and at + 1 < len(following) and _a_past(following[at + 1])
        if helping or (low in _BETWEEN_ACTOR - HAVE) or _adverb(word):
            continue
        if low in _PASSIVE_BEFORE - {"be", "being"} and not passive:
            passive = True
            continue
        if _a_past(word) and low not in HAVE:
            return (set(), {word}) if passive else ({word}, set())
        # Right after a blank, its verb or none; after what is asked, up to a helping verb.
        if blank or passive or low in _NOT_ACTING or low in HAVE:
            break
    return set(), set()


# After a verb, words that begin no object of it: "Okhlopkov arrested on 22 June" is the news of
# his arrest, "Okhlopkov arrested the authorities" says he did it. Not "to", "that" or "with",
# which begin what a verb does ("agreed to create").
_NO_OBJECT = word_lists.NO_OBJECT - {"to", "that", "with"}
# Marks that quote or stress what follows a verb, which they leave its object ("accused "the
# authorities""); other marks end its clause ("Okhlopkov arrested; the authorities …").
_QUOTES = frozenset("\"'“”‘’«»*`")
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "who", "which", "that"})


def made_actor(given: str, question: Question, answer_word: Callable[[str], bool]) -> bool:
    """Whether a learner's answer has the answer do a verb of the prompt it does not
    (`Roles.others`): the verb after the answer (`answer_word` says which typed words
    are its) with nothing between but what the question says (`_after_answer`: "Okhlopkov, the
    activist, accused …"), before what it acts on ("Okhlopkov arrested the authorities"; never
    "Okhlopkov arrested on 22 June", "Okhlopkov arrested; the authorities …", "Okhlopkov,
    arrested Russian activist"); one done to another after "was" ("Telegram was created"); or
    one false whatever follows it (`Roles.always`: "Telegram created", "Ponomarev
    agreed")."""
    tokens = [t.replace("’", "'") for t in _TOKEN.findall(given)]
    lower = [t.casefold() for t in tokens]
    for at, word in enumerate(lower):
        rest = [t for t in lower[at + 1 :] if t not in _QUOTES]
        if word in ("was", "were"):
            swapped = rest[:1] != [] and rest[0] in question.roles.passives
        elif at and lower[at - 1] in word_lists.ARTICLES:
            swapped = False  # an adjective: "the arrested activist"
        elif word in question.roles.always:
            swapped = True
        elif word in question.roles.others:
            swapped = rest[:1] != [] and rest[0][0].isalpha() and not _describes(rest, question)
        else:
            swapped = False
        if swapped and _after_answer(tokens, at, question, answer_word):
            return True
    return False


def _describes(following: list[str], question: Question) -> bool:
    """Whether the words after a verb begin no object of it, or say what the answer is (a
    country's word before no body of it: "arrested Russian activist", never "accused Russian
    authorities")."""
    word = following[0]
    country = _country(word) and following[1:2] != [] and following[1] not in word_lists.BODIES
    return (
        word in _NO_OBJECT
        or word in question.describes
        or word.endswith(("ed", "ing"))
        or _adverb(word)
        or country
    )


def names_apart(given: str, question: Question, answer_word: Callable[[str], bool]) -> bool:
    """Whether a name placed beside the answer (`names_joined`) stands after a word that is
    neither the answer's nor what the question says it is: "Clarke studies at King's College
    London", "Ponomarenko commented for The Kyiv Independent"."""
    tokens = [t for t in _TOKEN.findall(given) if t[0].isalnum()]
    return any(
        word.startswith(NAMED)
        and at
        and not (answer_word(tokens[at - 1]) or tokens[at - 1].casefold() in question.describes)
        for at, word in enumerate(tokens)
    )


def _country(word: str) -> bool:
    return any(w.text in word_lists.COUNTRIES for w in answer_words.words_said(word))


def _after_answer(
    tokens: list[str], at: int, question: Question, answer_word: Callable[[str], bool]
) -> bool:
    """Whether tokens[at] says what the answer did: before it, past marks and the question's
    words (never those of who does it there, nor a pronoun), an answer's word that is no
    object of a verb ("the authorities arrested Okhlopkov, accused him" says they did)."""
    said = question.before | question.after | question.describes
    before = at - 1
    while before >= 0:
        word = tokens[before].casefold()
        if word in question.roles.subjects or word in _SUBJECT_PRONOUNS:
            return False  # "Telegram channel was created": the channel was
        if answer_word(word):
            break
        if word[0].isalnum() and not (word in said or _country(word) or _adverb(word)):
            return False
        before -= 1
    if before < 0:
        return False
    # Before the answer's words, a verb makes it what the verb acts on; after an article a
    # past is an adjective ("the accused Okhlopkov arrested …").
    while before >= 0 and (answer_word(tokens[before]) or not tokens[before][0].isalnum()):
        before -= 1
    if before < 0 or not _a_past(tokens[before].casefold()):
        return True
    return before > 0 and tokens[before - 1].casefold() in word_lists.ARTICLES
