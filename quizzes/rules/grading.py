"""Answer checking: is a learner's answer the question's answer? Pure functions, no database.

A typed answer is right when it is the question's answer or one of its accepted forms read by
rules, never by lists per question. Each rule has a learner-facing label (`Rule`); the README's
"Quizzes" section says the same for learners. In order:

1. The same words, once case, accents, punctuation, spacing, "the", a possessive "'s", a title
   before a name ("Professor Clarke"), British or American spelling, a country or its adjective
   ("Russian", "Russia's") and a number in words or figures are set aside. A dotted or spaced
   abbreviation ("F.S.B.", "F S B") is the abbreviation; an official name may come in its other
   order ("Federal Security Service of Russia", "Russian Federal Security Service").
2. The same date, however it is written: "1 June 2023", "June 1, 2023", "2023-06-01", and numbers
   read day first ("01/06/2023"; never month first). A year the learner gives must be the year a
   form states; a form without a year accepts the day and month alone, never any year.
3. Extra words the question already says around a right answer: a word of the prompt from the
   clause where the answer stands (around a blank, from its side of it, within four words; in a
   question, four before the word that asks or any after it; never between the answer's words), a
   place's kind the answer or the question there says ("Kursk region"), "services", the
   prison words of a penalty ("20 years in prison"), the country the fact is about ("FSB of
   Russia"). Words that join or deny ("and", "or", "not") are never extra words, so "Kursk and
   Bryansk" stays wrong; beside a number only what it counts is ("20 years", never "20
   citizens" nor "citizens: 20"; a number after the name a question asks it by names:
   "Article 23 of the Geneva Convention"); right after the answer, a verb only the answer does
   ("Okhlopkov arrested the authorities" is wrong, `prompt_roles`). A name in what a question
   asks for stands beside the answer whole, placed: "Michael Clarke of King's College London",
   "Forbes staff writer David Axe".
   What it says the answer only was needs its "former": "MP Ponomarev" of a former MP is wrong.
4. An initial for a first name ("V. Putin") where the surname alone is right (never "S.
   Battalion"); a letter before a name is an initial, never the article "a", and it must be the
   name's ("A. Putin" is wrong).
5. One slip (a letter missing, extra, wrong or two swapped) in a word of a name of at least six
   letters, never in its first letter or a number, never adding or dropping a surname's
   gendered "a" (Ponomareva is not Ponomarev), never when the word typed is as much a slip of
   another name of the article (Ponomarev is never Ponomarenko).
6. A right answer with another of its forms, or its initials, in brackets: "Caesar (Tsezar)",
   "Russian Volunteer Corps (RVC)". Anything else in brackets is a second answer, so wrong.
7. What says no more than the answer is taken out, and the rest graded once (`answer_frames`):
   "It was" (not in a blank), the question's own hedge, a number said twice, a word typed apart.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from quizzes.rules import answer_words, countries, word_lists
from quizzes.rules.answer_dates import dates_agree, dates_in_words, parse_date
from quizzes.rules.answer_frames import plainer
from quizzes.rules.answer_words import (
    CHARACTER_FOLDS,
    POSSESSIVE,
    embed,
    fold,
    initials_of,
    read,
    stands_for,
)
from quizzes.rules.article import article_body
from quizzes.rules.numerals import is_count
from quizzes.rules.prompt_roles import (
    NO_PHRASE,
    Asked,
    answer_roles,
    asked_names,
    made_actor,
    names_apart,
)
from quizzes.rules.prompt_words import (
    CLOZE_MARKER,
    HOW_MANY,
    LEGION_NAME,
    around_asking,
    around_blank,
    asked_noun,
    asking_lead,
    common_abbreviations,
    compounds,
    compounds_joined,
    dated_verb,
    described,
    description,
    filler,
    formerly,
    legion_abbreviated,
    main_clause,
    near_blank,
    pasts,
)
from quizzes.rules.question_words import Question
from quizzes.rules.slips import stem
from quizzes.rules.verdicts import Rule, Verdict
from quizzes.rules.word_lists import ARTICLES, TITLES
from quizzes.rules.words import Reading, in_place, initials_for_names, optional_marked

if TYPE_CHECKING:
    from quizzes.bank.cache import ChoiceData, QuestionData

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
# Longer answers are never right: no form is this long, and reading them costs time.
MAX_ANSWER_LENGTH = 200


def normalise(text: str) -> str:
    """Fold case, accents, punctuation, spacing and a leading "the"."""
    text = unicodedata.normalize("NFKD", text).translate(CHARACTER_FOLDS).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("'", "")  # "King's" and "Kings" are the same answer
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return text.removeprefix("the ").strip()


def answer_key(text: str) -> str:
    """Normalise, and also set aside possessives, a leading "a"/"an" and titles before a name."""
    folded = unicodedata.normalize("NFKD", text).translate(CHARACTER_FOLDS).casefold()
    words = normalise(POSSESSIVE.sub("", folded)).split()
    while len(words) > 1 and (words[0] in ARTICLES or words[0] in TITLES):
        words = words[1:]
    return " ".join(words)


@cache
def article_name_words() -> frozenset[str]:
    """Every word of a capitalised name in the article body, normalised ("ponomarev", "kyiv")."""
    names = re.findall(r"\b[A-Z][\w'’-]*", article_body())
    return frozenset(word for name in names for word in normalise(name).split() if len(word) >= 4)


@cache
def article_words() -> frozenset[str]:
    """Every word of the article body, in lower case: the words a slip never turns one into."""
    return frozenset(w.casefold() for w in re.findall(r"[^\W\d_]+", fold(article_body())))


_PRISON = frozenset({"prison", "jail", "imprison", "imprisoned", "imprisonment"})


# Words that say nothing of what the answer is: what it is said to be holds none of them.
_FUNCTION_WORDS = word_lists.LEADING | word_lists.CLAUSE_WORDS | ARTICLES


@dataclass(frozen=True)
class _Forms:
    """A question's forms read once, with what its prompt already says."""

    forms: tuple[str, ...]  # the form each reading is of
    keys: tuple[str, ...]  # each form normalised
    readings: tuple[Reading, ...]
    question: Question
    other_names: frozenset[str]
    initials: frozenset[str]
    compounds: frozenset[str]  # the forms' hyphened words (prompt_words.compounds)
    # What the question asks for, or a blank is said to be: its names and pairs (Asked.joined_in).
    phrase: Asked = NO_PHRASE


@lru_cache(maxsize=2048)
def _forms(forms: tuple[str, ...], prompt: str) -> _Forms:
    # A form naming the Legion is read again with the name abbreviated ("… join the FRL").
    matched, written = legion_abbreviated(forms)
    readings = optional_marked(initials_for_names(tuple(in_place(read(f)) for f in written)))
    context = LEGION_NAME.sub(" ", CLOZE_MARKER.sub(" ", prompt))
    prompt_words = answer_words.words_said(context)
    around = around_blank(prompt)
    asking = None if around else around_asking(prompt)
    led: set[str] = set()
    phrase = NO_PHRASE
    describes: set[str] = set()
    former: set[str] = set()
    noun = ""
    heading: set[str] = set()
    word, lead = asking_lead(prompt) if asking else ("", "")
    if asking:
        # The answer stands where the words that ask do: the words before them come before it
        # ("denied any link with Okhlopkov", never "Okhlopkov denied"), what it asks for on either
        # side ("activist Okhlopkov"), the rest after it, or before it where the answer is what
        # the verb acts on ("arrested Okhlopkov", never "arrested the FSB"), with the preposition
        # that asks ("formed in March 2022", never "captured Lysychansk").
        near = near_blank(asking, asking=True) or asking
        # A date's words are only its main clause's: never "(on) 29 June captured" of "… say it
        # had captured?" (the day it said so).
        dated = parse_date(forms[0]) is not None
        main = main_clause(near[1]) if dated else near[1]
        before, after = filler(near[0], whole=True), filler(main)
        past = pasts(main, after, article_words()) if dated else set()
        after |= past
        noun, acted_on = asked_noun(near[1], word)
        # What it asks for may be an abbreviation ("former Russian MP Ponomarev", "Ponomarev, a
        # former Russian MP").
        abbreviations = common_abbreviations(noun)
        asked = filler(f"— {noun}", whole=True) | abbreviations
        # "Michael Clarke of King's College London": a name that says which one, in no form.
        phrase = asked_names(near[1]).outside(" ".join(forms))
        asked |= phrase.joined
        describes = (asked | phrase.words | compounds(noun)) - _FUNCTION_WORDS
        former = formerly(noun)
        heading = before - asked if lead else set()
        before |= asked | (after if acted_on and not lead else set())
        after |= abbreviations | phrase.joined | compounds(noun)  # "Okhlopkov, an anti-war …"
        if lead and dated and (verb := dated_verb(asking[1])) in after:
            before.add(verb)  # "formed March 2022": a date is when without its "in"
        before |= past  # "signed 14 July 2022" of "… did Putin sign …?", as "signed on …"
        led = after - before
    else:
        near = near_blank(around) or (context, context)
        before, after = filler(near[0], whole=True), filler(near[1])
        if around and described(around[1]):
            # "{{Ilya Ponomarev}}, a former Russian MP": what it is said to be, on either side,
            # its names placed ("Michael Clarke of King's College London").
            said = description(around[1])
            phrase = asked_names(said).outside(" ".join(forms))
            # All of it, past the blank's reach ("… of war studies at King's College London").
            describes = (filler(said, whole=True) | phrase.joined) - _FUNCTION_WORDS
            describes |= common_abbreviations(said)
            after |= describes
            before |= describes
            describes |= phrase.words - _FUNCTION_WORDS
            former = formerly(said)
    form_read = [w for reading in readings for w in reading.plain]
    form_words = {w.text for w in form_read}
    # The answer is a prison term where the prompt or a form speaks of prison: "in prison", "up
    # to" add nothing (but "up to 14 July 2022" says something else than the date the law was
    # signed, and "up to two years" is no length of a war).
    prompt_texts = {w.text for w in prompt_words}
    jailed = (form_words | prompt_texts) & _PRISON
    penalty = bool(jailed and form_words & (_PRISON | {"years", "year"}))
    if penalty:
        before |= word_lists.PENALTY_WORDS
        after |= word_lists.PENALTY_WORDS
        heading = set()  # "can face 20 years": its "up to" is no preposition that asks
    form_countries = form_words & word_lists.COUNTRIES
    prompt_countries = prompt_texts & word_lists.COUNTRIES
    # A fact about one country: the one its forms name; else, around a blank, one next to it on
    # that side ("a company of the Russian army"); else the one the words that ask name ("which
    # two Russian regions"). Two there ("… the Russian Armed Forces … to Ukraine") say neither.
    if len(form_countries) > 1:
        sides: tuple[set[str], set[str]] = (set(), set())
    elif form_countries:
        sides = (form_countries, form_countries)
    elif penalty and len(prompt_countries) == 1:
        # A prison term is served where the prompt's one country jails ("in a Russian prison").
        sides = (prompt_countries, prompt_countries)
    elif around:
        sides = countries.beside(*around, form_words)
        if described(around[1]):  # "Russian ex-MP Ilya Ponomarev"
            sides = (sides[0] | countries.beside("", near[1], form_words)[1], sides[1])
    else:
        sides = (countries.asked(context),) * 2
    # "Kyiv, Ukraine", "Moscow in Russia": a place's own country after it, and no other.
    located = set() if form_countries else countries.of_place(readings)
    last_only, sides = located - sides[1], (sides[0], located or sides[1])
    own = {stem(w) for w in form_words} | {w.raw for r in readings for w in r.words}
    # What a number counts: the word after it in a form ("20 years"), or the prompt's "how many".
    units = {b.text for r in readings for a, b in pairwise(r.words) if is_count(a.text)}
    units |= {w.text for w in answer_words.words_said(" ".join(HOW_MANY.findall(prompt)))}
    # A number the question asks for by its name ("which article": "Article 23") names.
    labels = {a.text for r in readings for a, b in pairwise(r.words) if b.raw.isdigit()}
    labels &= {w.text for w in answer_words.words_said(noun)} - _FUNCTION_WORDS - units
    labels -= word_lists.BESIDE_COUNT
    others = frozenset({stem(n) for n in article_name_words()} - own)
    # A prison term's own words say nothing of who acts ("20 years imprisoned").
    roles = answer_roles(prompt, set(word_lists.PENALTY_WORDS) if penalty else set())
    return _Forms(
        matched,
        tuple(normalise(form) for form in forms),
        readings,
        Question(
            frozenset(before | sides[0]),
            frozenset(after | sides[1]),
            frozenset((sides[0] | sides[1]) & prompt_countries),
            frozenset(form_countries if len(form_countries) == 1 else ()),
            article_words(),
            frozenset(stem(unit) for unit in units),
            countries.place_kinds(form_words, before | after),
            frozenset(led),
            lead,
            headed=frozenset(heading - word_lists.COUNTRIES),
            nouns=countries.said(prompt_words) | countries.said(form_read) | located,
            located=frozenset(located),
            last_only=frozenset(last_only),
            roles=roles._replace(subjects=roles.subjects - describes),
            describes=frozenset(describes),
            formerly=frozenset(former - form_words),
            labels=frozenset(labels),
        ),
        others,
        frozenset().union(*(initials_of(form) for form in forms)),
        frozenset(compounds(" ".join(forms))),
        phrase,
    )


def _rule_of(given: Reading, form: Reading, found: answer_words.Embedding) -> Rule:
    if found.slips:
        return Rule.SLIP
    if found.filler:
        return Rule.EXTRA_WORDS
    if found.initials:
        return Rule.INITIAL
    added = given.ways - form.ways
    if "number" in added:
        return Rule.SAME_NUMBER
    if "abbreviation" in added:
        return Rule.ABBREVIATION
    if ("reordered" in given.ways) != ("reordered" in form.ways):
        return Rule.OTHER_ORDER
    return Rule.SAME_WORDS


def _by_words(given: str, read_forms: _Forms) -> Verdict:
    # A hyphened word the question says before the answer ("Which anti-war activist"), never
    # one it says of something after it ("Which writer described the group as far-right?").
    joined = compounds_joined(given, read_forms.question.before, read_forms.compounds)
    text = read_forms.phrase.joined_in(joined)
    reading = read(text)
    best: tuple[tuple[int, int, int], Verdict] | None = None
    for form, form_reading in zip(read_forms.forms, read_forms.readings, strict=True):
        found = embed(reading, form_reading, read_forms.question, read_forms.other_names)
        if found is None:
            continue
        cost = (found.slips, found.filler, found.initials)
        if best is None or cost < best[0]:
            best = (cost, Verdict(True, form, _rule_of(reading, form_reading, found)))
            if cost == (0, 0, 0):
                break
    return best[1] if best and not _says_otherwise(text, read_forms) else Verdict(False)


def _says_otherwise(text: str, read_forms: _Forms) -> bool:
    """ "Okhlopkov arrested the authorities" (made_actor), "Clarke studies at KCL" (names_apart)."""
    forms, names, question = read_forms.readings, read_forms.other_names, read_forms.question

    def answer_word(word: str) -> bool:
        return stands_for(word, forms, names, question.other_words)

    return (
        made_actor(text, question, answer_word)
        or names_apart(text, question, answer_word)
        or _former_dropped(text, question.formerly)
    )


def _former_dropped(text: str, was_only: frozenset[str]) -> bool:
    """ "MP Ponomarev" of "Which former Russian MP …?": a word the question says only of what the
    answer was (`Question.formerly`) with no "former" (or "ex-") before it."""
    former = False
    for word in read(text).plain:
        if word.text in was_only:
            if not former:
                return True
            former = False  # one "former" says it of one ("former MP Ponomarev, MP" is false)
        former = former or word.text == "former"
    return False


_BRACKETS = re.compile(
    r"^(?P<before>[^()\[\]]*)[(\[](?P<inner>[^()\[\]]+)[)\]](?P<after>[^()\[\]]*)$"
)


def _with_brackets(given: str, read_forms: _Forms) -> Verdict:
    """A right answer with another form of it, or its initials, in brackets."""
    match = _BRACKETS.match(given)
    if match is None:
        return Verdict(False)
    outside = _by_words(f"{match['before']} {match['after']}", read_forms)
    if not outside.correct:
        return Verdict(False)
    inner = match["inner"]
    letters = "".join(w.text for w in read(inner).words)
    if _by_words(inner, read_forms).correct or letters in read_forms.initials:
        return Verdict(True, outside.matched, Rule.BRACKETS)
    return Verdict(False)


def answer_forms(answer: str, accepted: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """The answer and its accepted forms, each once, the answer first."""
    return tuple(dict.fromkeys(form for form in (answer, *accepted) if form.strip()))


def grade(
    given: str, *, answer: str, accepted: list[str] | tuple[str, ...] = (), prompt: str = ""
) -> Verdict:
    """Grade a typed answer against the answer and its accepted forms, saying which form matched
    and by which rule. `prompt` is the question's: words it already says may be added."""
    forms = answer_forms(answer, accepted)
    if not given or not given.strip() or not forms:  # no forms: a blank answer in a bank file
        return Verdict(False)
    read_forms = _forms(forms, prompt)
    verdict = _graded(given, forms, read_forms)
    if verdict.correct or len(given) > MAX_ANSWER_LENGTH:
        return verdict
    for rest, rule in plainer(given, prompt, read_forms.keys):
        if (plain := _graded(rest, forms, read_forms)).correct:
            return Verdict(True, plain.matched, rule)
    return verdict


def _graded(given: str, forms: tuple[str, ...], read_forms: _Forms) -> Verdict:
    # The form itself, whatever the case, spacing and punctuation, is right at any length.
    key = normalise(given)
    for form, form_key in zip(forms, read_forms.keys, strict=True):
        if key == form_key:
            return Verdict(True, form, Rule.SAME_WORDS)
    if len(given) > MAX_ANSWER_LENGTH:
        return Verdict(False)
    given_date = parse_date(given)
    if given_date is not None:
        for form in forms:
            form_date = parse_date(form)
            if form_date is not None and dates_agree(given_date, form_date):
                return Verdict(True, form, Rule.SAME_DATE)
        return Verdict(False)  # a date is never a name with a slip
    verdict = _by_words(given, read_forms)
    if not verdict.correct and (in_words := dates_in_words(given)) != given:
        verdict = _by_words(in_words, read_forms)  # "arrested 22/06/2022"
    return verdict if verdict.correct else _with_brackets(given, read_forms)


def answer_is_correct(
    given: str, *, answer: str, accepted: list[str] | tuple[str, ...] = (), prompt: str = ""
) -> bool:
    """Return whether a typed answer matches the answer or one of the accepted forms."""
    return grade(given, answer=answer, accepted=accepted, prompt=prompt).correct


class Graded(NamedTuple):
    """A response judged: right or wrong (None when there was no attempt), and the choice picked."""

    correct: bool | None
    chosen: "ChoiceData | None"


def response_grade(question: "QuestionData", response: str) -> Graded:
    """Grade a learner's response to a question of the bank: for a choice question a choice id
    (an unknown id is no attempt), otherwise the typed answer."""
    if not response:
        return Graded(None, None)
    if question.has_choices:
        chosen = next((c for c in question.choices if str(c.id) == response), None)
        return Graded(None if chosen is None else chosen.is_correct, chosen)
    verdict = grade(
        response, answer=question.answer, accepted=question.accepted_answers, prompt=question.prompt
    )
    return Graded(verdict.correct, None)
