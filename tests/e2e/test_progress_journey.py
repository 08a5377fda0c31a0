"""The dashboard draws its charts in a real browser; a screenshot is kept as a test artefact."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import study_services
from quizzes.enums import Rating
from quizzes.models import Question
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BANK = Path(__file__).resolve().parents[2] / "fixtures" / "questions.json"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_dashboard_draws_its_charts(page):
    call_command("load_questions", str(BANK), stdout=StringIO())
    user = UserFactory.create()
    now = timezone.now()
    questions = list(Question.objects.order_by("position")[:30])
    for back in range(20, -1, -1):
        for n, question in enumerate(questions[back : back + 6]):
            study_services.review_record(
                user=user,
                question_id=question.id,
                rating=list(Rating)[(n + back) % len(Rating)],
                now=now - timedelta(days=back, minutes=n),
                desired_retention=0.9,
                shown_reps=None,
            )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
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
    assert page.locator(".chart .bar").count() == 30
    assert (
        page.locator(
            ".heatmap rect.heat-1, .heatmap rect.heat-2, .heatmap rect.heat-3, .heatmap rect.heat-4"
        ).count()
        == 21
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "progress-dashboard.png"), full_page=True)

    page.get_by_role("link", name="Article", exact=True).click()
    first = page.locator(".passage-mark").first
    first.focus()
    expect(first.locator(".passage-info")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "article-map.png"), full_page=False)
