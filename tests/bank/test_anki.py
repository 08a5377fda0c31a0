"""The Anki export: packages opened with Anki's own code, and the export_anki command."""

import dataclasses
import html
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.rules.anki import (
    ARTICLE_URL,
    CLOZE_MODEL,
    DEFAULT_DECK_NAME,
    QUESTION_MODEL,
    TYPED_MODEL,
    AnkiQuestion,
    build_package,
    note_guid,
    passage_link,
)
from quizzes.rules.bankfile import bank_questions
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import BUNDLED

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CLOZE_TYPE = 1  # Anki's note type kind for clozes (0 is standard)

CHOICE_QUESTION = AnkiQuestion(
    slug="dates-crossing-mc",
    category="dates",
    kind="multiple_choice",
    prompt="On which date did the company cross into Ukraine?",
    answer="27 February 2022",
    explanation="The company commander said they crossed on that day.",
    passage="on 27 February 2022",
    choices=("10 March 2022", "27 February 2022", "5 April", "22 May 2023"),
)
CLOZE_QUESTION = AnkiQuestion(
    slug="organizations-frl-abbreviation-cloze",
    category="organizations",
    kind="cloze",
    prompt="Freedom of Russia Legion ({{c1::FRL::abbreviation}}",
    answer="FRL",
    explanation="The article opens by abbreviating the Legion's name.",
    passage="Freedom of Russia Legion (FRL",
)


@pytest.fixture
def collection(tmp_path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def import_package(collection, package: bytes, path: Path):
    path.write_bytes(package)
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return collection.import_anki_package(request).log


def notes_by_guid(collection):
    notes = (collection.get_note(note_id) for note_id in collection.find_notes(""))
    return {note.guid: note for note in notes}


def shown_text(card_html: str) -> str:
    """What a card shows, without its style sheet and tags (and their attributes)."""
    without_style = re.sub(r"<style>.*?</style>", "", card_html, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", without_style))


def anki_question(entry: Mapping[str, Any]) -> AnkiQuestion:
    """A question as the bank file writes it (choices as {"text", "correct"} or text)."""
    return AnkiQuestion(
        slug=entry["slug"],
        category=entry["category"],
        kind=entry["kind"],
        prompt=entry["prompt"],
        answer=entry["answer"],
        explanation=entry["explanation"],
        passage=entry["passage"],
        choices=tuple(
            c["text"] if isinstance(c, Mapping) else str(c) for c in entry.get("choices", ())
        ),
    )


def bundled_questions():
    bank = json.loads(BUNDLED.read_text(encoding="utf-8"))
    return [anki_question(entry) for entry in bank_questions(bank) if entry.get("active", True)]


def test_every_bank_question_becomes_one_note_tagged_with_its_category(collection, tmp_path):
    questions = bundled_questions()

    log = import_package(collection, build_package(questions, now=NOW), tmp_path / "bank.apkg")

    assert len(log.new) == len(questions)
    assert collection.note_count() == len(questions)
    assert collection.card_count() == len(questions)
    notes = notes_by_guid(collection)
    assert set(notes) == {note_guid(q.slug) for q in questions}
    for question in questions:
        assert notes[note_guid(question.slug)].tags == [question.category]
    cards = sorted(
        (collection.get_card(card_id) for card_id in collection.find_cards("")),
        key=lambda card: card.due,
    )
    assert [card.note().guid for card in cards] == [note_guid(q.slug) for q in questions]


def test_a_choice_note_shows_the_prompt_and_choices_then_answer_explanation_and_passage(
    collection, tmp_path
):
    import_package(collection, build_package([CHOICE_QUESTION], now=NOW), tmp_path / "q.apkg")

    note = notes_by_guid(collection)[note_guid(CHOICE_QUESTION.slug)]
    assert note.note_type()["id"] == QUESTION_MODEL.model_id
    assert note["Front"] == (
        "<p>On which date did the company cross into Ukraine?</p>\n"
        '<ol class="choices"><li>10 March 2022</li><li>27 February 2022</li>'
        "<li>5 April</li><li>22 May 2023</li></ol>"
    )
    assert note["Back"] == "27 February 2022"
    assert note["Explanation"] == CHOICE_QUESTION.explanation
    assert note["Passage"] == "on 27 February 2022"
    assert f'href="{ARTICLE_URL}#:~:text=on%2027%20February%202022"' in note["Source"]
    assert "CC BY-SA 4.0" in note["Source"]
    [card] = note.cards()
    assert "5 April" in shown_text(card.question())
    assert "The company commander said" not in shown_text(card.question())
    assert "The company commander said" in shown_text(card.answer())


def test_the_same_questions_and_time_give_the_same_compressed_file():
    questions = bundled_questions()[:20]

    first = build_package(questions, now=NOW)
    second = build_package(questions, now=NOW)

    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.filename for info in package.infolist()} == {"collection.anki2", "media"}
        assert {info.compress_type for info in package.infolist()} == {zipfile.ZIP_DEFLATED}


def test_the_link_of_a_long_passage_names_its_first_and_last_words():
    passage = (
        "the Legion's self-declared goal\xa0is the liberation of Russia from Putin's dictatorship"
    )

    assert passage_link(passage) == (
        f"{ARTICLE_URL}#:~:text=the%20Legion%27s%20self%2Ddeclared%20goal,"
        "Russia%20from%20Putin%27s%20dictatorship"
    )


# Article text: letters, digits, punctuation that HTML escapes, curly quotes, non-breaking spaces.
article_text = st.text(
    alphabet=st.sampled_from("aZ09 .,;:!?()'\"<>&/-–’“”\xa0ёЛ"), min_size=1, max_size=60
).filter(lambda text: text.strip())


@given(prompt=article_text, choice=article_text, passage=article_text)
@settings(max_examples=15, deadline=None)
def test_any_article_text_reaches_anki_character_for_character(prompt, choice, passage):
    question = dataclasses.replace(
        CHOICE_QUESTION, prompt=prompt, choices=(choice,), answer=choice, passage=passage
    )
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            import_package(col, build_package([question], now=NOW), Path(folder) / "q.apkg")
            [note] = notes_by_guid(col).values()
            fields = {name: html.unescape(value) for name, value in note.items()}
        finally:
            col.close()

    assert fields["Front"] == f'<p>{prompt}</p>\n<ol class="choices"><li>{choice}</li></ol>'
    assert fields["Back"] == choice
    assert fields["Passage"] == passage


def test_a_typed_note_has_no_choices_and_text_is_escaped_as_html(collection, tmp_path):
    typed = dataclasses.replace(
        CHOICE_QUESTION, kind="typed", choices=(), prompt="Is 3 < 4 & 5 > 4?", answer="Yes"
    )

    import_package(collection, build_package([typed], now=NOW), tmp_path / "q.apkg")

    note = notes_by_guid(collection)[note_guid(typed.slug)]
    assert note["Front"] == "<p>Is 3 &lt; 4 &amp; 5 &gt; 4?</p>"


TYPED_QUESTION = dataclasses.replace(
    CHOICE_QUESTION, slug="people-putin-typed", kind="typed", choices=(), answer="Vladimir Putin"
)
# What Anki's card renderer leaves where the desktop and mobile apps put the answer box on the
# front, and their comparison of the typed answer with the field on the back.
TYPE_IN_BACK = "[[type:Back]]"


def test_a_typed_question_is_a_type_in_the_answer_card(collection, tmp_path):
    import_package(collection, build_package([TYPED_QUESTION], now=NOW), tmp_path / "t.apkg")

    note = notes_by_guid(collection)[note_guid(TYPED_QUESTION.slug)]
    assert note.note_type()["id"] == TYPED_MODEL.model_id
    assert note["Back"] == "Vladimir Putin"
    [card] = note.cards()
    front, back = card.question(), card.answer()
    assert TYPE_IN_BACK in front
    assert "Vladimir Putin" not in shown_text(front)
    # The back shows the front's prompt, then Anki's comparison, then the explanation.
    explanation = back.index('class="explanation"')
    assert back.index("<hr id=answer>") < back.index(TYPE_IN_BACK) < explanation
    assert back.count(TYPE_IN_BACK) == 1
    assert "The company commander said" in shown_text(back)


def test_choice_and_cloze_cards_ask_for_no_typing(collection, tmp_path):
    package = build_package([CHOICE_QUESTION, CLOZE_QUESTION], now=NOW)
    import_package(collection, package, tmp_path / "q.apkg")

    for note in notes_by_guid(collection).values():
        [card] = note.cards()
        assert "type:" not in card.question() + card.answer()
    choice = notes_by_guid(collection)[note_guid(CHOICE_QUESTION.slug)]
    assert choice.note_type()["id"] == QUESTION_MODEL.model_id


def test_a_typed_note_from_an_older_export_gains_a_type_in_card_when_note_types_are_merged(
    collection, tmp_path, monkeypatch
):
    # Older exports made typed questions plain question notes. Anki keeps a note whose note type
    # changed as it was ("conflicting") unless the learner ticks "Merge note types"; then the
    # note keeps its card, with its schedule, and gains the type-in card.
    with monkeypatch.context() as older:
        older.setattr("quizzes.rules.anki.TYPED_MODEL", QUESTION_MODEL)
        import_package(collection, build_package([TYPED_QUESTION], now=NOW), tmp_path / "a.apkg")
    [card_id] = collection.find_cards("")

    later = build_package([TYPED_QUESTION], now=NOW + timedelta(days=1))
    later_path = tmp_path / "b.apkg"
    log = import_package(collection, later, later_path)
    assert len(log.conflicting) == 1
    later_path.write_bytes(later)
    request = ImportAnkiPackageRequest(
        package_path=str(later_path), options=ImportAnkiPackageOptions(merge_notetypes=True)
    )
    log = collection.import_anki_package(request).log

    assert len(log.updated) == 1
    note = notes_by_guid(collection)[note_guid(TYPED_QUESTION.slug)]
    assert note.note_type()["id"] == TYPED_MODEL.model_id
    cards = [collection.get_card(found) for found in collection.find_cards("")]
    assert card_id in [card.id for card in cards]
    assert [TYPE_IN_BACK in card.question() for card in cards].count(True) == 1


def test_importing_a_newer_export_updates_the_changed_note_instead_of_adding_one(
    collection, tmp_path
):
    questions = bundled_questions()[:5]
    import_package(collection, build_package(questions, now=NOW), tmp_path / "first.apkg")
    deck_count = len(collection.decks.all_names_and_ids())
    notetype_count = len(collection.models.all_names_and_ids())

    changed = dataclasses.replace(questions[2], explanation="A clearer explanation, rewritten.")
    later = [*questions[:2], changed, *questions[3:]]
    log = import_package(
        collection, build_package(later, now=NOW + timedelta(days=1)), tmp_path / "second.apkg"
    )

    assert len(log.new) == 0
    assert collection.note_count() == len(questions)
    assert collection.card_count() == len(questions)
    note = notes_by_guid(collection)[note_guid(changed.slug)]
    assert note["Explanation"] == "A clearer explanation, rewritten."
    assert len(collection.decks.all_names_and_ids()) == deck_count
    assert len(collection.models.all_names_and_ids()) == notetype_count


def test_the_deck_credits_the_article_and_its_licence(collection, tmp_path):
    import_package(collection, build_package([CHOICE_QUESTION], now=NOW), tmp_path / "q.apkg")

    deck = collection.decks.by_name(DEFAULT_DECK_NAME)
    assert deck is not None
    assert ARTICLE_URL in deck["desc"]
    assert "Freedom of Russia Legion" in deck["desc"]
    assert "CC BY-SA 4.0" in deck["desc"]
    [card_id] = collection.find_cards("")
    assert collection.get_card(card_id).did == deck["id"]


def test_a_cloze_entry_becomes_a_cloze_note_with_one_card(collection, tmp_path):
    import_package(collection, build_package([CLOZE_QUESTION], now=NOW), tmp_path / "c.apkg")

    note = notes_by_guid(collection)[note_guid(CLOZE_QUESTION.slug)]
    assert note.note_type()["id"] == CLOZE_MODEL.model_id
    assert note.note_type()["type"] == CLOZE_TYPE
    assert note["Text"] == "Freedom of Russia Legion ({{c1::FRL::abbreviation}}"
    assert note["Back Extra"] == CLOZE_QUESTION.explanation
    assert ARTICLE_URL in note["Source"]
    assert note.tags == ["organizations"]
    [card] = note.cards()
    assert shown_text(card.question()) == "Freedom of Russia Legion ([abbreviation]"
    assert "Freedom of Russia Legion (FRL" in shown_text(card.answer())


@pytest.mark.parametrize(
    "prompt",
    [
        "Freedom of Russia Legion (FRL",
        "Freedom of Russia Legion ({{c2::FRL}}",
        "{{c1::Freedom}} of Russia Legion ({{c1::FRL}}",
    ],
    ids=["no blank", "blank not c1", "two blanks"],
)
def test_a_cloze_without_exactly_one_c1_blank_is_refused(prompt):
    question = dataclasses.replace(CLOZE_QUESTION, prompt=prompt)

    with pytest.raises(ValueError, match="exactly one blank"):
        build_package([question], now=NOW)


def test_an_unknown_kind_is_refused():
    question = dataclasses.replace(CHOICE_QUESTION, kind="essay")

    with pytest.raises(ValueError, match="unknown kind 'essay'"):
        build_package([question], now=NOW)


# --- the command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_anki_writes_the_active_questions_to_a_package(collection, tmp_path):
    people = CategoryFactory(slug="people")
    dates = CategoryFactory(slug="dates")
    chosen = QuestionFactory.create(category=dates, kind="multiple_choice")
    typed = QuestionFactory.create(category=people)
    QuestionFactory(category=people, is_active=False)
    out = tmp_path / "learnfrl.apkg"
    stdout = StringIO()

    call_command("export_anki", str(out), stdout=stdout)

    assert "Wrote 2 notes" in stdout.getvalue()
    import_package(collection, out.read_bytes(), tmp_path / "copy.apkg")
    notes = notes_by_guid(collection)
    assert set(notes) == {note_guid(chosen.slug), note_guid(typed.slug)}
    assert notes[note_guid(chosen.slug)].tags == ["dates"]
    assert "<li>" + chosen.answer + "</li>" in notes[note_guid(chosen.slug)]["Front"]
    assert notes[note_guid(typed.slug)]["Passage"] == typed.source_passage


@pytest.mark.django_db
def test_export_anki_with_a_category_exports_only_its_questions(collection, tmp_path):
    people = CategoryFactory(slug="people")
    wanted = QuestionFactory.create(category=people)
    QuestionFactory(category=CategoryFactory(slug="dates"))
    out = tmp_path / "people.apkg"

    call_command("export_anki", str(out), "--category", "people", stdout=StringIO())

    import_package(collection, out.read_bytes(), tmp_path / "copy.apkg")
    assert set(notes_by_guid(collection)) == {note_guid(wanted.slug)}


@pytest.mark.django_db
def test_export_anki_rejects_an_unknown_category_and_writes_nothing(tmp_path):
    CategoryFactory(slug="people")
    CategoryFactory(slug="dates")
    out = tmp_path / "nothing.apkg"

    with pytest.raises(CommandError) as excinfo:
        call_command("export_anki", str(out), "--category", "weather", stdout=StringIO())

    assert str(excinfo.value) == (
        "There is no category with the slug “weather”. Known categories: dates, people."
    )
    assert not out.exists()


@pytest.mark.django_db
def test_export_anki_reports_a_path_it_cannot_write(tmp_path):
    out = tmp_path / "missing-folder" / "learnfrl.apkg"

    with pytest.raises(CommandError, match="Could not write"):
        call_command("export_anki", str(out), stdout=StringIO())
