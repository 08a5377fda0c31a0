"""Quizzes in the browser: answer a whole quiz, and watch the clock run out."""

import re

import pytest
from playwright.sync_api import expect

from tests import helpers
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("bundled_bank")]


def start_quiz(page, seconds: str):
    page.get_by_role("link", name="Quizzes", exact=True).click()
    page.get_by_label("5 questions").check()
    page.get_by_label("Seconds per question").fill(seconds)
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()


def test_learner_answers_a_five_question_quiz_and_reads_the_results(page, log_in, screenshot):
    log_in(page, UserFactory.create().username)
    start_quiz(page, "30")
    for n in range(1, 6):
        expect(page.get_by_text(f"Question {n} of 5")).to_be_visible()
        if n == 2:
            # The question's card page, by the id the form carries, waits for the answer here.
            quiz_url = page.url
            asked = page.locator('input[name="question"]').first.get_attribute("value")
            page.goto(page.url.split("/quizzes/")[0] + f"/study/cards/{asked}/")
            expect(page).to_have_url(quiz_url)
            expect(page.locator(".messages")).to_contain_text(
                "answers wait while your quiz is running"
            )
            expect(page.get_by_text("Question 2 of 5")).to_be_visible()
            # Study waits too, and leads back to the quiz.
            page.get_by_role("link", name="Study", exact=True).click()
            expect(page.get_by_role("heading", name="Your quiz is running")).to_be_focused()
            screenshot(page, "study-waits-for-quiz")
            page.get_by_role("link", name="Back to your quiz").click()
            expect(page).to_have_url(quiz_url)
            expect(page.get_by_text("Question 2 of 5")).to_be_visible()
        # A typed question asks for "Your answer", a cloze for "The missing words".
        text_box = page.get_by_label(re.compile(r"^(Your answer|The missing words)$"))
        if text_box.count():
            text_box.fill("I do not know")
        else:
            page.locator('input[name="response"]').first.check()
        if n == 3:
            screenshot(page, "quiz-question")
        page.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))
    expect(page.get_by_role("heading", name="Quiz results")).to_be_visible()
    # Focus lands on the results' heading, as it does on a new card's.
    expect(page.get_by_role("heading", name="Quiz results")).to_be_focused()
    expect(page.locator(".result")).to_have_count(5)
    expect(page.get_by_text(re.compile(r"\d of 5 right"))).to_be_visible()
    screenshot(page, "quiz-results")


def test_when_the_clock_runs_out_the_page_moves_to_the_results_by_itself(page, log_in):
    log_in(page, UserFactory.create().username)
    start_quiz(page, "2")  # ten seconds for the whole quiz
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"), timeout=20_000)
    expect(page.get_by_text("Time ran out")).to_be_visible()
    expect(page.get_by_text("0 of 5 right")).to_be_visible()


def test_finishing_early_asks_first_while_questions_are_left(page, log_in):
    """ "Finish now" sits just under "Submit answer" on a phone, and one tap ended the quiz for
    good (an outside audit): while questions are left the page asks, and a No keeps the quiz."""
    log_in(page, UserFactory.create().username)
    start_quiz(page, "30")
    asked = []

    def say_no(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", say_no)
    page.get_by_role("button", name="Finish now and see results").click()
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()
    assert asked == ["Finish the quiz now? 5 questions are not answered yet."]
    assert "/results/" not in page.url

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish now and see results").click()
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))


def test_finishing_early_without_javascript_asks_on_a_page_of_its_own(browser, live_server):
    user = UserFactory.create()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        helpers.log_in(page, user.username)
        start_quiz(page, "30")
        # Enter submits a form by itself: its hint stays; the choices' number keys need script.
        expect(page.get_by_role("button", name="Submit answer").locator("kbd")).to_be_visible()
        for hint in page.locator(".choice kbd").all():
            expect(hint).to_be_hidden()
        page.get_by_role("button", name="Finish now and see results").click()
        expect(page.get_by_role("heading", name="Finish the quiz now?")).to_be_visible()
        expect(page.get_by_text("5 questions are not answered yet")).to_be_visible()
        page.get_by_role("link", name="Back to the quiz").click()
        expect(page.get_by_text("Question 1 of 5")).to_be_visible()

        page.get_by_role("button", name="Finish now and see results").click()
        page.get_by_role("button", name="Finish now and see results").click()
        expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))
        expect(page.get_by_text("0 of 5 right")).to_be_visible()
    finally:
        context.close()


def test_a_choice_an_editor_deletes_while_it_is_shown_is_asked_again(page, log_in):
    """The learner picks a choice an editor deletes before they submit: the question is asked
    again, saying why, with the choices it has now (it was scored a blank, wrong)."""
    log_in(page, UserFactory.create().username)
    for _quiz in range(4):  # about half the bank has choices: a quiz of none is rare, not never
        start_quiz(page, "30")
        for n in range(1, 6):
            expect(page.get_by_text(f"Question {n} of 5", exact=True)).to_be_visible()
            text_box = page.get_by_label(re.compile(r"^(Your answer|The missing words)$"))
            if not text_box.count():
                _choice_deleted_while_shown(page, n)
                return
            text_box.fill("I do not know")
            page.get_by_role("button", name="Submit answer").click()
        expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))
    pytest.fail("Four quizzes asked no choice question")


def _choice_deleted_while_shown(page, n: int) -> None:
    from django.utils import timezone

    from quizzes.models import Choice, Question

    picked = page.locator('input[name="response"]').first
    picked.check()
    gone = int(picked.get_attribute("value") or "")
    question_id = Choice.objects.get(pk=gone).question_id
    Choice.objects.filter(pk=gone).delete()
    # What the admin's save of the question does: the bank's version moves.
    Question.objects.filter(pk=question_id).update(updated_at=timezone.now())
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text("your answer was not scored")).to_be_visible()
    expect(page.get_by_text(f"Question {n} of 5", exact=True)).to_be_visible()
    expect(page.locator(f'input[name="response"][value="{gone}"]')).to_have_count(0)
    page.locator('input[name="response"]').first.check()
    page.get_by_role("button", name="Submit answer").click()
    if n < 5:
        expect(page.get_by_text(f"Question {n + 1} of 5", exact=True)).to_be_visible()
    else:
        expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))
