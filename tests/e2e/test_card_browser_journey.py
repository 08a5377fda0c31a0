"""A learner searches their cards as in Anki, chooses every match, forgets a card and undoes it;
then deletes their account. In Chromium at 1280×900, the size the card browser must fit."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from learnfrl.accounts.users import User
from quizzes.models import CardHold, CardState, Question, ReviewLog, StudyProfile
from quizzes.rules.days import next_day_start
from tests.factories import PASSWORD, CardStateFactory, ReviewLogFactory, UserFactory
from tests.helpers import BUNDLED, log_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _studied(user, count: int) -> list[Question]:
    """The learner's first `count` cards of the bank in review, one due later in the learner's
    day (halfway to its end: "in an hour" crossed the day's start when run in the hour before
    it, and showed a date, not "today")."""
    now = timezone.now()
    later_today = now + (next_day_start(now, StudyProfile(user=user).day) - now) / 2
    questions = list(Question.objects.filter(is_active=True).order_by("position")[:count])
    for n, question in enumerate(questions):
        due = later_today if n == 0 else now + timedelta(days=n + 2)
        CardStateFactory(now=now, user=user, question=question, due=due)
        ReviewLogFactory(user=user, question=question, reviewed_at=now - timedelta(days=2))
    return questions


def test_search_select_every_match_forget_and_undo(desktop, screenshot):
    page = desktop
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    studied = _studied(user, 6)
    log_in(page, user.username)

    page.goto("/study/cards/")
    # The table fits the window: nothing scrolls sideways, the page or the table's own box.
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.querySelector('.table-scroll').scrollWidth,"
        " document.querySelector('.table-scroll').clientWidth]"
    )
    assert widths[0] <= DESKTOP["width"], widths
    assert widths[1] <= widths[2], widths
    screenshot(page, "cards-browser-1280")

    search = page.get_by_label("Search")
    search.fill("is:fresh")
    page.get_by_role("button", name="Show cards").click()
    expect(page.get_by_text("“is:fresh” is not a search term")).to_be_visible()
    # The box is marked invalid and described by the message, as without JavaScript (an audit).
    expect(search).to_have_attribute("aria-invalid", "true")
    expect(search).to_have_accessible_description(re.compile("is not a search term"))

    search.fill("is:review -is:suspended")
    page.get_by_role("button", name="Show cards").click()
    expect(page.locator("#results-heading")).to_have_text("6 cards")
    expect(search).not_to_have_attribute("aria-invalid", "true")
    # Due within today shows its time.
    expect(page.locator(".cards-table td.due").first).to_contain_text(
        re.compile(r"today \d\d:\d\d")
    )

    page.get_by_label("Choose every card on this page").check()
    boxes = page.locator('.cards-table input[type="checkbox"]')
    expect(boxes).to_have_count(6)
    for n in range(6):
        expect(boxes.nth(n)).to_be_checked()
    page.get_by_label("Choose every card on this page").uncheck()
    expect(boxes.nth(0)).not_to_be_checked()

    page.get_by_label(re.compile(r"All 6 matching cards")).check()
    page.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_text("6 cards suspended.")).to_be_visible()
    assert CardHold.objects.filter(user=user, kind="suspend").count() == 6
    expect(page.locator("#results-heading")).to_have_text("0 cards")

    # One card's page: its history, then Forget, and Undo.
    page.goto(f"/study/cards/{studied[1].pk}/")
    expect(page.locator(".history-table tbody tr")).to_have_count(1)
    before = CardState.objects.get(user=user, question=studied[1]).due
    page.get_by_role("button", name="Forget this card").click()
    expect(page.get_by_text("The card is new again.")).to_be_visible()
    assert not CardState.objects.filter(user=user, question=studied[1]).exists()
    assert ReviewLog.objects.filter(user=user, question=studied[1]).count() == 1
    expect(page.locator(".history-table tbody tr")).to_have_count(2)
    screenshot(page, "card-page-forgotten")
    page.get_by_role("button", name=re.compile("Undo")).click()
    expect(page.get_by_text("Forget is undone")).to_be_visible()
    assert CardState.objects.get(user=user, question=studied[1]).due == before

    page.get_by_label("Due in (days)").fill("3-7")
    page.get_by_role("button", name="Set due date").click()
    expect(page.get_by_text(re.compile(r"The card is due on \d+ \w+ \d{4}\."))).to_be_visible()
    screenshot(page, "card-page-due-set")


def test_a_learner_deletes_their_account_from_the_account_page(desktop, screenshot):
    page = desktop
    user = UserFactory.create(email="ada@example.org")
    log_in(page, user.username)
    page.get_by_role("link", name=user.username).click()
    expect(page).to_have_url("/account/")
    expect(page.get_by_text("ada@example.org")).to_be_visible()
    expect(page.get_by_role("link", name="Change your password")).to_be_visible()
    screenshot(page, "account-page")

    page.get_by_label("Your password, to delete your account").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert User.objects.filter(pk=user.pk).exists()

    page.get_by_label("Your password, to delete your account").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url("/")
    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    assert not User.objects.filter(pk=user.pk).exists()


def test_logging_out_says_so(desktop):
    page = desktop
    user = UserFactory.create()
    log_in(page, user.username)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    assert page.request.get("/favicon.ico").ok  # the redirect leads to the icon


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_what_a_bulk_suspend_did_has_the_focus_and_is_read_out(browser, live_server, javascript):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, user.username)
        page.goto("/study/cards/")
        boxes = page.locator('.cards-table input[type="checkbox"]')
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.get_by_role("button", name="Suspend", exact=True).click()
        # Not the page's body: the message, a status that a screen reader reads as it takes focus.
        expect(page.get_by_role("status").filter(has_text="2 cards suspended.")).to_be_focused()

        page.locator(".cards-table tbody th a").first.click()
        page.get_by_role("button", name="Unsuspend this card").click()
        expect(page.get_by_role("status").filter(has_text="1 card unsuspended.")).to_be_focused()
    finally:
        context.close()
