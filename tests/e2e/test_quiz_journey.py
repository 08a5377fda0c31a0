"""Quizzes in the browser: answer a whole quiz, and watch the clock run out."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BANK = Path(__file__).resolve().parents[2] / "fixtures" / "questions.json"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def log_in(page):
    call_command("load_questions", str(BANK), stdout=StringIO())
    user = UserFactory.create()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/study/")


def start_quiz(page, seconds: str):
    page.get_by_role("link", name="Quizzes").click()
    page.get_by_label("5 questions").check()
    page.get_by_label("Seconds per question").fill(seconds)
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()


def test_learner_answers_a_five_question_quiz_and_reads_the_results(page):
    log_in(page)
    start_quiz(page, "30")
    for n in range(1, 6):
        expect(page.get_by_text(f"Question {n} of 5")).to_be_visible()
        text_box = page.get_by_label("Your answer")
        if text_box.count():
            text_box.fill("I do not know")
        else:
            page.locator('input[name="response"]').first.check()
        if n == 3:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "quiz-question.png"), full_page=True)
        page.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"))
    expect(page.get_by_role("heading", name="Quiz results")).to_be_visible()
    expect(page.locator(".result")).to_have_count(5)
    expect(page.get_by_text(re.compile(r"\d of 5 right"))).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "quiz-results.png"), full_page=True)


def test_when_the_clock_runs_out_the_page_moves_to_the_results_by_itself(page):
    log_in(page)
    start_quiz(page, "2")  # ten seconds for the whole quiz
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/results/$"), timeout=20_000)
    expect(page.get_by_text("Time ran out")).to_be_visible()
    expect(page.get_by_text("0 of 5 right")).to_be_visible()
