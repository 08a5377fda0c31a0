"""The question bank as an Anki package (.apkg), from plain values, with ids stable across exports.

Anki recognises a note it has seen by its guid, a note type by its id and a deck by its id, so all
three are derived from fixed strings (the guid from the question's slug): importing a newer export
updates the notes in place, keeping the learner's Anki schedule, instead of adding duplicates.
"""

import hashlib
import html
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import genanki

from quizzes.enums import QuestionKind

CLOZE = QuestionKind.CLOZE
ANKI_KINDS = tuple(QuestionKind.values)

ARTICLE_TITLE = "Freedom of Russia Legion"
ARTICLE_URL = "https://en.wikipedia.org/wiki/Freedom_of_Russia_Legion"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
DEFAULT_DECK_NAME = "Freedom of Russia Legion"

# A cloze prompt holds exactly one blank, always c1: {{c1::span}} or {{c1::span::hint}}.
_CLOZE_MARKER = re.compile(r"\{\{c(\d+)::(.+?)\}\}", re.DOTALL)
# How many words of a long passage start and end the link's text fragment.
_FRAGMENT_WORDS = 4


def stable_id(name: str) -> int:
    """An Anki id for `name`: the same on every run and machine, in the range genanki advises."""
    digest = hashlib.sha256(f"learnfrl:{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(slug: str) -> str:
    """The guid of a question's note, from its slug alone, so edits to the question keep it."""
    guid: str = genanki.guid_for("learnfrl", slug)
    return guid


@dataclass(frozen=True)
class AnkiQuestion:
    """What a note needs of a question; `choices` are the texts, in the order to show them."""

    slug: str
    category: str
    kind: str
    prompt: str
    answer: str
    explanation: str
    passage: str
    choices: tuple[str, ...] = ()


_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.45;
        color: #1d1d1f; background: #fff; max-width: 40em; margin: 0 auto; text-align: left; }
.nightMode.card, .nightMode .card { color: #eee; background: #1d1d1f; }
.choices { padding-left: 1.5em; }
.answer { font-weight: bold; }
.explanation { margin-top: 1em; }
.passage { margin: 1em 0 0; padding-left: 1em; border-left: 3px solid #888; font-style: italic; }
.source { margin-top: 1em; font-size: 0.8em; }
.cloze { font-weight: bold; color: #0645ad; }
.nightMode .cloze { color: #8ab4f8; }
"""


def _question_fields() -> list[dict[str, str]]:
    """The fields of the question and typed-answer note types, the same in both (a fresh list
    for each: genanki numbers a model's fields in place)."""
    return [{"name": name} for name in ("Front", "Back", "Explanation", "Passage", "Source")]


# The note types' fields are part of every package learners have imported: Anki updates a note
# in place only while its note type's fields are unchanged (otherwise it reports the note as
# conflicting and leaves it, unless the learner ticks "Merge note types"). Add or rename fields
# only with that cost in mind.
QUESTION_MODEL = genanki.Model(
    stable_id("model:question"),
    "learnfrl question",
    fields=_question_fields(),
    templates=[
        {
            "name": "Question",
            "qfmt": "{{Front}}",
            "afmt": (
                "{{FrontSide}}\n<hr id=answer>\n"
                '<p class="answer">{{Back}}</p>\n'
                '<div class="explanation">{{Explanation}}</div>\n'
                '<blockquote class="passage">{{Passage}}</blockquote>\n'
                '<p class="source">{{Source}}</p>'
            ),
        }
    ],
    css=_CSS,
)

# A typed question is a card of Anki's "Basic (type in the answer)" kind: the front asks for the
# answer in a box ({{type:Back}}) and the back shows Anki's own comparison of what was typed with
# the answer, letter by letter. Its own note type, with the question type's fields, so a note
# moves between the two without losing a field.
TYPED_MODEL = genanki.Model(
    stable_id("model:typed"),
    "learnfrl typed answer",
    fields=_question_fields(),
    templates=[
        {
            "name": "Typed answer",
            "qfmt": "{{Front}}\n{{type:Back}}",
            # As Anki's own type-in model: {{Front}} rather than {{FrontSide}}, whose box would
            # show again above the comparison.
            "afmt": (
                "{{Front}}\n<hr id=answer>\n{{type:Back}}\n"
                '<div class="explanation">{{Explanation}}</div>\n'
                '<blockquote class="passage">{{Passage}}</blockquote>\n'
                '<p class="source">{{Source}}</p>'
            ),
        }
    ],
    css=_CSS,
)

# Anki's Cloze note type with its two standard fields, Text and Back Extra (the explanation), plus
# the link. No Passage field: a cloze's passage is its Text with the blank filled in, which the back
# already shows.
CLOZE_MODEL = genanki.Model(
    stable_id("model:cloze"),
    "learnfrl cloze",
    model_type=genanki.Model.CLOZE,
    fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": (
                "{{cloze:Text}}\n<hr id=answer>\n"
                '<div class="explanation">{{Back Extra}}</div>\n'
                '<p class="source">{{Source}}</p>'
            ),
        }
    ],
    css=_CSS,
)


def _html(text: str) -> str:
    """Plain text as an Anki field: HTML, where quotes may stay as they are not in attributes."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def passage_link(passage: str) -> str:
    """The article's address with a text fragment that scrolls browsers which support it there."""
    words = passage.split()
    if len(words) <= 2 * _FRAGMENT_WORDS:
        fragment = _fragment_part(" ".join(words))
    else:
        start = " ".join(words[:_FRAGMENT_WORDS])
        end = " ".join(words[-_FRAGMENT_WORDS:])
        fragment = f"{_fragment_part(start)},{_fragment_part(end)}"
    return f"{ARTICLE_URL}#:~:text={fragment}" if fragment else ARTICLE_URL


def _fragment_part(text: str) -> str:
    # "-", "," and "&" have meanings of their own in a text fragment, so they are encoded too.
    return quote(text, safe="").replace("-", "%2D")


def _source_html(passage: str) -> str:
    link = html.escape(passage_link(passage))
    return (
        f'From the Wikipedia article “<a href="{link}">{html.escape(ARTICLE_TITLE)}</a>”, '
        f'under <a href="{LICENCE_URL}">CC BY-SA 4.0</a>.'
    )


def _question_note(question: AnkiQuestion, position: int) -> genanki.Note:
    front = f"<p>{_html(question.prompt)}</p>"
    if question.choices:
        items = "".join(f"<li>{_html(choice)}</li>" for choice in question.choices)
        front += f'\n<ol class="choices">{items}</ol>'
    return genanki.Note(
        model=TYPED_MODEL if question.kind == QuestionKind.TYPED else QUESTION_MODEL,
        fields=[
            front,
            _html(question.answer),
            _html(question.explanation),
            _html(question.passage),
            _source_html(question.passage),
        ],
        tags=[question.category],
        guid=note_guid(question.slug),
        due=position,
    )


def _cloze_note(question: AnkiQuestion, position: int) -> genanki.Note:
    numbers = [number for number, _span in _CLOZE_MARKER.findall(question.prompt)]
    if numbers != ["1"]:
        raise ValueError(
            f"{question.slug}: a cloze prompt needs exactly one blank written {{{{c1::…}}}}; "
            f"it has {len(numbers)}."
        )
    return genanki.Note(
        model=CLOZE_MODEL,
        fields=[
            _html(question.prompt),
            _html(question.explanation),
            _source_html(question.passage),
        ],
        tags=[question.category],
        guid=note_guid(question.slug),
        due=position,
    )


def _note(question: AnkiQuestion, position: int) -> genanki.Note:
    if question.kind == CLOZE:
        return _cloze_note(question, position)
    if question.kind in ANKI_KINDS:
        return _question_note(question, position)
    raise ValueError(f"{question.slug}: unknown kind {question.kind!r}.")


def deck_description() -> str:
    """The deck's description: what it is, and the credit the article's licence asks for."""
    return (
        f'Questions on the English Wikipedia article “<a href="{ARTICLE_URL}">'
        f"{html.escape(ARTICLE_TITLE)}</a>”. The passages are quoted unchanged from the article, "
        f"by its contributors, under the "
        f'<a href="{LICENCE_URL}">Creative Commons Attribution-ShareAlike 4.0</a> licence '
        f"(CC BY-SA 4.0). Importing a newer export updates these notes in place."
    )


def build_package(
    questions: Iterable[AnkiQuestion], *, now: datetime, deck_name: str = DEFAULT_DECK_NAME
) -> bytes:
    """The .apkg file of `questions`, one note each, new cards in the order given.

    `now` stamps the notes: Anki updates an imported note only when the file's copy is newer.
    """
    deck = genanki.Deck(stable_id(f"deck:{deck_name}"), deck_name, description=deck_description())
    for position, question in enumerate(questions):
        deck.add_note(_note(question, position))
    stored = io.BytesIO()
    genanki.Package(deck).write_to_file(stored, timestamp=now.timestamp())
    return _deflated(stored.getvalue(), now=now)


def _deflated(package: bytes, *, now: datetime) -> bytes:
    """The package compressed (genanki stores its files as they are), its entries dated `now`.

    The collection compresses to about a seventh, and the same questions and `now` give the same
    bytes.
    """
    out = io.BytesIO()
    date_time = now.astimezone(UTC).timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            target.writestr(entry, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
