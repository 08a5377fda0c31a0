"""The back of a choice card lists every choice, the right one and the learner's pick said in
words (not by colour alone); the front never says which one is right."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from quizzes.enums import QuestionKind
from quizzes.models import Choice
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import HX, token_of
from tests.html import Element, elements

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def back_choices(html: str) -> list[Element]:
    return [e for e in elements(html) if e.tag == "li" and e.has_class("back-choice")]


def front_and_back(client, response: str | None = None) -> tuple[str, str]:
    front = client.get(reverse("quizzes:study")).content.decode()
    params = {"token": token_of(front)}
    if response is not None:
        params["response"] = response
    back = client.post(reverse("quizzes:study_answer"), params, headers=HX).content.decode()
    return front, back


@pytest.fixture
def mc(db):
    dates = CategoryFactory.create(slug="dates", name="Dates")
    return QuestionFactory.create(
        category=dates, slug="d-mc", kind=QuestionKind.MULTIPLE_CHOICE, answer="10 March 2022"
    )


def test_the_back_lists_every_choice_in_order_with_the_right_one_said_in_words(learner_client, mc):
    _, back = front_and_back(learner_client)
    listed = back_choices(back)
    ordered = Choice.objects.filter(question=mc).order_by("order")
    texts = list(ordered.values_list("text", flat=True))
    assert [li.text.split(" ✓")[0] for li in listed] == texts
    right = [li for li in listed if li.has_class("right")]
    assert [li.text for li in right] == ["10 March 2022 ✓ right answer"]
    # Nothing was picked: no choice is marked as the learner's.
    assert not any("your answer" in li.text for li in listed)


def test_a_wrong_pick_is_marked_as_the_learners_and_the_right_one_still_shown(learner_client, mc):
    wrong = Choice.objects.get(question=mc, text="5 April")
    _, back = front_and_back(learner_client, str(wrong.pk))
    by_text = {li.text.split(" ")[0]: li for li in back_choices(back)}
    assert by_text["5"].text == "5 April ← your answer"
    assert by_text["5"].has_class("picked")
    assert not by_text["5"].has_class("right")
    assert by_text["10"].text == "10 March 2022 ✓ right answer"
    assert not by_text["10"].has_class("picked")


def test_a_right_pick_is_both_the_right_answer_and_the_learners(learner_client, mc):
    right = Choice.objects.get(question=mc, is_correct=True)
    _, back = front_and_back(learner_client, str(right.pk))
    marked = [li for li in back_choices(back) if li.has_class("picked")]
    assert [li.text for li in marked] == ["10 March 2022 ✓ right answer ← your answer"]


def test_a_true_false_card_lists_true_and_false(learner_client, db):
    dates = CategoryFactory.create(slug="dates", name="Dates")
    QuestionFactory.create(category=dates, kind=QuestionKind.TRUE_FALSE, answer="False")
    _, back = front_and_back(learner_client)
    assert [li.text for li in back_choices(back)] == ["True", "False ✓ right answer"]


def test_the_front_does_not_say_which_choice_is_right(learner_client, mc):
    front, _ = front_and_back(learner_client)
    assert back_choices(front) == []
    assert "right answer" not in front
    card = front.split('id="card"')[1]
    assert "is_correct" not in card
    assert "correct" not in card.split("</form>")[0]


def test_a_typed_card_lists_no_choices(learner_client, db):
    QuestionFactory.create(category=CategoryFactory.create(slug="dates"), answer="27 February 2022")
    _, back = front_and_back(learner_client, "27 February 2022")
    assert back_choices(back) == []
