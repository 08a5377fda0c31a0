"""The words of a question's prompt that a learner may add beside a right answer (grading's third
rule): around a blank, those of its side within its sentence and near it; in a question that
asks once, those before the words that ask before the answer; elsewhere, any of the prompt's
lower-case words. Pure, no database."""

import re

from quizzes.rules import answer_words, word_lists
from quizzes.rules.article import SENTENCE_END

CLOZE_MARKER = re.compile(r"\{\{c\d+::.*?\}\}", re.DOTALL)
# The Legion's own name says "Russia" in most prompts; it says nothing about the fact.
LEGION_NAME = re.compile(r"\bfree(?:dom of)? russia legion\b", re.IGNORECASE)
# Words joined by hyphens: each part of "white-blue-red" says nothing alone.
_COMPOUND = re.compile(r"\w+(?:-\w+)+")
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
_WORD_SPAN = re.compile(r"[\w'’-]+")


# A clause that sets something against the answer: its words describe that other thing ("the
# official flag" of "the flag it uses instead of the official flag" is not the answer's).
_CONTRAST = re.compile(r"\b(?:instead of|rather than|unlike)\b[^,;:.?!]*", re.IGNORECASE)


def filler(text: str) -> set[str]:
    """The words of a prompt's `text` a learner may add: lower-case ones, never its names
    ("Kursk Belgorod"), parts of a hyphened word ("red" of "white-blue-red"), words that join,
    deny or bound, nor those of a clause set against the answer ("instead of the official
    flag")."""
    return {
        w.text
        for w in answer_words.words_said(_COMPOUND.sub(" ", _CONTRAST.sub(" ", text)))
        if not w.name
        and w.text not in word_lists.NEVER_FILLER
        and w.text not in word_lists.QUALIFIERS
        and w.text.isalpha()
    }


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


def near_blank(around: tuple[str, str] | None) -> tuple[str, str] | None:
    """Of the text around a blank (around_blank), the last BLANK_REACH words before it and the
    first BLANK_REACH after it, cut where they are: a word after a cut or after the blank begins
    no sentence, so a capital still marks a name (filler)."""
    if around is None:
        return None
    before, after = around
    words = list(_WORD_SPAN.finditer(before))
    if len(words) > BLANK_REACH:
        before = "— " + before[words[-BLANK_REACH].start() :]
    words = list(_WORD_SPAN.finditer(after))
    end = words[BLANK_REACH - 1].end() if len(words) >= BLANK_REACH else len(after)
    return before, "— " + after[:end]


# The words that ask, in a question without a blank: the answer stands where they do.
_ASKING = re.compile(
    r"\b(?:which|what|who|whom|whose|where|when|how many|how much)\b", re.IGNORECASE
)


def around_asking(prompt: str) -> tuple[str, str] | None:
    """For a question without a blank that asks once ("The Legion denied any link with which
    activist?"), the text before the words that ask and after them, as around_blank reads a
    blank's: the answer stands in their place. None for a blank, no such words, or several."""
    asking = list(_ASKING.finditer(prompt))
    if around_blank(prompt) is not None or len(asking) != 1:
        return None
    return around_blank(f"{prompt[: asking[0].start()]}___{prompt[asking[0].end() :]}")
