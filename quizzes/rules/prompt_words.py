"""The words of a question's prompt that a learner may add beside a right answer (grading's third
rule): around a blank, those of its side within its sentence and near it; in a question that
asks once, those before the words that ask before the answer; elsewhere, any of the prompt's
lower-case words. Pure, no database."""

import re
from collections.abc import Set

from quizzes.rules import answer_words, word_lists
from quizzes.rules.article import SENTENCE_END
from quizzes.rules.numerals import is_number_word

CLOZE_MARKER = re.compile(r"\{\{c\d+::.*?\}\}", re.DOTALL)
# The Legion's own name says "Russia" in most prompts; it says nothing about the fact.
LEGION_NAME = re.compile(r"\bfree(?:dom of)? russia legion\b", re.IGNORECASE)
# The Legion named in an answer's form, which the article also calls "the FRL": never another
# legion ("International Legion"; "the Legion of …" would be another one's).
_THE_LEGION = re.compile(
    r"\b(?:the Freedom of Russia Legion|Freedom of Russia Legion|the Legion)\b(?! of\b)"
)


def legion_abbreviated(forms: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The forms, then again each that names the Legion with the name as the article abbreviates
    it ("wanting to join the Legion" as "wanting to join the FRL"): the form each stands for,
    and the text to read."""
    again = [(form, new) for form in forms if (new := _THE_LEGION.sub("the FRL", form)) != form]
    return (*forms, *(form for form, _ in again)), (*forms, *(new for _, new in again))


def main_clause(text: str) -> str:
    """A question's words after its word that asks, up to where a clause of their own begins:
    a relative word or a conjunction (`CLAUSE_WORDS`: "that
    the Legion had been formed", "because …"), a verb's "-ing" form after the first word
    ("announcing …", "claiming to show a tank being captured"), or what a reporting verb reports
    ("say it had captured": up to "say")."""
    kept: list[str] = []
    for word in WORD_SPAN.findall(text):
        lower = word.casefold()
        if lower in word_lists.CLAUSE_WORDS or (kept and lower.endswith("ing")):
            break
        kept.append(word)
        if lower in word_lists.REPORTING:
            break
    return " ".join(kept)


def pasts(text: str, allowed: Set[str], known: Set[str]) -> set[str]:
    """The past of each of the words `allowed` that follow "did" in a question's `text`, which a
    learner writes for it: "signed" of "On what date did Putin sign the law?", "held" of "… did
    three men hold a press conference?". Only a past the article writes (`known`, its words)
    or an irregular one: a noun's made "-ed" ("grouped" of "a terrorist group", "sided" of "the
    Ukrainian side") is no verb of the question."""
    words = [w.text for w in answer_words.words_said(text)]
    following = words[words.index("did") + 1 :] if "did" in words else []
    found = set()
    for word in following:
        irregular = word_lists.IRREGULAR_PASTS.get(word)
        past = irregular or _made_past(word)
        if word in allowed and (irregular or past in known):
            found.add(past)
    return found


def _made_past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def dated_verb(after: str) -> str:
    """The verb a date asked for is the time of, where the question ends in it after "was" or
    "were" within its main clause: "formed" of "In which month and year was the Legion
    formed?" (`after`: the text after its word that asks). None ("") of "… did three men hold a
    press conference announcing that the Legion had been formed?" or "… did they announce the
    Legion was formed?": those ask when they held it, or said so."""
    words = [w.text for w in answer_words.words_said(LEGION_NAME.sub(" ", after))]
    main = answer_words.words_said(LEGION_NAME.sub(" ", main_clause(after)))
    if len(main) != len(words) or not words or not words[-1].endswith("ed"):
        return ""
    return words[-1] if {"was", "were"} & set(words) else ""


_ABBREVIATION = re.compile(r"\b[A-Z]{2,4}\b")


def common_abbreviations(text: str) -> set[str]:
    """A text's abbreviations of ordinary words ("MP"): in what a question asks for, or in what a
    blank is said to be, they describe the answer, where a name's ("a member of the RVC") names
    something else."""
    found = {w.casefold() for w in _ABBREVIATION.findall(text)}
    return found & word_lists.COMMON_ABBREVIATIONS


# Words joined by hyphens (or an en dash, or Unicode's hyphens): each part of "white-blue-red"
# says nothing alone.
_DASHES = re.compile("[-\u2010\u2011\u2012\u2013]")
_COMPOUND = re.compile(rf"\w+(?:{_DASHES.pattern}\w+)+")
# What a "how many …?" prompt counts: "men" of "How many men … held the press conference?",
# "more" of "… and was raising how many more?", "soldiers" of "how many Russian soldiers".
HOW_MANY = re.compile(
    r"\bhow (?:many|much) (?:of (?:the )?)?(?:(?:russian|ukrainian) )?(\w+)", re.IGNORECASE
)
# A prompt's blank: a cloze's deletion, or a line in a typed question ("a true Russian ___").
_BLANK = re.compile(rf"{CLOZE_MARKER.pattern}|_{{3,}}", re.DOTALL)
# How far from a blank a prompt's word may be taken beside the answer: "a former
# {{physiotherapist}}" makes "former physiotherapist", but the "deputy" of "deputy commander, and
# a former" stays out, as does the "denied" of "{{Ponomarev}} said … but the RVC denied".
BLANK_REACH = 4
WORD_SPAN = re.compile(r"[\w'’-]+")


# A clause that sets something against the answer: its words describe that other thing ("the
# official flag" of "the flag it uses instead of the official flag" is not the answer's).
_CONTRAST = re.compile(r"\b(?:instead of|rather than|unlike)\b[^,;:.?!]*", re.IGNORECASE)


def filler(text: str, *, whole: bool = False) -> set[str]:
    """The words of a prompt's `text` a learner may add: lower-case ones and peoples, never its
    names ("Kursk Belgorod"), parts of a hyphened word ("war" of "anti-war"), words that join, deny
    or bound, nor those of a clause set against the answer ("instead of the official flag").
    `whole`: its hyphened words too, each as one word (`compounds`), for words that stand before
    the answer or say what it is ("Russian anti-war activist Okhlopkov"), never those said of
    something after it ("David Axe far-right" of "… described the group as far-right?")."""
    text = _CONTRAST.sub(" ", text)
    return (compounds(text) if whole else set()) | {
        w.text
        for w in answer_words.words_said(_COMPOUND.sub(" ", text))
        # A people the prompt says is an ordinary word of it ("protect Ukrainians from …").
        if (not w.name or w.text in word_lists.PEOPLES)
        and w.text not in word_lists.NEVER_FILLER
        and w.text not in word_lists.QUALIFIERS
        and w.text.isalpha()
    }


def compounds(text: str) -> set[str]:
    """A text's hyphened words of letters, each as one lower-case word: "antiwar" of "anti-war",
    "ukrainianborn" of "Ukrainian-born" (an en dash or a Unicode hyphen is a hyphen too)."""
    joined = (_DASHES.sub("", m.group()).casefold() for m in _COMPOUND.finditer(text))
    return {word for word in joined if word.isalpha()}


def compounds_joined(given: str, said: Set[str], kept: Set[str]) -> str:
    """A learner's answer with each hyphened word whose one-word form (`compounds`) is among the
    words `said` a learner may add before the answer, and in no form (`kept`), as that one word:
    "Russian anti-war activist" adds one word, not "war"."""

    def joined(match: re.Match[str]) -> str:
        word = _DASHES.sub("", match.group()).casefold()
        return word if word in said and word not in kept else match.group()

    return _COMPOUND.sub(joined, given)


def around_blank(prompt: str) -> tuple[str, str] | None:
    """The text before a prompt's one blank and after it, within the blank's sentence (cut where
    the article's sentences are), the Legion's name left out; None for no blank or many."""
    blanks = list(_BLANK.finditer(prompt))
    if len(blanks) != 1:
        return None
    # The pattern's group (a closing quote) comes between the pieces: the ends are text. A
    # capital stands for the blank, which may begin its sentence ("… ended. {{c1::Caesar}} said").
    before = SENTENCE_END.split(prompt[: blanks[0].start()] + "A")[-1][:-1]
    after = SENTENCE_END.split(prompt[blanks[0].end() :])[0]
    return LEGION_NAME.sub(" ", before), LEGION_NAME.sub(" ", after)


# Where a clause ends: "deputy commander, and a former {{physiotherapist}}" says nothing of the
# physiotherapist's command.
CLAUSE_END = re.compile(r"[,;:()\[\]—–]")
# A relative word after some other word begins a clause about that word ("arrested a man who had
# ties with the FRL"); right after the blank it is about the answer ("a true Russian ___ who
# thinks").
_RELATIVE = re.compile(r"(?<=\w)\W+(?:who|whom|whose|which)\b", re.IGNORECASE)
# Right after a blank, a comma and "a" or "an" begin what the answer is ("the", more often the
# next clause's subject, does not: "On {{22 May 2023}}, the Legion launched").
_APPOSITIVE = re.compile(r"^\s*,\s*(?=an?\b)", re.IGNORECASE)
# Or, without one, what someone is where: lower-case words, then "at", "of", "for" or "from"
# and a name, set between commas, the next part no further item of a list: "{{Illia
# Ponomarenko}}, defense and security reporter at The Kyiv Independent, commented".
_BARE_APPOSITIVE = re.compile(
    r"^\s*,\s*(?=(?P<said>[a-z][^,;:.?!()\[\]A-Z]*\b(?:at|of|for|from)\s+(?:the\s+)?[A-Z]"
    r"[^,;:.?!()\[\]]*),(?!\s*(?:and|or)\b))"
)
# Words that deny, bound or place in time: what follows them is not what the answer is now
# ("no longer an MP", "once a member", "then Belgorod").
_NOT_DESCRIBING = frozenset({"once", "formerly", "longer", "then", "however", "later", "instead"})
_ASIDE = re.compile(r"\s*\([^()]*\)(?=\s+\w)")
_JOINING = re.compile(r"\b(?:and|or|but)\b", re.IGNORECASE)
_ANOTHER_ITEM = re.compile(r"\b(?:and|or|but)\s+(?=[a-z])")


def _appositive(after: str) -> re.Match[str] | None:
    """The comma (and space) that begins what the text after a blank says the answer is."""
    found = _APPOSITIVE.match(after)
    if found is not None:
        return found
    bare = _BARE_APPOSITIVE.match(after)
    if bare is None:
        return None
    words = [w.casefold() for w in WORD_SPAN.findall(bare["said"])]
    # Never a clause: no subject or word that leads first ("to represent", "they said",
    # "three men"), no verb ("is also used", "described himself", "wearing"), no word that
    # denies or bounds ("not a member of the Legion") or an adverb ("reportedly").
    opening = word_lists.LEADING | word_lists.CLAUSE_WORDS | SUBJECTS
    # ("and" may join two of its words: "defense and security reporter").
    never = _NOT_DESCRIBING | (word_lists.NEVER_FILLER - {"and"}) | word_lists.QUALIFIERS
    verbs = word_lists.HELPING_VERBS | frozenset(word_lists.IRREGULAR_PASTS.values())
    if words[0] in opening or is_number_word(words[0]):
        return None
    if any(w in verbs or w in never or w.endswith(("ed", "ing", "ly")) for w in words):
        return None
    return bare


def described(after: str) -> bool:
    """Whether the text after a blank begins by saying what the answer is (`_APPOSITIVE`,
    `_BARE_APPOSITIVE`)."""
    return _appositive(after) is not None


def _said_after(after: str) -> str:
    """The text after a blank from where it says what the answer is (`_appositive`)."""
    found = _appositive(after)
    return after[found.end() :] if found is not None else after


def description(after: str) -> str:
    """What the text after a blank says the answer is, whole, up to its clause's end: "a visiting
    professor of war studies at King's College London" of "{{Michael Clarke}}, a visiting …,
    said"; empty where it says nothing of it (`described`)."""
    if not described(after):
        return ""
    # Never a clause of its own ("a professor who opposes …") nor one set against it.
    said = CLAUSE_END.split(_CONTRAST.sub(" ", _said_after(after)))[0]
    return _RELATIVE.split(said)[0]


def near_blank(around: tuple[str, str] | None, *, asking: bool = False) -> tuple[str, str] | None:
    """Of the text around a blank (around_blank), the last BLANK_REACH words before it and the
    first BLANK_REACH after it, within its clause (never across a comma, a colon or a bracket);
    around a question's word that asks, every word after it in its clause, as its verb comes
    last ("In which area did the Legion say … that it had captured"). A word after a cut or
    after the blank begins no sentence, so a capital still marks a name (filler)."""
    if around is None:
        return None
    # Before it, a word that joins ends the clause too: "the Belgorod region alongside the RVC
    # and which battalion?" says nothing of the battalion's region.
    before = CLAUSE_END.split(around[0])[-1]
    before = _JOINING.split(_RELATIVE.split(before)[-1])[-1]
    # In a question, a bracket within the clause adds to it and the clause goes on ("did the
    # Legion's official Telegram (and YouTube) channel post a video" asks when it posted); after
    # a blank, what follows ", a" is the answer ("{{Ilya Ponomarev}}, a former Russian MP").
    after = _ASIDE.sub("", around[1]) if asking else _said_after(around[1])
    after = CLAUSE_END.split(after)[0]
    after = _RELATIVE.split(after)[0]
    if not asking:
        # After a blank, "and" before a common word begins another item ("{{corruption}} and
        # suppression of civil liberties"); before a name the two may share what follows
        # ("{{Kursk}} and Belgorod regions"), as may a question's ("men in fatigues and
        # balaclavas").
        after = _ANOTHER_ITEM.split(after)[0]
    words = list(WORD_SPAN.finditer(before))
    if len(words) > BLANK_REACH:
        before = before[words[-BLANK_REACH].start() :]
    if before != around[0]:
        before = "— " + before  # cut: its first word begins no sentence
    words = list(WORD_SPAN.finditer(after))
    reach = len(words) if asking else BLANK_REACH
    end = words[reach - 1].end() if words and len(words) >= reach else len(after)
    return before, "— " + after[:end]


# The words that ask, in a question without a blank: the answer stands where they do.
_ASKING = re.compile(
    r"\b(?:which|what|who|whom|whose|where|when|how many|how much)\b", re.IGNORECASE
)
_RELATIVES = frozenset({"who", "whom", "whose", "which"})
_WORD_BEFORE = re.compile(r"([\w'’-]+)(\s*,)?\s*$")


def _asks(prompt: str, asking: re.Match[str]) -> bool:
    """Whether a word that may ask does: not a relative "who" or "which" after what it describes
    ("a man who had ties", "Igor Volobuyev, who joined", "a video which"), nor "when" before a
    participle ("When discussing the operation, …")."""
    word, rest = asking.group().casefold(), prompt[asking.end() :]
    if word == "when":
        # "When discussing …", "When the FSB arrested a man, what …?": a clause of time.
        return not (re.match(r"\s+\w+ing\b", rest) or _ASKING.search(rest.partition(",")[2]))
    if word not in _RELATIVES:
        return True
    before = _WORD_BEFORE.search(prompt[: asking.start()])
    if before is None:
        return True  # the prompt's first word
    previous, comma = before.group(1), before.group(2)
    if comma:
        # After a comma it describes what comes before it, but after a date ("In May 2023,").
        return previous.isdigit()
    return previous.casefold() in word_lists.LEADING


def asked_noun(after: str, word: str) -> tuple[str, bool]:
    """The words right after a question's word that asks (`word`), naming what it asks for: up
    to four, before its verb ("Russian anti-war activist" of "Which … activist was …"; none
    after "who", which its verb follows); and whether a helping verb comes next and the answer is
    what the verb acts on ("what **did** the Legion …", "which activist **was** arrested", never
    "which MP **was to** lead": `_acts`): "creating a demilitarised zone" and "arrested
    Okhlopkov" then put the prompt's verb before it, where "Which agency arrested a man?" has the
    answer act ("arrested the FSB" is false)."""
    words = [m.group() for m in WORD_SPAN.finditer(after)][:6]
    verb = next((i for i, w in enumerate(words) if w.casefold() in word_lists.HELPING_VERBS), None)
    # Nor past a word like a verb or an adverb ("Which agency reportedly arrested a man?").
    end = next((i for i, w in enumerate(words) if re.search(r"(?:ed|ly)$", w)), len(words))
    end = min(BLANK_REACH, end, len(words) if verb is None else verb)
    noun = [] if word.casefold() in _NO_NOUN else words[:end]
    return " ".join(noun), verb is not None and not _acts(words[verb:])


HAVE = frozenset({"has", "have", "had"})


def _acts(verb: list[str]) -> bool:
    """Whether, after the helping verb that starts `verb`, what is asked for acts: "which MP was
    to lead", "which unit was (had been) fighting", "which agency had arrested", "which outlet
    had only one video", "which MP would lead"; where "which activist was (to be, had been)
    arrested" and "what did (had, would) the Legion create" are acted on."""
    after = verb[1:3]
    if not after:
        return False
    first = after[0].casefold()
    if first == "to":
        return [w.casefold() for w in after[1:]] != ["be"]
    if first in _PASSIVE:
        return len(after) > 1 and after[1].casefold().endswith("ing")
    if first.endswith("ing"):
        return True
    # After "had" or "would", a subject begins a question of what it did ("had the Legion").
    helping = verb[0].casefold()
    subject = first in SUBJECTS or after[0][0].isupper()
    return (helping in HAVE or helping in _MODALS) and not subject


_PASSIVE = frozenset({"be", "been", "being"})
_MODALS = frozenset({"will", "would", "can", "could", "should", "may", "might", "must"})
SUBJECTS = frozenset(
    {"the", "a", "an", "his", "her", "its", "their", "this", "that", "it", "he", "she", "they"}
)
_NO_NOUN = frozenset({"who", "where", "when"})


def asking_lead(prompt: str) -> tuple[str, str]:
    """A question's word that asks, and the preposition before it ("in" of "In which area …",
    lower case; empty where there is none)."""
    found = _asking(prompt)
    if found is None:
        return "", ""
    before = _WORD_BEFORE.search(prompt[: found.start()])
    word = before.group(1).casefold() if before and not before.group(2) else ""
    return found.group(), word if word in word_lists.LEADING - word_lists.NEVER_FILLER else ""


def _asking(prompt: str) -> re.Match[str] | None:
    found = list(_ASKING.finditer(prompt))
    # Where none asks by its place, the last ("A man who had ties … launched which devices?").
    asking = [m for m in found if _asks(prompt, m)][:1] or found[-1:]
    return asking[0] if asking else None


def around_asking(prompt: str) -> tuple[str, str] | None:
    """For a question without a blank ("The Legion denied any link with which activist?"), the
    text before its first word that asks and after it, as around_blank reads a blank's: the
    answer stands in its place. Relative words ("a man who had ties") do not ask where another
    word does. None for a blank or no such word."""
    asking = _asking(prompt)
    if around_blank(prompt) is not None or asking is None:
        return None
    return around_blank(f"{prompt[: asking.start()]}___{prompt[asking.end() :]}")


# "former" or "ex-" and what it says of: the words after it, to its clause's end ("a former
# Russian MP", "ex-MP").
_FORMER = re.compile(r"\b(?:former\b|ex\b-?)\s*([^,;:()\[\]—–.?!]*)", re.IGNORECASE)


def formerly(text: str) -> set[str]:
    """The words of `text`, what a question asks for or what a blank is said to be, that it says
    only of what the answer was: "mp" of "Which former Russian MP …?" and of "{{Ilya Ponomarev}},
    a former Russian MP". Beside the answer they need the "former" too ("MP Ponomarev" says he
    still is one). Its countries stay true ("Russian Ponomarev"); a word that joins or a relative
    word ends it ("a former MP who now lives in Kyiv")."""
    said = " ".join(
        _JOINING.split(_RELATIVE.split(m.group(1))[0])[0] for m in _FORMER.finditer(text)
    )
    words = {w.text for w in answer_words.words_said(said) if w.text.isalpha()}
    return (
        words
        - word_lists.COUNTRIES
        - word_lists.ARTICLES
        - word_lists.LEADING
        - word_lists.CLAUSE_WORDS
    )
