"""A learner buries and suspends by keyboard, undoes, and bulk-suspends on the cards page."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import CardHold
from tests.factories import UserFactory
from tests.helpers import BUNDLED, log_in, show_answer_by_keyboard

pytestmark = pytest.mark.django_db(transaction=True)


def prompt(page) -> str:
    return page.locator("#card-heading").inner_text()


def test_bury_suspend_undo_by_keyboard_then_bulk_suspend_on_the_cards_page(page):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    log_in(page, user.username)
    card = page.locator("#card")

    first = prompt(page)
    show_answer_by_keyboard(page)
    expect(card).to_have_attribute("data-side", "back")
    page.keyboard.press("-")
    expect(page.get_by_text("The card is buried until tomorrow.")).to_be_visible()
    expect(card).to_have_attribute("data-side", "front")
    second = prompt(page)
    assert second != first

    show_answer_by_keyboard(page)
    expect(card).to_have_attribute("data-side", "back")
    page.keyboard.press("@")
    expect(page.get_by_text("The card is suspended")).to_be_visible()
    assert prompt(page) not in (first, second)
    assert {h.kind for h in CardHold.objects.filter(user=user)} == {"bury", "suspend"}

    page.keyboard.press("u")
    expect(page.get_by_text("The card you suspended is back.")).to_be_visible()
    expect(page.locator("#card-heading")).to_have_text(second)
    assert CardHold.objects.filter(user=user).count() == 1

    # The cards page: filter by state, then tick two cards and suspend them.
    page.get_by_role("link", name="Your cards").first.click()
    page.get_by_label("State", exact=True).select_option("buried")
    page.get_by_role("button", name="Show cards").click()
    expect(page.locator("#results-heading")).to_have_text("1 card")
    expect(page.locator(".cards-table tbody tr")).to_have_count(1)
    expect(page.locator(".cards-table tbody")).to_contain_text(first)

    page.get_by_label("State", exact=True).select_option("new")
    page.get_by_label("Category", exact=True).select_option("dates")
    page.get_by_role("button", name="Show cards").click()
    expect(page).to_have_url(re.compile(r"/study/cards/\?category=dates&state=new"))
    boxes = page.locator('.cards-table input[type="checkbox"]')
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_text("2 cards suspended.")).to_be_visible()
    assert CardHold.objects.filter(user=user, kind="suspend").count() == 2

    page.get_by_label("State", exact=True).select_option("suspended")
    page.get_by_label("Category", exact=True).select_option("")
    page.get_by_role("button", name="Show cards").click()
    expect(page.locator(".cards-table tbody tr")).to_have_count(2)


def test_bury_works_without_javascript(browser, live_server):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, user.username)
        page.get_by_role("button", name="Show answer").click()
        page.get_by_role("button", name="Bury until tomorrow").click()
        expect(page).to_have_url(f"{live_server.url}/study/")
        expect(page.get_by_text("The card is buried until tomorrow.")).to_be_visible()
        assert CardHold.objects.filter(user=user, kind="bury").count() == 1
    finally:
        context.close()
