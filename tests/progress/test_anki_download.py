"""Learners download the question bank as an Anki deck from "Your data"."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from anki.collection import Collection
from django.core.management import call_command
from django.urls import reverse

from quizzes.rules.anki import CLOZE_MODEL, note_guid
from tests.bank.test_anki import import_package, notes_by_guid
from tests.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

URL = reverse("quizzes:export_anki")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def collection(tmp_path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


@pytest.fixture
def bank(db):
    dates = CategoryFactory(slug="dates", name="Dates")
    people = CategoryFactory(slug="people", name="People")
    return {
        "typed": QuestionFactory(category=people, slug="people-caesar-typed", answer="Caesar"),
        "choice": QuestionFactory(category=dates, slug="dates-mc", kind="multiple_choice"),
        "cloze": QuestionFactory(category=dates, slug="dates-formed-cloze", cloze=True),
        "inactive": QuestionFactory(category=people, slug="people-old-typed", is_active=False),
    }


def test_the_export_page_offers_the_deck_with_a_labelled_category_choice(learner_client, bank):
    response = learner_client.get(reverse("quizzes:progress_export"))

    html = response.content.decode()
    assert f'href="{URL}" download' in html
    assert '<label for="id_category">Category</label>' in html
    form = response.context["deck_form"]
    assert list(form.fields["category"].choices) == [
        ("", "All categories"),
        ("dates", "Dates"),
        ("people", "People"),
    ]


def test_the_deck_holds_every_active_question_clozes_as_cloze_notes(
    learner_client, bank, collection, tmp_path, django_assert_max_num_queries
):
    # The log-in, the bank's categories and the package's questions: never one per question.
    with django_assert_max_num_queries(9):
        response = learner_client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        'attachment; filename="freedom-of-russia-legion.apkg"'
    )
    import_package(collection, response.content, tmp_path / "deck.apkg")
    notes = notes_by_guid(collection)
    active = [bank["typed"], bank["choice"], bank["cloze"]]
    assert set(notes) == {note_guid(q.slug) for q in active}
    cloze = notes[note_guid(bank["cloze"].slug)]
    assert cloze.note_type()["id"] == CLOZE_MODEL.model_id
    assert cloze["Text"] == bank["cloze"].prompt
    assert cloze.tags == ["dates"]


def test_one_categorys_deck_holds_only_its_questions(learner_client, bank, collection, tmp_path):
    response = learner_client.get(URL, {"category": "people"})

    assert response["Content-Disposition"] == (
        'attachment; filename="freedom-of-russia-legion-people.apkg"'
    )
    import_package(collection, response.content, tmp_path / "people.apkg")
    assert set(notes_by_guid(collection)) == {note_guid("people-caesar-typed")}


def test_an_unknown_category_is_a_bad_request_that_says_so(learner_client, bank):
    response = learner_client.get(URL, {"category": "weather"})

    assert response.status_code == 400
    assert "There is no category with that name to export." in response.content.decode()


def test_the_deck_needs_a_log_in(client, bank):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_deck_is_only_read_with_get(learner_client, bank):
    assert learner_client.post(URL).status_code == 405


def test_the_same_bank_gives_the_same_file_and_a_change_gives_a_newer_one(
    frozen, learner_client, bank, collection, tmp_path
):
    first = learner_client.get(URL).content
    assert learner_client.get(URL).content == first
    import_package(collection, first, tmp_path / "first.apkg")

    frozen.shift(timedelta(days=1))
    typed = bank["typed"]
    typed.explanation = "A clearer explanation."
    typed.save()
    second = learner_client.get(URL).content

    assert second != first
    log = import_package(collection, second, tmp_path / "second.apkg")
    assert len(log.new) == 0  # every note is updated in place, none added twice
    assert collection.note_count() == 3
    note = notes_by_guid(collection)[note_guid(typed.slug)]
    assert note["Explanation"] == "A clearer explanation."


def test_the_export_command_writes_clozes_from_the_database_as_cloze_notes(
    bank, collection, tmp_path
):
    out = tmp_path / "learnfrl.apkg"

    call_command("export_anki", str(out), "--category", "dates", stdout=StringIO())

    import_package(collection, out.read_bytes(), tmp_path / "copy.apkg")
    notes = notes_by_guid(collection)
    assert set(notes) == {note_guid("dates-mc"), note_guid("dates-formed-cloze")}
    assert notes[note_guid("dates-formed-cloze")].note_type()["id"] == CLOZE_MODEL.model_id
