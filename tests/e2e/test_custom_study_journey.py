"""A learner who has met today's new cards asks for one more by keyboard, studies it, and is told
that was all of them; then reviews ahead."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.enums import ReviewOrigin
from quizzes.models import Question, ReviewLog
from tests.factories import CardStateFactory, StudyProfileFactory, UserFactory
from tests.helpers import BUNDLED, log_in, show_answer_by_keyboard

pytestmark = pytest.mark.django_db(transaction=True)


def test_more_new_cards_and_review_ahead_by_keyboard(page):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())
    user = UserFactory.create()
    StudyProfileFactory.create(user=user, new_per_day=1, time_zone="UTC")
    log_in(page, user.username)
    card = page.locator("#card")
    heading = page.locator("#card-heading")

    show_answer_by_keyboard(page)
    page.keyboard.press("4")  # Easy: out of the learning steps
    expect(heading).to_have_text("You are done for now")
    expect(heading).to_be_focused()  # the page's own focus move is done: the keyboard goes on

    page.get_by_role("link", name="Custom study").press("Enter")
    expect(page).to_have_url("/study/custom/")
    page.get_by_label("How many more new cards").focus()
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/study/")
    expect(page.get_by_text("You can study 1 more new card today")).to_be_visible()
    page.wait_for_load_state("load")
    show_answer_by_keyboard(page)
    page.keyboard.press("4")
    expect(heading).to_have_text("That was all of them")
    # The page moves focus to the new heading once the card has settled: only then does the
    # keyboard go on, or the focus move could take the focus from the link the learner is on.
    expect(heading).to_be_focused()

    # Two cards learned before, due in three days, of facts not seen today.
    seen = set(ReviewLog.objects.filter(user=user).values_list("question__fact", flat=True))
    later = [q for q in Question.objects.order_by("position") if q.fact_id not in seen]
    ahead = [later[0], next(q for q in later if q.fact_id != later[0].fact_id)]
    now = timezone.now()
    for question in ahead:
        CardStateFactory.create(
            user=user, question=question, in_review=True, due=now + timedelta(days=3), now=now
        )
    page.get_by_role("link", name="Custom study").press("Enter")
    expect(page).to_have_url("/study/custom/")
    page.get_by_label("Cards due in the next (days)").focus()
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/study/ahead/30/")
    page.wait_for_load_state("load")
    show_answer_by_keyboard(page)
    page.keyboard.press("3")
    expect(card).to_have_attribute("data-side", "front")
    show_answer_by_keyboard(page)
    page.keyboard.press("3")
    expect(heading).to_have_text("That was all of them")
    assert ReviewLog.objects.filter(user=user, origin=ReviewOrigin.AHEAD).count() == 2
