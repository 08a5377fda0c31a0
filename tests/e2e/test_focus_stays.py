"""The "done for now" panel looks again by itself when the next card is due; when the card
comes, a learner whose focus is on a link elsewhere keeps it there."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.enums import MemoryState
from quizzes.models import Question
from tests.factories import CardStateFactory, StudyProfileFactory, UserFactory
from tests.helpers import BUNDLED, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_card_that_comes_by_itself_leaves_the_focus_where_the_learner_put_it(page):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    # No new cards and no learn-ahead: the one learning card is shown when it is due, in 3 s.
    StudyProfileFactory.create(user=user, new_per_day=0, learn_ahead_minutes=0, time_zone="UTC")
    now = timezone.now()
    CardStateFactory.create(
        user=user,
        question=Question.objects.order_by("position").first(),
        state=MemoryState.LEARNING,
        step=0,
        stability=0.5,
        due=now + timedelta(seconds=3),
        now=now,
    )
    log_in(page, user.username)
    page.goto("/study/")
    heading = page.locator("#card-heading")
    expect(heading).to_have_text("You are done for now")
    link = page.get_by_role("link", name="Your cards")
    link.focus()
    expect(heading).not_to_have_text("You are done for now", timeout=10_000)
    expect(link).to_be_focused()


def test_enter_on_a_link_beside_a_card_follows_the_link(page):
    """Enter shows a card's answer, but not when the learner is on a link: the link is
    followed, as Enter on a link always is."""
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    StudyProfileFactory.create(user=user, time_zone="UTC")
    log_in(page, user.username)
    page.goto("/study/")
    expect(page.locator("[data-shortcut=show]")).to_be_visible()
    link = page.get_by_role("link", name="Study settings")
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url("/study/settings/")
