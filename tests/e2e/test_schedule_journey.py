"""A learner with a history optimizes their schedule, goes back, and sees what retention costs:
by keyboard with JavaScript, and with plain forms without it."""

import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from tests.factories import QuestionFactory, UserFactory
from tests.helpers import log_in
from tests.histories import history_store
from tests.support.synthetic import START, synthetic_history

pytestmark = pytest.mark.django_db(transaction=True)

NOW = START + timedelta(days=60)


@pytest.fixture
def learner():
    user = UserFactory()
    history_store(user, synthetic_history(reviews=900, cards=30, seed=11))
    QuestionFactory.create_batch(20)  # not started yet: the simulator introduces them
    return user


@pytest.fixture(autouse=True)
def after_the_history():
    # The server's clock runs on from just after the learner's last review.
    with time_machine.travel(NOW, tick=True):
        yield


# While htmx swaps a panel in, its new buttons are not yet wired (htmx processes new content when
# it settles): Enter on one then posts the plain form, a full page load, as without JavaScript.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def press(page, name):
    """Activate a button from the keyboard, once htmx has settled: focus it, then Enter."""
    expect(page.locator(HTMX_BUSY)).to_have_count(0)
    page.get_by_role("button", name=name).focus()
    page.keyboard.press("Enter")


def test_optimize_go_back_and_simulate_with_the_keyboard(page, learner):
    log_in(page, learner.username)
    page.goto("/study/settings/")
    optimize = page.locator("#optimize")
    expect(optimize).to_contain_text("The optimizer needs at least 8 reviews")
    expect(optimize).to_contain_text(
        re.compile(r"You have 900 reviews in all, [\d,]+ of them usable\.")
    )
    expect(optimize.locator("#optimize-shortfall")).to_have_count(0)

    press(page, "Optimize my schedule")
    expect(optimize).to_contain_text("so they were put in use.")
    expect(optimize.locator("table")).to_contain_text("Fitted to your reviews")
    expect(optimize.get_by_role("columnheader", name="Log loss")).to_be_visible()
    expect(optimize).to_contain_text("You are using your own parameters")

    press(page, "Use the default parameters")
    expect(optimize).to_contain_text("You are using the default parameters;")
    expect(optimize).to_contain_text("You have since gone back to the default parameters.")
    expect(optimize.get_by_role("button", name="Use the default parameters")).to_have_count(0)

    press(page, "Go back to my previous parameters")
    expect(optimize).to_contain_text("You are back on your previous parameters")
    expect(optimize).to_contain_text("You are using your own parameters")

    press(page, "Show what each retention costs")
    workload = page.locator("#workload")
    # The desktop's drawing; the phone's, in the page too, is not shown (and not an image) here.
    expect(workload.get_by_role("img")).to_be_visible()
    expect(workload).to_contain_text("the suggested retention")
    expect(workload.locator("tr.suggested")).to_have_count(1)


def test_optimize_and_simulate_without_javascript(browser, live_server, learner):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, learner.username)
        page.goto("/study/settings/")
        page.get_by_role("button", name="Optimize my schedule").click()
        expect(page).to_have_url(f"{live_server.url}/study/settings/")
        expect(page.get_by_text("Your schedule was optimized")).to_be_visible()
        page.get_by_role("button", name="Use the default parameters").click()
        expect(page.get_by_text("You are using the default parameters;")).to_be_visible()
        page.get_by_role("button", name="Show what each retention costs").click()
        # Opened at the result, not at the page's top, thousands of pixels above it.
        expect(page).to_have_url(re.compile(r"/study/settings/workload/\??#workload$"))
        expect(page.locator("#workload table")).to_contain_text("(suggested)")
        expect(page.locator("#workload-title")).to_be_in_viewport()
    finally:
        context.close()
