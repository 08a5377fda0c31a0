"""What the study and quiz pages tell keyboards and screen readers: where focus goes, the live
region each new card is announced in, and buttons named by their words, never their key hints."""

import pytest
from django.urls import reverse

from quizzes.enums import Rating
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import HX, rate, token_of
from tests.html import Element, elements, find


@pytest.fixture
def deck(db):
    """A typed card, a cloze card and a multiple-choice card, in the order study meets them."""
    dates = CategoryFactory(slug="dates", name="Dates")
    return [
        QuestionFactory(category=dates),
        QuestionFactory(category=dates, cloze=True),
        QuestionFactory(category=dates, multiple_choice=True),
    ]


def autofocused(html: str) -> list[Element]:
    """What a full page load focuses (the browser's `autofocus`)."""
    return [e for e in elements(html) if "autofocus" in e.attrs]


def focus_marked(html: str) -> list[Element]:
    """What site.js focuses after an htmx swap (`data-autofocus`). An htmx answer carries no
    `autofocus`: htmx would focus it even when the learner was working elsewhere."""
    assert autofocused(html) == []
    return [e for e in elements(html) if "data-autofocus" in e.attrs]


def back_of(client, html: str) -> str:
    return client.post(
        reverse("quizzes:study_answer"), {"token": token_of(html)}, headers=HX
    ).content.decode()


@pytest.mark.django_db
class TestStudy:
    def test_a_typed_cards_answer_box_has_focus_and_names_the_question(self, learner_client, deck):
        front = learner_client.get(reverse("quizzes:study")).content.decode()
        box = find(front, "input", id="response")
        assert [e.attrs.get("id") for e in autofocused(front)] == ["response"]
        assert "data-autofocus" in box.attrs
        assert box.attrs["aria-describedby"] == "card-heading"
        assert find(front, "section", id="card").attrs["data-announce"] == (
            "New card: Typed answer, Dates."
        )

    def test_the_back_focuses_its_heading_and_names_each_rating_by_its_interval(
        self, learner_client, deck
    ):
        front = learner_client.get(reverse("quizzes:study")).content.decode()
        back = back_of(learner_client, front)
        assert [e.attrs.get("id") for e in focus_marked(back)] == ["card-heading"]
        assert find(back, "section", id="card").attrs["data-announce"] == (
            f"Answer shown: {deck[0].answer}."
        )
        names = {
            int(b.attrs["value"]): b.attrs["aria-label"]
            for b in elements(back)
            if b.tag == "button" and b.attrs.get("name") == "rating"
        }
        assert names[Rating.AGAIN] == "Again, next in 1 minute"
        assert names[Rating.GOOD] == "Good, next in 10 minutes"
        assert set(names) == set(Rating)

    def test_the_next_cloze_card_focuses_its_box_and_a_choice_card_its_heading(
        self, learner_client, deck
    ):
        front = learner_client.get(reverse("quizzes:study")).content.decode()
        cloze = rate(learner_client, back_of(learner_client, front), Rating.GOOD).content.decode()
        assert [e.attrs.get("id") for e in focus_marked(cloze)] == ["response"]
        assert find(cloze, "section", id="card").attrs["data-announce"] == (
            "New card: Fill in the blank, Dates."
        )
        choice = rate(learner_client, back_of(learner_client, cloze), Rating.GOOD).content.decode()
        assert [e.attrs.get("id") for e in focus_marked(choice)] == ["card-heading"]
        assert find(choice, "legend", id="card-heading")

    def test_key_hints_are_hidden_from_screen_readers_and_the_live_region_stays_outside_the_card(
        self, learner_client, deck
    ):
        page = learner_client.get(reverse("quizzes:study")).content.decode()
        back = back_of(learner_client, page)
        front = rate(learner_client, back, Rating.GOOD).content.decode()
        # The partials htmx swaps in: every key hint on a button is silent.
        hints = [e for html in (back, front) for e in elements(html) if e.tag == "kbd"]
        keys = {h.text or h.attrs.get("data-text") for h in hints}
        assert keys >= {"Space", "U", "-", "@", "1", "2", "3", "4"}
        assert all(h.attrs.get("aria-hidden") == "true" for h in hints)
        region = find(page, "p", id="card-announcement")
        assert region.attrs["role"] == "status"
        assert region.attrs["aria-live"] == "polite"
        # The partials have no region of their own: the page's one stays in place.
        for html in (back, front):
            assert not [e for e in elements(html) if e.attrs.get("id") == "card-announcement"]
        # The keyboard help is marked, so touch screens can hide it.
        assert find(page, "h2", cls="keyboard-help").text == "Keyboard"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "focused"),
    [
        ({}, "response"),
        ({"cloze": True}, "response"),
        ({"multiple_choice": True}, "question-heading"),
    ],
)
def test_the_first_quiz_question_has_the_cursor(learner_client, kind, focused):
    QuestionFactory.create_batch(3, **kind)
    response = learner_client.post(
        reverse("quizzes:quiz_start"),
        {"category": "", "length": 5, "seconds_per_question": 30},
        follow=True,
    )
    html = response.content.decode()
    # A typed or cloze question's answer box, a multiple-choice question's heading.
    [focus] = autofocused(html)
    assert focus.attrs["id"] == focused
    if focused == "response":
        assert focus.attrs["aria-describedby"] == "question-heading"
    assert find(html, "section", id="question").attrs["data-announce"] == "Question 1 of 3."
    assert find(html, "p", id="question-announcement").attrs["aria-live"] == "polite"
    hints = [e for e in elements(html) if e.tag == "kbd"]
    assert "Enter" in {h.text for h in hints}
    assert all(h.attrs.get("aria-hidden") == "true" for h in hints)
