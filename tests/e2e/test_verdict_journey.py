"""The learner sees why: the letters that differ, "I was right" by key in study, and a quiz
answer marked right on the results, then an editor accepting the phrasing."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.enums import Rating
from quizzes.models import ReviewLog
from quizzes.quiz import services as quiz_services
from tests.factories import (
    PASSWORD,
    UserFactory,
    ponomarev_question,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def one_typed_question(db):
    return ponomarev_question()


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

    announcement = page.locator("#card-announcement")
    expect(announcement).to_have_text("Answer shown: Ilya Ponomarev.")
    page.keyboard.press("r")
    expect(page.locator(".claimed")).to_contain_text("You said you were right")
    # Screen readers hear the claim, not the answer a second time.
    expect(announcement).to_have_text(
        "You said you were right: Good is suggested, and your answer goes to the editors to check."
        " Nothing is rated until you choose a rating, and Undo takes a rating back."
    )
    expect(page.locator("button.rating-good")).to_have_class(re.compile(r"\bsuggested\b"))
    page.keyboard.press("3")  # Good
    expect(page.locator("#count-reviewed")).to_have_text("1")
    assert ReviewLog.objects.get(user=learner).rating == Rating.GOOD
    # As the claim said, Undo takes the rating back: Ctrl+Z, as the card comes back within the
    # learn-ahead limit, its answer box taking the focus (U would be typed there once it has it).
    expect(page.locator("#card")).to_have_attribute("data-side", "front")
    expect(page.get_by_label("Your answer (optional)")).to_be_focused()
    page.keyboard.press("Control+z")
    expect(page.locator("#count-reviewed")).to_have_text("0")
    assert not ReviewLog.objects.filter(user=learner).exists()


def _quiz_answered_wrong_elsewhere(learner):
    """A finished quiz another learner took, typing the same phrasing."""
    now = timezone.now()
    attempt = quiz_services.attempt_start(
        user=learner, category_slug="people", length=5, seconds_per_question=30, now=now
    )
    question_id = attempt.answers.get().question_id
    quiz_services.attempt_answer(
        attempt=attempt, question_id=question_id, response="ilya ponomaryov", now=now
    )
    return attempt


def test_a_quiz_answer_marked_right_and_an_editors_accept(
    page, log_in, screenshot, one_typed_question
):
    learner = UserFactory.create()
    log_in(page, learner.username)
    page.get_by_role("link", name="Quizzes", exact=True).click()
    page.get_by_label("5 questions").check()
    page.get_by_role("button", name="Start quiz").click()
    page.get_by_label("Your answer").fill("Ilya Ponomaryov")
    page.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))
    expect(page.get_by_text("0 of 1 right")).to_be_visible()
    expect(page.get_by_role("heading", name="Quiz results")).to_be_focused()
    expect(page.locator(".comparison")).to_contain_text("Expected:")

    # Marking right cannot be taken back: "I was right" only opens a disclosure saying so, whose
    # button marks it (by keyboard: Enter opens it, Tab reaches the button). Each says which
    # question it marks: a list of them read alike (an outside audit).
    claim = page.locator("summary", has_text="I was right")
    expect(claim).to_have_accessible_name("I was right about question 1")
    claim.focus()
    page.keyboard.press("Enter")
    effect = page.get_by_text("It cannot be taken back.")
    expect(effect).to_be_visible()
    screenshot(page, "quiz-mark-right-confirm")
    expect(page.get_by_text("0 of 1 right")).to_be_visible()  # nothing changed yet
    page.keyboard.press("Tab")
    confirm = page.get_by_role("button", name="Mark my answer right (question 1)", exact=True)
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 of 1 right")).to_be_visible()
    # Back at the answer marked (#answer-N), which has the focus: it was left on the page's top,
    # far from the change (an outside audit), and the heading does not take it either.
    expect(page).to_have_url(re.compile(r"/results/#answer-\d+$"))
    expect(page.get_by_role("heading", name="Quiz results")).not_to_be_focused()
    marked = page.locator("li.result", has_text="Marked right by you")
    expect(marked).to_be_focused()
    expect(marked).to_be_in_viewport()
    expect(page.locator("summary", has_text="I was right")).to_have_count(0)
    screenshot(page, "quiz-marked-right")

    # An editor accepts the phrasing: another learner who typed it finds their quiz regraded.
    other = UserFactory.create()
    attempt = _quiz_answered_wrong_elsewhere(other)
    # A transactional test's database has lost the migrations' Editors group: a superuser stands
    # in (tests/claims checks the group's permissions).
    editor = UserFactory.create(is_staff=True, is_superuser=True)
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.goto("/admin/quizzes/answerclaim/phrasings/")
    row = page.locator("#phrasings tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ilya ponomaryov")
    # The phrasing beside its fact: the question asked and the answer it is judged against.
    expect(row).to_contain_text("Who founded the political wing of the Legion?")
    screenshot(page, "editors-phrasings")
    # The queue fits the admin's window: it ran 90 px past 1100 (a fresh-eyes review).
    assert page.evaluate("document.documentElement.scrollWidth") <= 1100
    # Accept asks first, saying what it will change; nothing is regraded until it is confirmed.
    row.get_by_role("button", name=re.compile(r"^Accept…")).click()
    effects = page.locator("#accept-effects")
    expect(effects).to_contain_text("regrade 1 quiz answer of 1 learner")
    screenshot(page, "editors-accept-confirmation")
    page.get_by_role("button", name="Yes, accept and regrade").click()
    expect(page.get_by_text(re.compile(r"Accepted .ilya ponomaryov"))).to_be_visible()

    page.context.clear_cookies()
    log_in(page, other.username)
    page.goto(f"/quizzes/{attempt.pk}/results/")
    expect(page.get_by_text("1 of 1 right")).to_be_visible()
    expect(page.get_by_text(re.compile("An editor accepted your answer"))).to_be_visible()
    screenshot(page, "quiz-regraded-by-editor")
