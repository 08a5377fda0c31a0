"""The source article: read once, split into its body and sentences, and searched for passages."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ARTICLE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "freedom-of-russia-legion.txt"

# The file is one line: the body, then the "See also" names, then notes and references. The body
# ends where the "See also" list begins.
BODY_END_MARKER = "Russian Insurgent Army Dzhokhar Dudayev Battalion"

# A sentence ends at . ! or ? (optionally followed by a closing quote) before a space and a capital
# letter, a quote or a digit.
SENTENCE_END = re.compile(r'(?<=[.!?])(["”]?)\s+(?=["“A-Z0-9])')


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@cache
def article_text() -> str:
    return ARTICLE_PATH.read_text(encoding="utf-8")


@cache
def article_body() -> str:
    text = article_text()
    end = text.find(BODY_END_MARKER)
    return text[:end].rstrip() if end != -1 else text


@cache
def name_words() -> frozenset[str]:
    """The body's words written only with a capital (lower case): names ("putin", "caesar"),
    never an ordinary word that starts a sentence somewhere ("physiotherapist")."""
    body = article_body()
    capitalised = {w.casefold() for w in re.findall(r"\b[A-Z][a-z]+\b", body)}
    return frozenset(capitalised - set(re.findall(r"\b[a-z]+\b", body)))


def passage_offset(passage: str) -> int | None:
    """Return where passage first occurs in the article body, or None if it is not in it."""
    if not passage:
        return None
    offset = article_body().find(passage)
    return offset if offset != -1 else None


def passage_occurrences(passage: str, most: int = 2) -> int:
    """How many times passage occurs in the article body, overlapping ones too (up to `most`)."""
    body, found, at = article_body(), 0, -1
    while passage and found < most:
        at = body.find(passage, at + 1)
        if at == -1:
            break
        found += 1
    return found


def passage_as_copied(passage: str) -> str | None:
    """The article's own span that `passage` is with a plain space for each of its no-break
    spaces (a browser copies U+00A0 as a space: "romanized: Legion"), where it names one place;
    None otherwise, and for a passage that is the article's already."""
    body = article_body()
    if not passage.strip() or "\u00a0" not in body or passage_offset(passage) is not None:
        return None
    pattern = "[ \u00a0]".join(re.escape(part) for part in passage.split(" "))
    found = [match.group() for match in re.finditer(pattern, body)][:2]
    return found[0] if len(found) == 1 else None


@cache
def sentences() -> tuple[Sentence, ...]:
    body = article_body()
    result: list[Sentence] = []
    start = 0
    for match in SENTENCE_END.finditer(body):
        end = match.end(1)
        result.append(Sentence(len(result), start, end, body[start:end]))
        start = match.end()
    if start < len(body):
        result.append(Sentence(len(result), start, len(body), body[start:]))
    return tuple(result)


def passage_sentences(offset: int, length: int) -> tuple[int, ...]:
    """Return the indexes of the sentences a passage at `offset` of `length` characters touches."""
    end = offset + length
    return tuple(s.index for s in sentences() if s.start < end and offset < s.end)
