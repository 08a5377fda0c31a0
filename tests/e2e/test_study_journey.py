"""A new learner studies five cards with the keyboard alone and watches the counts change."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.helpers import show_answer_by_keyboard

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("bundled_bank")]


def test_new_learner_studies_five_cards_with_the_keyboard(page, log_in, screenshot):
    log_in(page, UserFactory.create().username)

    reviewed = page.locator("#count-reviewed")
    new_left = page.locator("#count-new")
    expect(reviewed).to_have_text("0")
    expect(new_left).to_have_text("20")

    for n in range(1, 6):
        expect(page.locator("#card")).to_have_attribute("data-side", "front")
        show_answer_by_keyboard(page)
        expect(page.locator("#card")).to_have_attribute("data-side", "back")
        expect(page.get_by_text("Answer:")).to_be_visible()
        if n == 1:
            screenshot(page, "study-back")
        page.keyboard.press("3")  # Good
        expect(reviewed).to_have_text(str(n))
        expect(new_left).to_have_text(str(20 - n))

    # Undo by keyboard takes the fifth rating back.
    page.keyboard.press("u")
    expect(reviewed).to_have_text("4")
    expect(page.get_by_text("Your last rating was taken back.")).to_be_visible()
    screenshot(page, "study-front")


def test_study_works_without_javascript(browser, live_server, log_in):
    user = UserFactory.create()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, user.username)
        page.locator("#response").fill("a guess of mine")
        page.get_by_role("button", name="Show answer").click()
        expect(page.get_by_text("Answer:")).to_be_visible()
        expect(page.get_by_text("you wrote “a guess of mine”")).to_be_visible()
        # Posted: what the learner typed is in no address, nor in the browser's history.
        expect(page).to_have_url(f"{live_server.url}/study/answer/")
        page.get_by_role("button", name="Good").click()
        expect(page).to_have_url(f"{live_server.url}/study/")
        expect(page.locator("#count-reviewed")).to_have_text("1")
    finally:
        context.close()


@pytest.mark.parametrize("script", [True, False])
def test_key_hints_show_only_where_the_keys_work(browser, live_server, log_in, script):
    """Without JavaScript no shortcut works, yet the page advertised them (an outside tester)."""
    user = UserFactory.create()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=script)
    page = context.new_page()
    try:
        log_in(page, user.username)
        hints = [
            page.locator("p.keyboard-help"),
            page.get_by_role("button", name="Show answer").locator("kbd"),
        ]
        for hint in hints:
            expect(hint).to_be_visible() if script else expect(hint).to_be_hidden()
        page.goto("/article/")
        esc = page.locator(".lead kbd")
        expect(esc).to_be_visible() if script else expect(esc).to_be_hidden()
    finally:
        context.close()


def test_done_for_now_brings_the_next_card_when_it_is_due_without_a_reload(page, log_in):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Question
    from tests.factories import CardStateFactory, StudyProfileFactory

    user = UserFactory.create()
    StudyProfileFactory.create(user=user, new_per_day=0, learn_ahead_minutes=0)
    question = Question.objects.filter(is_active=True).order_by("position").first()
    now = timezone.now()
    CardStateFactory.create(
        user=user,
        question=question,
        learning=True,
        step=1,
        last_review=now - timedelta(minutes=1),
        due=now + timedelta(seconds=4),
        reps=1,
        now=now,
    )
    log_in(page, user.username)
    expect(page.locator("#card")).to_have_attribute("data-side", "done")
    expect(page.get_by_text("Your next card is due in under a minute.")).to_be_visible()
    # No reload: the panel loads the card itself once it is due.
    expect(page.locator("#card")).to_have_attribute("data-side", "front", timeout=15_000)
    expect(page.locator("#count-learning")).to_have_text("1")


def test_the_live_region_says_what_is_on_screen_after_the_last_card_and_after_undo(page, log_in):
    """After the last card the live region still said "Answer shown: …", and Undo of a review
    card's rating announced it as a "New card" (an outside test); the done panel's words were
    then said twice, by its focused heading and the live region (a review)."""
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Question
    from tests.factories import CardStateFactory, StudyProfileFactory

    user = UserFactory.create()
    StudyProfileFactory.create(user=user, new_per_day=0)
    question = Question.objects.filter(is_active=True).order_by("position").first()
    assert question is not None
    now = timezone.now()
    CardStateFactory.create(
        user=user, question=question, in_review=True, due=now - timedelta(hours=1), now=now
    )
    log_in(page, user.username)
    announcement = page.locator("#card-announcement")

    show_answer_by_keyboard(page)
    expect(page.locator("#card")).to_have_attribute("data-side", "back")
    expect(announcement).to_have_text(re.compile(r"^Answer shown: "))
    page.keyboard.press("3")  # Good: the only card, so done for now
    expect(page.locator("#card")).to_have_attribute("data-side", "done")
    # The focused heading says it; the live region, emptied of the card's answer, does not say
    # it a second time.
    expect(page.locator("#card-heading")).to_be_focused()
    expect(page.locator("#card-heading")).to_have_text("You are done for now")
    page.wait_for_timeout(300)  # an announcement is put in 50 ms after the region is emptied
    expect(announcement).to_have_text("")

    page.keyboard.press("u")
    expect(page.locator("#card")).to_have_attribute("data-side", "front")
    expect(page.get_by_text("Your last rating was taken back.")).to_be_visible()
    category = question.category.name
    expect(announcement).to_have_text(re.compile(rf"^Card to review: .+, {re.escape(category)}\.$"))
