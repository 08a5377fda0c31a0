"""The dashboard draws its charts and the article map opens and is linked to, in a real browser;
screenshots are kept as test artefacts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.enums import Rating
from quizzes.models import Question, StudyProfile
from quizzes.rules.days import day_start
from quizzes.study import services as study_services
from tests.factories import UserFactory
from tests.helpers import log_in as log_in_as
from tests.support.schedules import DEFAULT_SCHEDULE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("bundled_bank")]


def test_the_dashboard_draws_its_charts(page, log_in, screenshot):
    user = UserFactory.create()
    now = timezone.now()
    # Each day's six reviews fall within that day of the learner's: spread over the part of
    # today already past (a fixed minutes apart crossed the day's start when run just after it).
    start = day_start(now, StudyProfile(user=user).day)
    questions = list(Question.objects.order_by("position")[:30])
    for back in range(20, -1, -1):
        for n, question in enumerate(questions[back : back + 6]):
            study_services.review_record(
                user=user,
                question_id=question.id,
                rating=list(Rating)[(n + back) % len(Rating)],
                now=start + (now - start) * (6 - n) / 6 - timedelta(days=back),
                schedule=DEFAULT_SCHEDULE,
                shown_reps=None,
            )
    log_in(page, user.username)
    page.get_by_role("link", name="Progress").click()

    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    for name in (
        "Cards by state",
        "Cards due each day for the next 30 days",
        "Reviews per day over the last year",
    ):
        chart = page.get_by_role("img", name=name)
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] > 200
        assert box["height"] > 20
    assert page.locator("#forecast .chart .bar").count() == 30
    assert (
        page.locator(
            ".heatmap rect.heat-1, .heatmap rect.heat-2, .heatmap rect.heat-3, .heatmap rect.heat-4"
        ).count()
        == 21
    )
    screenshot(page, "progress-dashboard")

    # Anki's statistics load when scrolled to (htmx "revealed"), from the reviews just recorded.
    page.locator("#statistics").scroll_into_view_if_needed()
    buttons = page.get_by_role("img", name="Presses of each answer button, by card type")
    expect(buttons).to_be_visible()
    titles = buttons.locator("rect title").evaluate_all("els => els.map(e => e.textContent)")
    assert len(titles) == 12
    assert sum(int(t.split(": ")[1].split()[0]) for t in titles) == 21 * 6
    expect(page.get_by_role("img", name="Cards by recall now")).to_be_visible()
    screenshot(page, "progress-statistics")

    page.get_by_role("link", name="Article", exact=True).click()
    first = page.locator(".passage-mark").first
    summary = first.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    info = first.locator(".passage-info")
    expect(info).to_be_visible()
    expect(info.get_by_role("link", name="Study this passage")).to_be_visible()
    screenshot(page, "article-map", full_page=False)
    page.keyboard.press("Escape")
    expect(info).to_be_hidden()
    expect(summary).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_opening_a_sentence_closes_the_one_open_before(browser, live_server, javascript):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1100, "height": 900},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in_as(page, UserFactory.create().username)
        page.goto("/article/")
        first, second = page.locator(".passage-mark").nth(0), page.locator(".passage-mark").nth(3)
        first.locator("summary").focus()
        page.keyboard.press("Enter")
        expect(first.locator(".passage-info")).to_be_visible()
        # The keyboard moves on to the next sentence and opens it: one panel, its own, is open,
        # and the focus stays on the sentence just opened.
        second.locator("summary").focus()
        page.keyboard.press("Enter")
        expect(second.locator(".passage-info")).to_be_visible()
        expect(first.locator(".passage-info")).to_be_hidden()
        expect(page.locator(".passage-mark[open]")).to_have_count(1)
        expect(second.locator("summary")).to_be_focused()
        if javascript:
            page.keyboard.press("Escape")
            expect(page.locator(".passage-mark[open]")).to_have_count(0)
            expect(second.locator("summary")).to_be_focused()
    finally:
        context.close()


def test_read_it_in_place_lands_on_the_cards_sentence_and_frames_it(page, log_in, screenshot):
    """The Shebekino raid card's passage starts at the May raid (s-21), its fact is in s-23; the
    commander's appeal spans s-6 and s-7, its statement is s-7. Each link lands on its fact's
    sentence, framed apart from the marked sentences around it, below the screen's top edge."""
    log_in(page, UserFactory.create().username)
    card = Question.objects.get(slug="dates-shebekino-raid-typed")
    page.goto(f"/study/cards/{card.pk}/")
    page.get_by_role("link", name="read it in place").click()
    expect(page).to_have_url(re.compile(r"/article/#s-23$"))
    sentence = page.locator("#s-23 > summary")
    expect(sentence).to_contain_text("The two groups launched another raid on 1 June")
    expect(sentence).to_have_css("outline-style", "solid")
    expect(page.locator("#s-21 > summary")).to_have_css("outline-style", "none")
    expect(sentence).to_be_in_viewport()
    assert sentence.bounding_box()["y"] >= 16
    screenshot(page, "article-read-in-place", full_page=False)

    page.goto("/study/passage/7/")
    page.get_by_role("button", name=re.compile("^Show answer")).click()
    page.locator(".passage").get_by_role("link", name="read it in place").click()
    expect(page).to_have_url(re.compile(r"/article/#s-7$"))
    sentence = page.locator("#s-7 > summary")
    expect(sentence).to_contain_text("He called on his compatriots")
    expect(sentence).to_have_css("outline-style", "solid")
    expect(page.locator("#s-6 > summary")).to_have_css("outline-style", "none")
