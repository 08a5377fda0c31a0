"""A learner reports a wrong or unclear question from a study card and from quiz results."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.enums import ReportStatus, ReviewOrigin
from quizzes.models import QuestionReport
from tests.factories import UserFactory
from tests.helpers import ARTIFACTS, BUNDLED, log_in, show_answer_by_keyboard

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "The passage does not say who the two groups were."


def test_learner_reports_a_card_from_its_back_with_the_keyboard(page):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    log_in(page, user.username)

    show_answer_by_keyboard(page)
    card = page.locator("#card")
    expect(card).to_have_attribute("data-side", "back")
    summary = page.get_by_text("This question is wrong or unclear")
    summary.focus()
    page.keyboard.press("Enter")  # opens the disclosure
    comment = page.get_by_label("What is wrong or unclear?")
    expect(comment).to_be_visible()
    comment.fill("1 2 3 4")  # digits typed in the comment do not rate the card
    expect(card).to_have_attribute("data-side", "back")
    comment.fill(COMMENT)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-form.png"), full_page=True)
    page.get_by_role("button", name="Send report").click()

    confirmation = page.get_by_role("status").filter(has_text="your report was sent")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_be_focused()  # keyboard and screen-reader users land on it
    expect(card).to_have_attribute("data-side", "back")  # swapped in place, the card stays
    page.screenshot(path=str(ARTIFACTS / "report-study.png"), full_page=True)
    report = QuestionReport.objects.get()
    assert (report.user_id, report.origin, report.status, report.comment) == (
        user.pk,
        ReviewOrigin.STUDY,
        ReportStatus.OPEN,
        COMMENT,
    )

    # The card is still rated with the keyboard, from where the confirmation left the focus.
    page.keyboard.press("3")
    expect(page.locator("#count-reviewed")).to_have_text("1")


def test_learner_reports_a_card_from_its_back_without_javascript(browser, live_server):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, user.username)
        page.locator("#response").fill("a guess of mine")
        page.get_by_role("button", name="Show answer").click()
        page.get_by_text("This question is wrong or unclear").click()
        page.get_by_label("What is wrong or unclear?").fill(COMMENT)
        page.get_by_role("button", name="Send report").click()

        # Back on the same card's back, posted again (307): the typed answer in no address.
        expect(page).to_have_url(re.compile(r"/study/answer/#report-\d+$"))
        expect(page.get_by_text("Thank you: your report was sent")).to_be_visible()
        expect(page.get_by_text("You have reported this question")).to_be_visible()
        expect(page.get_by_text("you wrote “a guess of mine”")).to_be_visible()
        report = QuestionReport.objects.get()
        assert (report.user_id, report.origin, report.response) == (
            user.pk,
            ReviewOrigin.STUDY,
            "a guess of mine",
        )
    finally:
        context.close()


def test_learner_reports_a_quiz_question_from_the_results_without_javascript(browser, live_server):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, user.username)
        page.goto("/quizzes/")
        page.get_by_label("5 questions").check()
        page.get_by_role("button", name="Start quiz").click()
        page.get_by_role("button", name="Finish now").click()
        # Without JavaScript a page asks first, questions being left.
        expect(page.get_by_role("heading", name="Finish the quiz now?")).to_be_visible()
        page.get_by_role("button", name="Finish now").click()
        expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))

        second = page.locator(".result").nth(1)
        second.get_by_text("This question is wrong or unclear").click()
        second.get_by_label("What is wrong or unclear?").fill(COMMENT)
        second.get_by_role("button", name="Send report").click()

        expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/#report-\d+$"))
        expect(page.get_by_text("Thank you: your report was sent")).to_be_visible()
        second = page.locator(".result").nth(1)
        expect(second.get_by_text("You have reported this question")).to_be_visible()
        expect(page.get_by_text("You have reported this question")).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / "report-results.png"), full_page=True)
        report = QuestionReport.objects.get()
        assert (report.user_id, report.origin, report.response) == (user.pk, ReviewOrigin.QUIZ, "")
    finally:
        context.close()
