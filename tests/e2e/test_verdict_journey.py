"""The learner sees why: the letters that differ, "I was right" by key in study, and a quiz
answer marked right on the results, then an editor accepting the phrasing."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.enums import Rating
from quizzes.models import ReviewLog
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def one_typed_question(db):
    return QuestionFactory.create(
        category=CategoryFactory.create(slug="people", name="People"),
        prompt="Who founded the political wing of the Legion?",
        answer="Ilya Ponomarev",
    )


def test_the_diff_and_i_was_right_by_key_in_study(page, log_in, screenshot, one_typed_question):
    learner = UserFactory.create()
    log_in(page, learner.username)
    page.get_by_label("Your answer (optional)").fill("Ilya Ponomaryov")
    page.get_by_label("Your answer (optional)").press("Enter")
    expect(page.locator("#card")).to_have_attribute("data-side", "back")
    comparison = page.locator(".comparison")
    expect(comparison).to_contain_text("You typed:")
    expect(comparison.locator("del").first).to_be_visible()
    expect(comparison.locator("ins").first).to_be_visible()
    expect(page.locator("button.rating-again")).to_have_class(re.compile(r"\bsuggested\b"))
    screenshot(page, "study-comparison")

    page.keyboard.press("r")
    expect(page.get_by_text("You said you were right")).to_be_visible()
    expect(page.locator("button.rating-good")).to_have_class(re.compile(r"\bsuggested\b"))
    page.keyboard.press("3")  # Good
    expect(page.locator("#count-reviewed")).to_have_text("1")
    assert ReviewLog.objects.get(user=learner).rating == Rating.GOOD


def test_a_quiz_answer_marked_right_and_an_editors_accept(
    page, browser, live_server, log_in, screenshot, one_typed_question
):
    learner = UserFactory.create()
    log_in(page, learner.username)
    page.get_by_role("link", name="Quizzes").click()
    page.get_by_label("5 questions").check()
    page.get_by_role("button", name="Start quiz").click()
    page.get_by_label("Your answer").fill("Ilya Ponomaryov")
    page.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))
    expect(page.get_by_text("0 of 1 right")).to_be_visible()
    expect(page.locator(".comparison")).to_contain_text("Expected:")

    page.get_by_role("button", name=re.compile("I was right")).click()
    expect(page.get_by_text("1 of 1 right")).to_be_visible()
    expect(page.get_by_text("Marked right by you")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("I was right"))).to_have_count(0)
    screenshot(page, "quiz-marked-right")
