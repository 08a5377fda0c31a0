"""The daily goal: set with the study settings, shown beside the streak on the progress page."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes import limits
from quizzes.models import StudyProfile
from quizzes.rules import stats
from tests.factories import QuestionFactory, ReviewLogFactory, StudyProfileFactory
from tests.html import elements, find

NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)
SETTINGS = {"desired_retention": "0.9", "new_per_day": "20", "max_reviews_per_day": "200"}


def test_the_goal_streak_counts_days_that_reached_the_goal():
    days = {TODAY - timedelta(days=n): count for n, count in enumerate((3, 10, 12, 9, 20))}
    assert stats.goal_streak(days, TODAY, 10) == 2  # yesterday and the day before; today not yet
    days[TODAY] = 10
    assert stats.goal_streak(days, TODAY, 10) == 3  # reached today: today counts
    assert stats.goal_streak(days, TODAY, 0) == 0  # no goal, no streak
    assert stats.goal_streak({}, TODAY, 5) == 0


@pytest.mark.django_db
def test_the_goal_is_saved_with_the_study_settings(learner_client, user):
    learner_client.post(reverse("quizzes:study_settings"), {**SETTINGS, "daily_goal": "50"})
    assert StudyProfile.objects.get(user=user).daily_goal == 50
    # A post without it (an older form) keeps the goal.
    learner_client.post(reverse("quizzes:study_settings"), SETTINGS)
    assert StudyProfile.objects.get(user=user).daily_goal == 50
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    assert 'name="daily_goal"' in html
    assert 'value="50"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("goal", ["-1", str(limits.DAILY_GOAL_MAX + 1), "ten"])
def test_an_impossible_goal_is_refused_on_the_form(learner_client, user, goal):
    response = learner_client.post(
        reverse("quizzes:study_settings"), {**SETTINGS, "daily_goal": goal}
    )
    assert response.status_code == 200
    assert not StudyProfile.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_dashboard_shows_the_goal_beside_the_streak(learner_client, user, frozen):
    StudyProfileFactory.create(user=user, daily_goal=3)
    question = QuestionFactory.create()
    for n in range(2):  # two reviews today, three yesterday
        ReviewLogFactory.create(user=user, question=question, reviewed_at=NOW - timedelta(hours=n))
    for n in range(3):
        ReviewLogFactory.create(
            user=user, question=question, reviewed_at=NOW - timedelta(days=1, hours=n)
        )
    response = learner_client.get(reverse("quizzes:progress"))
    s = response.context["s"]
    assert (s.daily_goal, s.today_reviews, s.goal_left, s.goal_streak) == (3, 2, 1, 1)
    html = response.content.decode()
    assert "<dt>Daily goal</dt><dd>2 of 3</dd>" in html
    assert "1 more to reach it today" in html
    assert "met 1 day in a row" in html


@pytest.mark.django_db
def test_without_a_goal_the_dashboard_offers_to_set_one(learner_client, user, frozen):
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "Set a goal of reviews a day" in html


@pytest.mark.django_db
def test_without_a_goal_the_tile_says_so_in_words(learner_client, user, frozen):
    """The tile read "Daily goal: None", like a Python value (an outside test)."""
    StudyProfileFactory.create(user=user, daily_goal=0)
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    page = elements(html)
    tile = page.index(find(html, "div", cls="goal"))
    said = [e.text for e in page[tile:] if e.tag == "dd"][:2]
    assert said == ["Not set", "Set a goal of reviews a day"]
    link = find(html, "a", href=reverse("quizzes:study_settings") + "#id_daily_goal")
    assert link.text == "Set a goal of reviews a day"
