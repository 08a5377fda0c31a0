"""Cloze cards: a text of the article with one span blanked in Anki's notation. Pure, no database.

A cloze prompt holds exactly one marker, `{{c1::span}}` or `{{c1::span::hint}}` (always c1: a
sentence with several facts gives several cloze questions, one blank each). With the marker
removed the text is a verbatim span of the article body, so a card cannot misquote it.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

from quizzes.rules.article import passage_offset

BLANK = "…"

# A well-formed marker: a number, a span and an optional hint, none of them holding braces or "::".
_PART = r"(?:(?!\{\{|\}\}|::).)*"
_MARKER = re.compile(rf"\{{\{{c(\d+)::({_PART})(?:::({_PART}))?\}}\}}", re.DOTALL)

# Words that carry no fact of their own: a blank made only of them tests grammar, not the article.
_FUNCTION_WORDS_TEXT = """
    a an the and or but nor so yet if as than that which who whom whose what when where while
    of in on at to for from by with into onto about against among between during through after
    before since until over under up down out off also not no
    it its they them their he him his she her we us our you your i me my this these those there
    is are was were be been being has have had do does did can could will would may might must
    shall should some any all both each other such own
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

# The article's hedges: they are part of the fact, so they stay visible on the front of the card.
# Their other forms in the article ("claims", "claiming", "alleging", "saying") count too.
HEDGES = ("reportedly", "claimed", "allegedly", "according to", "said")
_HEDGE_FORMS = (*HEDGES, "claim", "claims", "claiming", "alleged", "alleging", "says", "saying")
_HEDGE = re.compile(r"\b(" + "|".join(re.escape(h) for h in _HEDGE_FORMS) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True)
class Cloze:
    """A parsed cloze prompt: the text around the blank, the blanked span and its optional hint."""

    before: str
    span: str
    hint: str | None
    after: str

    @property
    def text(self) -> str:
        """The prompt with the marker removed and the span kept: what the article says."""
        return self.before + self.span + self.after

    @property
    def front(self) -> str:
        """The front of the card: the text with the blank shown as [hint] or […]."""
        return f"{self.before}[{self.hint or BLANK}]{self.after}"


class ClozeError(ValueError):
    """A prompt is not a well-formed single-blank cloze; `problems` says every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _parse(prompt: str) -> tuple[Cloze | None, list[str]]:
    markers = list(_MARKER.finditer(prompt))
    leftover = _MARKER.sub("", prompt)
    problems: list[str] = []
    if "{{" in leftover or "}}" in leftover:
        problems.append(
            "has a malformed or nested cloze marker; write it as {{c1::span}} or "
            "{{c1::span::hint}}, with no braces or '::' inside the span or the hint"
        )
    if not markers:
        if not problems:
            problems.append("has no cloze marker; blank one span as {{c1::span}}")
        return None, problems
    if len(markers) > 1:
        problems.append(
            f"has {len(markers)} cloze markers; a card has exactly one blank, so write a "
            "separate question for each further blank"
        )
    for marker in markers:
        number, span, hint = marker.group(1), marker.group(2), marker.group(3)
        if number != "1":
            problems.append(f"uses c{number}; every card's blank is c1")
        if not span.strip():
            problems.append("has an empty blank; put the words to recall inside the marker")
        elif span != span.strip():
            problems.append("has a blank that starts or ends with a space; keep spaces outside")
        if hint is not None and not hint.strip():
            problems.append("has an empty hint; leave the hint out or write one")
    if problems:
        return None, problems
    marker = markers[0]
    cloze = Cloze(
        before=prompt[: marker.start()],
        span=marker.group(2),
        hint=marker.group(3).strip() if marker.group(3) is not None else None,
        after=prompt[marker.end() :],
    )
    return cloze, []


def cloze_parse(prompt: str) -> Cloze:
    """Parse a prompt with exactly one {{c1::span}} or {{c1::span::hint}} marker."""
    cloze, problems = _parse(prompt)
    if cloze is None:
        raise ClozeError(problems)
    return cloze


def cloze_read(prompt: str) -> Cloze | None:
    """Parse a stored cloze prompt for display; None if it is not one (the loader refuses those)."""
    cloze, _problems = _parse(prompt)
    return cloze


def cloze_front(prompt: str) -> str:
    """The prompt's text with the blank shown as [hint] or […]."""
    return cloze_parse(prompt).front


def _is_function_words_only(span: str) -> bool:
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(span)]
    return all(w in FUNCTION_WORDS for w in words)


class ClozeProblem(NamedTuple):
    """One problem of a cloze question, with the field of the question it is about."""

    field: str  # "prompt", "answer" or "passage"
    message: str


def marker_problems(prompt: str) -> list[str]:
    """A prompt of a question that is not a cloze: it has no cloze marker (its front would show
    the marker, answer and all)."""
    if "{{" in prompt or "}}" in prompt:
        return ["has cloze braces ({{ or }}), which only a cloze question's prompt has"]
    return []


def cloze_field_problems(prompt: str, answer: str, passage: str) -> list[ClozeProblem]:
    """Check a cloze question as cloze_problems does, saying which field each problem is in."""
    cloze, parse_problems = _parse(prompt)
    if cloze is None:
        return [ClozeProblem("prompt", message) for message in parse_problems]
    problems: list[ClozeProblem] = []
    if passage_offset(cloze.text) is None:
        problems.append(
            ClozeProblem(
                "prompt",
                "with the marker removed, the text is not a verbatim span of the article body "
                "(copy it character for character)",
            )
        )
    if passage != cloze.text:
        problems.append(
            ClozeProblem(
                "passage", "the passage must be exactly the prompt with the marker removed"
            )
        )
    if answer != cloze.span:
        problems.append(
            ClozeProblem("answer", f'the answer "{answer}" differs from the blank "{cloze.span}"')
        )
    if _is_function_words_only(cloze.span):
        problems.append(
            ClozeProblem(
                "prompt",
                f'the blank "{cloze.span}" holds only function words; blank a fact '
                "(a date, a name, a number, an organisation, a consequence)",
            )
        )
    hedge = _HEDGE.search(cloze.span)
    if hedge:
        problems.append(
            ClozeProblem(
                "prompt",
                f'the blank holds the hedge "{hedge.group(1)}"; a hedge is part of the fact and '
                "stays visible",
            )
        )
    return problems


def cloze_problems(prompt: str, answer: str, passage: str) -> list[str]:
    """Check a cloze question's prompt, answer and passage against each other and the article."""
    return [problem.message for problem in cloze_field_problems(prompt, answer, passage)]
