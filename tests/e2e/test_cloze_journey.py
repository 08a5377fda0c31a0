"""A learner fills in a cloze card in study and in a quiz, then takes the deck to Anki."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CategoryFactory, QuestionFactory, UserFactory
from tests.helpers import ARTIFACTS, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_fills_in_a_cloze_in_study_and_in_a_quiz_then_downloads_the_deck(page):
    QuestionFactory(cloze=True, category=CategoryFactory(slug="dates", name="Dates"))
    log_in(page, UserFactory().username)
    ARTIFACTS.mkdir(exist_ok=True)

    # Study: the front shows the blank with its hint, never the words to recall.
    card = page.locator("#card")
    expect(card).to_have_attribute("data-side", "front")
    expect(card.locator(".cloze-blank")).to_have_text("[month and year]blank (month and year)")
    expect(card).not_to_contain_text("March 2022")
    page.screenshot(path=str(ARTIFACTS / "cloze-front.png"), full_page=True)
    page.get_by_label("The missing words (optional)").fill("Mar 2022")
    page.get_by_label("The missing words (optional)").press("Enter")

    # The back fills the blank in, highlighted, and says the typed form was right.
    expect(card).to_have_attribute("data-side", "back")
    expect(card.locator("mark.cloze-span")).to_have_text("March 2022")
    expect(card.get_by_text("✓ Right: “Mar 2022”")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "cloze-back.png"), full_page=True)
    page.keyboard.press("3")  # Good
    expect(page.locator("#count-reviewed")).to_have_text("1")

    # A quiz draws the cloze and grades the missing words like a typed answer.
    page.goto("/quizzes/")
    page.get_by_role("button", name="Start quiz").click()
    expect(page.locator("#question .cloze-blank")).to_be_visible()
    page.get_by_label("The missing words").fill("March 2023")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Quiz results")).to_be_visible()
    result = page.locator(".result").first
    expect(result).to_contain_text("✗ Wrong")
    expect(result.locator("mark.cloze-span")).to_have_text("March 2022")

    # Your data: the deck downloads as an Anki package with a sensible name.
    page.goto("/progress/export/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download the whole deck (.apkg)").click()
    download = download_info.value
    assert download.suggested_filename == "freedom-of-russia-legion.apkg"
    assert Path(download.path()).read_bytes()[:2] == b"PK"  # a zip file, as .apkg files are
