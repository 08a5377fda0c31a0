"""How grading reads the words of an answer, and when a learner's words are a form's. Pure.

A text is read into words that keep what tells answers apart and fold what does not: case,
accents, punctuation, possessives, dotted or spaced abbreviations ("F.S.B.", "F S B"), numbers in
words ("twenty-three" is 23), British and American spellings ("defence", "organisation"), a
country and its adjective ("Russian", "Russia's", "Russo-" are Russia), and the order of an
official name ("Federal Security Service of Russia" is "Russian Federal Security Service",
"Ministry of Defence" is "Defence Ministry").

`embed` lays a form's words over the learner's, in order: each there, the same (a plural's "s"
aside), an initial of a first name ("V."), or with one forgiven slip (`slip_forgiven`); an
article, a place's kind or (not from a name) a country the question names may be left out.
Every other word typed must be filler: a word the question already says, an article, or a
generic word of the fact's kind ("region" where the question says one, "in prison"). Words that
join or deny ("and", "not"), numbers and initials never are: "Kursk and Bryansk" stays wrong.
"""

import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass, replace
from functools import lru_cache

from quizzes.rules.article import name_words
from quizzes.rules.english import inflected, is_english
from quizzes.rules.names import is_title, order, past_articles, title_phrases
from quizzes.rules.numerals import is_count, is_number_word, is_scale_word, numeral, word_value
from quizzes.rules.question_words import Question
from quizzes.rules.slips import slip_forgiven, stem
from quizzes.rules.word_lists import (
    ARTICLES,
    BESIDE_COUNT,
    BODIES,
    COUNTRIES,
    GENERIC_FILLER,
    NEVER_FILLER,
    PLACE_WORDS,
    people,
)
from quizzes.rules.words import Reading, Word, adjective_for_country

_QUOTES = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "}
# Letters of other scripts drawn as Latin ones (Cyrillic and Greek) are read as those: an answer
# must not pass a rule by looking like a form it is not (an outside audit slipped "Ponomareva",
# its last letter Cyrillic, past the rule that keeps a woman's surname wrong).
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕһӏԁАВЕКМНОРСТХУІЈЅοαικνρτυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijshldABEKMHOPCTXYIJSoaikvptuABEZHIKMNOPTYX",
)
# What every reading of an answer folds first: curly quotes and dashes, and look-alike letters.
CHARACTER_FOLDS = str.maketrans(_QUOTES) | _LOOKALIKES
# "Putin's regime" and "Ukrainians' flag" are about Putin and Ukrainians.
POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=\ws)'(?!\w)")
_WORD = re.compile(r"[^\W_]+")
# "F.S.B.", "F. S. B", "k.c.l": letters each followed by a dot; "F S B", "R T": capitals apart.
_DOTTED = re.compile(r"\b[^\W\d_](?:\.\s?[^\W\d_]){1,}\b\.?")
_SPACED = re.compile(r"\b[A-Z](?: [A-Z]){1,}\b")
_NAME_NEXT = re.compile(r"\s*[A-Z][a-z]")
_SENTENCE_START = re.compile(r"[.?!:;\"]\s+\"?")
# "V. Putin": a letter with a dot before a word is an initial, never the article "a".
_INITIAL = re.compile(r"\b([^\W\d_])\.")
_AFTER_COMMA = re.compile(r",\s*")
_HYPHENED = re.compile(r"\b[^\W_]+(?:-[^\W_]+){2,}")


_COUNTRY_OF = dict.fromkeys(("russian", "russo"), "russia") | {"ukrainian": "ukraine"}
_ADJECTIVE = {"russia": "russian", "ukraine": "ukrainian"}
# A people's possessive is its country's ("Ukrainians' intelligence"); see PEOPLES.
_PEOPLES_POSSESSIVE = re.compile(r"\b(russian|ukrainian)s'(?!\w)", re.IGNORECASE)
_SHORT_FORMS = {"yrs": "years", "yr": "year", "art": "article"}


def fold(text: str) -> str:
    """Set aside accents and curly quotes, keeping case (capitals mark names)."""
    text = unicodedata.normalize("NFKD", text).translate(CHARACTER_FOLDS)
    return "".join(c for c in text if not unicodedata.combining(c))


def _numbers(words: list[Word]) -> tuple[list[Word], bool]:
    """Numbers written in words become figures: "twenty-three" and "two hundred" are 23 and 200;
    number words that are not one numeral are a figure each ("one two" is 1 2)."""
    out: list[Word] = []
    changed = False
    run: list[Word] = []

    def close() -> None:
        nonlocal changed
        if not run:
            return
        whole = numeral([w.text for w in run])
        if whole is not None:
            out.append(Word(str(whole), " ".join(w.raw for w in run)))
        else:
            for w in run:
                value = word_value(w.text)
                out.append(Word(str(value), w.raw))
        changed = True
        run.clear()

    for word in words:
        if is_number_word(word.text) or (is_scale_word(word.text) and run):
            run.append(word)
        else:
            close()
            out.append(word)
    close()
    return out, changed


def _spelling(word: str) -> str:
    """One spelling for British and American forms: defence/defense, organise/organize."""
    word = _SHORT_FORMS.get(word, word)
    word = _COUNTRY_OF.get(word, word)
    if len(word) >= 6:
        word = re.sub(r"(?<=\w\w)is(e|ed|es|ing|ation|ations)$", r"iz\1", word)
        word = re.sub(r"fence$", "fense", word)
        word = re.sub(r"(?<=[^aeiou\W])our(s?)$", r"or\1", word)
    return word


@lru_cache(maxsize=8192)
def read(text: str) -> Reading:
    """Read a text into the words grading compares."""
    ways: set[str] = set()
    text = POSSESSIVE.sub("", _PEOPLES_POSSESSIVE.sub(r"\1", fold(text)))
    for pattern in (_DOTTED, _SPACED):
        text = pattern.sub(lambda m: _letters(m, ways), text)
    initials = {m.start() for m in _INITIAL.finditer(text)}
    text = text.replace("'", "")  # "King's" and "Kings" are the same answer
    # "Kursk & Bryansk", "Kursk/Bryansk": two answers, as with "and" and "or".
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"(?<!\d)\s*/\s*|\s*/\s*(?!\d)", " or ", text)
    text = re.sub(r"\brussian federation\b", "russia", text, flags=re.IGNORECASE)
    # Two words hyphened are one ("war-criminal", "far-right"); three are a list.
    listed = {m.end() for m in _AFTER_COMMA.finditer(text)} | {
        c.start() + at + 1
        for c in _HYPHENED.finditer(text)
        for at, mark in enumerate(c.group())
        if mark == "-"
    }
    words = [
        Word(
            _spelling(m.group().casefold()),
            m.group().casefold(),
            name=m.group()[0].isupper(),
            # One letter is an initial ("V Putin"), but for "a", which needs its dot ("A. Putin").
            initial=m.start() in initials
            or (len(m.group()) == 1 and m.group().isalpha() and m.group().casefold() != "a"),
            listed=m.start() in listed,
        )
        for m in _WORD.finditer(text)
    ]
    words, numbered = _numbers(words)
    if numbered:
        ways.add("number")
    # "ex-MP" is a former MP; "Ponomarev's ex" is someone else.
    words = [
        replace(w, text="former") if w.text == "ex" and i + 1 < len(words) else w
        for i, w in enumerate(words)
    ]
    # "The government of Russia" is the Russian government (see `Question.nouns`).
    words = [
        replace(w, raw=_ADJECTIVE[w.raw]) if w.raw in _ADJECTIVE and _of_a_body(words, i) else w
        for i, w in enumerate(words)
    ]
    # Titles before a name, and "the" anywhere, say nothing ("President Putin", "the FSB").
    phrases = title_phrases(words)  # "Putin, president of Russia"
    words = [
        w
        for i, w in enumerate(words)
        if w.text != "the" and i not in phrases and not is_title(words, i)
    ]
    words = [
        replace(w, first_name=True)
        if w.name and len(w.text) > 1 and i + 1 < len(words) and words[i + 1].name
        else w
        for i, w in enumerate(words)
    ]
    ordered, moved = order(words)
    if moved:
        ways.add("reordered")
    return Reading(tuple(ordered), frozenset(ways), tuple(words))


def _of_a_body(words: list[Word], at: int) -> bool:
    """Whether words[at] follows "of" (and an article) after a body: "the government of (the)"."""
    of = past_articles(words, at - 1, -1)
    return of > 0 and words[of].text == "of" and words[of - 1].text in BODIES


def _letters(match: re.Match[str], ways: set[str]) -> str:
    """Letters apart: initials before a name ("V.V. Putin"), else one abbreviation ("F.S.B.")."""
    letters = re.sub(r"[.\s]", "", match.group())
    if _NAME_NEXT.match(match.string, match.end()):
        return " ".join(f"{letter}." for letter in letters) + " "
    ways.add("abbreviation")
    return letters + " "


def words_said(text: str) -> list[Word]:
    """The words of a question as written, each read alone: titles and numbers in words too. A
    word that starts a sentence is no name for its capital."""
    folded = POSSESSIVE.sub("", _PEOPLES_POSSESSIVE.sub(r"\1", fold(text))).replace("'", "")
    starts = {0} | {m.end() for m in _SENTENCE_START.finditer(folded)}
    words = [
        Word(
            _spelling(m.group().casefold()),
            m.group().casefold(),
            name=m.group()[0].isupper() and m.start() not in starts,
        )
        for m in _WORD.finditer(folded)
    ]
    return [w for w in words if not is_number_word(w.text)]


@dataclass(frozen=True)
class Embedding:
    """How a form's words were found among the learner's: slips forgiven, initials, filler."""

    slips: int
    initials: int
    filler: int


def _word_matches(
    given: Word, wanted: Word, other_names: frozenset[str], other_words: frozenset[str]
) -> tuple[int, int] | None:
    """(slips, initials) when the learner's word stands for the form's word, else None."""
    if given.text == wanted.text or given.raw == wanted.raw or people(given.raw, wanted.raw):
        return (0, 0)
    # A name's plural or possessive is the name ("Legions", "Harpers"); an ordinary word's plural
    # may say something else ("hundred" is not "hundreds").
    if wanted.name and stem(given.text) == stem(wanted.text):
        return (0, 0)
    if given.initial and wanted.first_name and given.text == wanted.text[0]:
        return (0, 1)
    if not given.text.isalpha() or given.text in other_words or given.raw in other_words:
        return None  # a word of the article is that word, never a slip of another
    for g in {given.text, given.raw}:
        for w in {wanted.text, wanted.raw}:
            if slip_forgiven(g, w, other_names if wanted.name else frozenset()):
                # Nor is another English word ("defeat" is no slip of "defect"), but the same
                # word's other ending ("fascist", "denies"); looked up last: rare.
                other = not inflected(given.raw, wanted.raw) and is_english(given.raw)
                return None if not (wanted.name or wanted.optional) and other else (1, 0)
    return None


def _is_filler(
    word: Word,
    following: Word | None,
    form: Reading,
    question: Question,
    prompt: Set[str] | None,
    upcoming: Word | None = None,
    closing: bool = False,
) -> bool:
    """Whether `word` adds nothing; `prompt`: the words its place may take (None: within the
    form, before its word `upcoming`); `closing`: after the form."""
    text = word.text
    if word.initial or text in NEVER_FILLER or any(c.isdigit() for c in text):
        return False
    if word.article:
        # "a" or "an" before a name is no article: "A Putin" names someone else.
        named = {w.text for w in form.words if w.name}
        return following is None or following.text not in named or text in form.key
    if word.raw in COUNTRIES and text not in question.nouns:
        return False
    if text in COUNTRIES and following and _a_verb(following):
        return False  # never who acts: "Russia wanting to join the Legion"
    if closing and text in question.last_only:
        return following is None  # "Kyiv, Ukraine"; never amid a name ("Grayvoronsky Russian …")
    if text == "in" and closing and question.located:
        return following is not None and following.text in question.located  # "Kyiv in Ukraine"
    if text == "of" and closing and following and text not in (prompt or ()):
        # After the answer "FSB of Russia", never "rebellion of the government" (whose?).
        return following.raw in COUNTRIES
    if text in COUNTRIES:
        if prompt is not None:
            return text in prompt
        # Amid the form's words only before a name's ("to join the Russian Legion"), never
        # where it says who acts ("wanting Russia to join the Legion").
        return text in question.inside and upcoming is not None and upcoming.name
    return text in (prompt or ()) or text in question.places or text in GENERIC_FILLER


def _a_verb(word: Word) -> bool:
    """Whether a word reads as a verb's "-ing" form, in any case ("Wanting"), not a name's."""
    return word.raw.endswith("ing") and word.text not in name_words()


def _beside_count(words: tuple[Word, ...], i: int, question: Question) -> bool:
    """Whether words[i] may be filler beside a number: right after it, only what it counts ("20
    years", never "20 citizens"); before it, only where what it counts follows ("claimed two
    villages", never "citizens: 20"). An article or a term's preposition may stand either side
    ("a 20-year term", "up to 20", "20 in jail")."""
    word, after = words[i], words[i + 1 : i + 3]
    if word.article or word.text in BESIDE_COUNT:
        return True
    if i > 1 and is_count(words[i - 1].text) and words[i - 2].text in question.labels:
        # A number that names: "Article 23 of the Geneva Convention", never "Article 23 article".
        return word.text not in question.labels
    counted = len(after) == 2 and stem(after[1].text) in question.units
    if after and is_count(after[0].text) and not counted:
        return False
    return not (i and is_count(words[i - 1].text)) or stem(word.text) in question.units


def _named(words: tuple[Word, ...]) -> bool:
    """A name's or a country's word: "and" never joins them ("Russia and Today", "Vladimir and")."""
    return any(w.name or w.text in COUNTRIES for w in words)


def _droppable(word: Word, question: Question, named: bool) -> bool:
    """A form word the learner may leave out (the module's docstring): "Today" is no name."""
    country = word.text in question.droppable and not (named and word.name)
    return word.article or word.text in PLACE_WORDS or country


def embed(
    given: Reading, form: Reading, question: Question, other_names: frozenset[str]
) -> Embedding | None:
    """Lay the form's words over the learner's in order (see the module's docstring)."""
    if adjective_for_country(given.plain[-1:], form.plain[-1:]):
        return None
    found = _embed(given.words, form, form.words, question, other_names)
    if found is None and (given.plain != given.words or form.plain != form.words):
        found = _embed(given.plain, form, form.plain, question, other_names) or found
    return found


def stands_for(
    given: str, forms: tuple[Reading, ...], other_names: frozenset[str], others: frozenset[str]
) -> bool:
    """Whether a word a learner typed is one of the forms' words, as embed would match it."""
    words = read(given).words
    return bool(words) and any(
        _word_matches(words[0], w, other_names, others) is not None for f in forms for w in f.words
    )


def _embed(
    g_words: tuple[Word, ...],
    form: Reading,
    f_words: tuple[Word, ...],
    question: Question,
    other_names: frozenset[str],
) -> Embedding | None:
    best: dict[tuple[int, int], Embedding | None] = {}
    named = sum(w.name for w in f_words) > 1

    def walk(i: int, j: int) -> Embedding | None:
        if (i, j) in best:
            return best[(i, j)]
        options: list[Embedding] = []
        if i == len(g_words) and j == len(f_words):
            options.append(Embedding(0, 0, 0))
        if i < len(g_words) and j < len(f_words):
            found = _word_matches(g_words[i], f_words[j], other_names, question.other_words)
            rest = walk(i + 1, j + 1) if found else None
            if found and rest:
                options.append(
                    Embedding(rest.slips + found[0], rest.initials + found[1], rest.filler)
                )
        if i < len(g_words):
            following = g_words[i + 1] if i + 1 < len(g_words) else None
            # "and" between two ordinary words the form lists joins them ("white, blue and
            # white"); anywhere else it adds a second answer ("war and criminal"), after a form
            # word left out too ("company and Security Service of Ukraine").
            joins = (
                g_words[i].text == "and"
                and i > 0
                and 0 < j < len(f_words)
                and f_words[j].listed
                and not _named(f_words[j - 1 : j + 1])
                and following is not None
                and _word_matches(g_words[i - 1], f_words[j - 1], other_names, question.other_words)
                is not None
                and _word_matches(following, f_words[j], other_names, question.other_words)
                is not None
            )
            # The prompt's words stand before the form's first word or after its last.
            said = question.before if j == 0 else question.after if j == len(f_words) else None
            if j == 0 and question.lead:
                # The question's words before its preposition that asks stand before the answer
                # with that preposition ("captured in the Lysychansk area", "lead a march on
                # Moscow"), never without it ("lead Moscow").
                led = g_words[i].text == question.lead or any(
                    w.text == question.lead for w in g_words[i + 1 :]
                )
                said = question.before | question.led if led else question.before - question.headed
            if joins or (
                _beside_count(g_words, i, question)
                and _is_filler(
                    g_words[i],
                    following,
                    form,
                    question,
                    said,
                    f_words[j] if said is None else None,
                    closing=j == len(f_words),
                )
            ):
                rest = walk(i + 1, j)
                if rest:
                    # An article is no word the learner added: "a physiotherapist" is the same.
                    added = 0 if g_words[i].article or joins else 1
                    options.append(Embedding(rest.slips, rest.initials, rest.filler + added))
        if j < len(f_words) and _droppable(f_words[j], question, named):
            rest = walk(i, j + 1)
            if rest:
                options.append(rest)
        result = min(options, key=lambda e: (e.slips, e.filler, e.initials)) if options else None
        best[(i, j)] = result
        return result

    found = walk(0, 0)
    if found is None or not any(not w.article for w in form.words):
        return None
    return found


def initials_of(text: str) -> frozenset[str]:
    """The initialisms a name makes: "Russian Volunteer Corps" makes "rvc"; "Security Service
    of Ukraine" makes "ssou" and "ssu"."""
    words = [w.casefold() for w in _WORD.findall(POSSESSIVE.sub("", fold(text)).replace("'", ""))]
    words = [w for w in words if w not in ARTICLES]
    if len(words) < 2 or not all(w.isalpha() for w in words):  # "2022-03" makes no "20"
        return frozenset()
    small = {"of", "and", "for", "in", "on"}
    return frozenset({"".join(w[0] for w in words), "".join(w[0] for w in words if w not in small)})
