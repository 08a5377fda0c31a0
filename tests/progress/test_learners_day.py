"""The progress page counts the learner's days: reviews grouped by the day that starts at their
hour in their zone (in the database, as `day_of` says), and streaks and today by the same day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from quizzes.models import ReviewLog
from quizzes.progress.selectors import progress_summary
from quizzes.rules.days import day_of
from tests.factories import QuestionFactory, StudyProfileFactory

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.mark.parametrize("database_zone", ["UTC", "America/New_York"])
def test_reviews_are_grouped_by_the_learners_day_in_the_database(user, settings, database_zone):
    settings.TIME_ZONE = database_zone
    cache.clear()
    profile = StudyProfileFactory.create(user=user, time_zone="Europe/Kyiv", day_starts_at=4)
    question = QuestionFactory.create()
    # Kyiv local times: 03:30 on the 3rd is still the learner's 2nd; 04:30 starts the 3rd.
    moments = [
        datetime(2026, 3, 2, 23, 50, tzinfo=KYIV),
        datetime(2026, 3, 3, 3, 30, tzinfo=KYIV),
        datetime(2026, 3, 3, 4, 30, tzinfo=KYIV),
        datetime(2026, 3, 4, 1, 0, tzinfo=KYIV),
    ]
    for moment in moments:
        ReviewLog.objects.create(user=user, question=question, rating=3, reviewed_at=moment)
    now = datetime(2026, 3, 5, 12, 0, tzinfo=KYIV)
    summary = progress_summary(user=user, now=now, schedule=profile.schedule)
    assert summary.reviews_by_day == {date(2026, 3, 2): 2, date(2026, 3, 3): 2}
    assert {day_of(m, profile.day) for m in moments} == set(summary.reviews_by_day)
    assert summary.today == date(2026, 3, 5)
    assert summary.streak_longest == 2


def test_today_starts_at_the_learners_hour(user):
    profile = StudyProfileFactory.create(user=user, time_zone="America/New_York", day_starts_at=4)
    question = QuestionFactory.create()
    # 02:00 in New York on the 5th: the learner's day is still the 4th, and a review then counts.
    now = datetime(2026, 3, 5, 2, 0, tzinfo=ZoneInfo("America/New_York"))
    ReviewLog.objects.create(
        user=user, question=question, rating=3, reviewed_at=now - timedelta(hours=3)
    )
    summary = progress_summary(user=user, now=now, schedule=profile.schedule)
    assert summary.today == date(2026, 3, 4)
    assert summary.reviews_by_day == {date(2026, 3, 4): 1}
    assert summary.streak_current == 1
