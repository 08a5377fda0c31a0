"""The study keys leave a focused control its own key, take AltGr's "@" as a key, and never hide
the focused control under the phone's rating bar (an outside audit of the keyboard and the phone
found each)."""

import pytest
from playwright.sync_api import expect

from quizzes.models import ReviewLog
from tests.factories import QuestionFactory, StudyProfileFactory, UserFactory
from tests.helpers import log_in, show_answer_by_keyboard

pytestmark = pytest.mark.django_db(transaction=True)

BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


@pytest.fixture
def learner():
    user = UserFactory.create()
    StudyProfileFactory.create(user=user, time_zone="UTC")
    return user


def test_space_picks_a_focused_choice_and_then_shows_the_answer(page, learner):
    """Tab to a choice and Space picks it, as Space does on any radio button; Space on the picked
    choice (or after 1–4) shows the answer, with the choice recorded."""
    QuestionFactory.create(multiple_choice=True)
    log_in(page, learner.username)
    card = page.locator("#card")
    first = page.locator('input[name="response"]').first
    first.focus()
    page.keyboard.press(" ")
    expect(first).to_be_checked()
    expect(card).to_have_attribute("data-side", "front")
    page.keyboard.press(" ")
    expect(card).to_have_attribute("data-side", "back")
    expect(page.get_by_text("your answer")).to_be_visible()


def test_space_on_undo_undoes(page, learner):
    QuestionFactory.create_batch(2)
    log_in(page, learner.username)
    card = page.locator("#card")
    show_answer_by_keyboard(page)
    page.keyboard.press("3")
    expect(card).to_have_attribute("data-side", "front")
    # The new card has settled and taken the focus (else it could take it back from Undo).
    expect(page.locator(BUSY)).to_have_count(0)
    expect(page.locator("#card :focus")).to_have_count(1)
    undo = page.get_by_role("button", name="Undo last action")
    undo.focus()
    page.keyboard.press(" ")
    expect(page.get_by_text("Your last rating was taken back.")).to_be_visible()
    expect(card).to_have_attribute("data-side", "front")


def test_altgr_at_suspends_as_at_does(page, learner):
    """On Windows, AltGr (which types "@" on German and other layouts) arrives as Ctrl and Alt
    together: the key is "@" all the same."""
    QuestionFactory.create_batch(2)
    log_in(page, learner.username)
    show_answer_by_keyboard(page)
    page.evaluate(
        """() => document.dispatchEvent(new KeyboardEvent("keydown", {
             key: "@", ctrlKey: true, altKey: true, modifierAltGraph: true, bubbles: true}))"""
    )
    expect(page.get_by_text("The card is suspended")).to_be_visible()


def test_ctrl_alt_with_a_rating_key_is_left_to_the_browser(page, learner):
    """Only "@" is taken with Ctrl and Alt (AltGr); Ctrl+Alt+3 rates nothing."""
    QuestionFactory.create_batch(2)
    log_in(page, learner.username)
    show_answer_by_keyboard(page)
    # dispatchEvent says whether a handler took the key (called preventDefault): none did.
    left_alone = page.evaluate(
        """() => document.dispatchEvent(new KeyboardEvent("keydown", {key: "3", ctrlKey: true,
             altKey: true, modifierAltGraph: true, bubbles: true, cancelable: true}))"""
    )
    assert left_alone
    expect(page.locator("#card")).to_have_attribute("data-side", "back")


FOCUSED_BOX = """() => {
  const el = document.activeElement;
  if (el === document.body) return null;  // past the last control, before the first
  const box = el.getBoundingClientRect();
  return {inBar: !!el.closest(".ratings"), bottom: box.bottom, top: box.top,
          bar: document.querySelector(".card.back .ratings").getBoundingClientRect().top,
          label: el.textContent.trim().slice(0, 40) || el.tagName};
}"""


@pytest.mark.parametrize("viewport", [{"width": 600, "height": 450}, {"width": 640, "height": 700}])
def test_tab_never_leaves_the_focus_under_the_pinned_rating_bar(browser, live_server, viewport):
    """A narrow window (a phone, or a desktop zoomed to 200 %) pins the ratings to the bottom:
    each control Tab reaches on the back of a card is scrolled above the bar (WCAG 2.4.11)."""
    user = UserFactory.create()
    StudyProfileFactory.create(user=user, time_zone="UTC")
    QuestionFactory.create_batch(2)
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    log_in(page, user.username)
    show_answer_by_keyboard(page)
    page.keyboard.press("3")  # a rating, so that Undo is on the next card's back too
    show_answer_by_keyboard(page)
    hidden = []
    for _ in range(30):
        page.keyboard.press("Tab")
        seen = page.evaluate(FOCUSED_BOX)
        if seen and not seen["inBar"] and seen["bottom"] > seen["bar"] + 1:
            hidden.append(seen["label"])
    context.close()
    assert hidden == []


def test_ctrl_z_undoes_a_bury_from_the_next_cards_untouched_answer_box(page, learner):
    """After a bury the next typed card's answer box has the focus, where U is a letter: Ctrl+Z
    undoes from it while nothing has been typed in it."""
    QuestionFactory.create_batch(3)
    log_in(page, learner.username)
    first = page.locator("#card-heading").inner_text()
    show_answer_by_keyboard(page)
    page.keyboard.press("-")
    expect(page.get_by_text("The card is buried until tomorrow.")).to_be_visible()
    expect(page.locator(BUSY)).to_have_count(0)
    expect(page.locator('#card input[name="response"]')).to_be_focused()
    page.keyboard.press("Control+z")
    expect(page.get_by_text("The card you buried is back.")).to_be_visible()
    expect(page.locator("#card-heading")).to_have_text(first)
    expect(page.locator("#card")).to_have_attribute("data-side", "front")


def test_ctrl_z_in_a_box_typed_in_is_the_browsers_own_undo(page, learner):
    """Typed, then cleared: Ctrl+Z brings the text back and takes back no rating; nor does it in
    the report box on a card's back (a review found both taking back the card before's rating)."""
    QuestionFactory.create_batch(3)
    log_in(page, learner.username)
    show_answer_by_keyboard(page)
    page.keyboard.press("3")
    expect(page.locator("#card")).to_have_attribute("data-side", "front")
    expect(page.locator(BUSY)).to_have_count(0)
    box = page.locator('#card input[name="response"]')
    expect(box).to_be_focused()
    box.press_sequentially("27 Feb 2022")
    for key in ("Control+a", "Backspace", "Control+z"):
        page.keyboard.press(key)
    expect(box).to_have_value("27 Feb 2022")

    show_answer_by_keyboard(page)
    page.get_by_text("This question is wrong or unclear").click()
    report = page.get_by_label("What is wrong or unclear?")
    report.press_sequentially("The date is wrong")
    for key in ("Control+a", "Backspace", "Control+z"):
        page.keyboard.press(key)
    expect(report).to_have_value("The date is wrong")
    page.wait_for_timeout(500)  # an Undo posted would have landed by now
    expect(page.get_by_text("Your last rating was taken back.")).to_have_count(0)
    assert ReviewLog.objects.filter(user=learner).count() == 1


def test_enter_on_a_quiz_question_with_no_choice_picked_says_why(page, learner):
    """Enter with no choice picked did nothing, silently, though the button reads "Submit answer
    [Enter]" (an outside test): the page says why in an alert, and focus goes to the first
    choice; picked, Enter sends it."""
    from quizzes.models import AttemptAnswer

    QuestionFactory.create(multiple_choice=True)
    log_in(page, learner.username)
    page.goto("/quizzes/")
    page.get_by_role("button", name="Start quiz").click()
    heading = page.locator("#question-heading")
    expect(heading).to_be_focused()
    page.wait_for_load_state("load")  # keys.js, a deferred script

    alert = page.get_by_role("alert")
    expect(alert).to_have_text("")
    page.keyboard.press("Enter")
    expect(alert).to_have_text("Choose an answer first.")
    expect(page.locator('input[name="response"]').first).to_be_focused()
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    assert not AttemptAnswer.objects.filter(answered_at__isnull=False).exists()

    page.keyboard.press("1")
    expect(alert).to_have_text("")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Quiz results")).to_be_visible()
