"""Dates and times on every page are in the learner's own time zone, from their study settings,
not the site's (an outside audit found a Tokyo learner's card due "12 December, 19:00", the
evening before the day its button promised, and a quiz ending at a UTC hour)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.bank.cache import bank_current
from quizzes.enums import Rating
from quizzes.models import StudyProfile
from quizzes.progress.figures import cards_rows_key, quiz_list_key
from quizzes.study.zone import ZONE_KEY
from tests.factories import (
    CardStateFactory,
    QuestionFactory,
    QuizAttemptFactory,
    StudyProfileFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 12, 6, 8, 11, tzinfo=UTC)  # 17:11 in Tokyo
# A card due at the start of a Tokyo learner's day (04:00 there) on 13 December.
DUE = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)
SETTINGS = {"desired_retention": "0.90", "new_per_day": "20", "max_reviews_per_day": "200"}


@pytest.fixture
def card(user):
    StudyProfileFactory.create(user=user, time_zone="Asia/Tokyo", day_starts_at=4)
    question = QuestionFactory.create()
    CardStateFactory.create(
        user=user, question=question, in_review=True, due=DUE, last_review=NOW, reps=3
    )
    return question


def card_page(client, question) -> str:
    return client.get(reverse("quizzes:card_detail", args=[question.pk])).content.decode()


def test_a_cards_due_date_is_in_the_learners_zone(client, user, card):
    client.force_login(user)
    html = card_page(client, card)
    assert "13 December 2026, 04:00" in html
    assert "2026-12-13T04:00:00+09:00" in html
    listed = client.get(reverse("quizzes:cards")).content.decode()
    assert "13 Dec 2026" in listed


def test_a_quizs_end_is_in_the_learners_zone(client, user):
    StudyProfileFactory.create(user=user, time_zone="Europe/Kyiv")
    client.force_login(user)
    attempt = QuizAttemptFactory.create(
        user=user, started_at=NOW - timedelta(minutes=1), with_answers=[QuestionFactory.create()]
    )
    html = client.get(reverse("quizzes:quiz_attempt", args=[attempt.pk])).content.decode()
    local = attempt.deadline.astimezone(UTC) + timedelta(hours=2)  # Kyiv in winter
    assert "it ends at <time datetime=" in html
    assert local.strftime("%H:%M:%S") + "</time>" in html


def test_a_session_from_before_takes_the_zone_at_its_next_page(client, user, card):
    """A session signed in before sessions kept the zone reads the settings once."""
    client.force_login(user)
    session = client.session
    del session[ZONE_KEY]
    session.save()
    assert "13 December 2026, 04:00" in card_page(client, card)
    assert client.session[ZONE_KEY] == "Asia/Tokyo"


def test_a_new_zone_shows_at_once_and_on_pages_that_read_no_settings(client, user, card):
    client.force_login(user)
    saved = client.post(
        reverse("quizzes:study_settings"),
        {**SETTINGS, "time_zone": "America/Los_Angeles", "day_starts_at": "4"},
    )
    assert saved.status_code == 302
    assert client.session[ZONE_KEY] == "America/Los_Angeles"
    attempt = QuizAttemptFactory.create(
        user=user, started_at=NOW - timedelta(minutes=1), with_answers=[QuestionFactory.create()]
    )
    html = client.get(reverse("quizzes:quiz_attempt", args=[attempt.pk])).content.decode()
    local = attempt.deadline.astimezone(UTC) - timedelta(hours=8)
    assert local.strftime("%H:%M:%S") + "</time>" in html


def test_another_sessions_change_reaches_this_one_at_its_next_settings_read(client, user, card):
    client.force_login(user)
    assert "13 December 2026, 04:00" in card_page(client, card)
    user.study_profile.time_zone = "UTC"  # saved in another session
    user.study_profile.save()
    html = card_page(client, card)  # the card's page reads the settings: it shows the new zone
    assert "12 December 2026, 19:00" in html
    assert client.session[ZONE_KEY] == "UTC"


def test_a_learner_without_settings_has_the_sites_zone(client, user, settings):
    settings.TIME_ZONE = "America/Chicago"
    client.force_login(user)
    assert client.session[ZONE_KEY] == "America/Chicago"


def test_the_zone_read_at_log_in_costs_no_page_a_query(client, user, card):
    """Kept in the session at log-in: a page that reads no settings reads none for the zone."""
    client.force_login(user)
    attempt = QuizAttemptFactory.create(
        user=user, started_at=NOW - timedelta(minutes=1), with_answers=[QuestionFactory.create()]
    )
    with CaptureQueriesContext(connection) as read:
        client.get(reverse("quizzes:quiz_attempt", args=[attempt.pk]))
    assert read.captured_queries
    assert not any(StudyProfile._meta.db_table in q["sql"] for q in read.captured_queries)


def test_a_cards_interval_is_the_days_its_button_said(client, user):
    """Rated Easy at 17:11 in Tokyo, a card whose button said "7d" is due at 4:00 on the seventh
    day, 6 days and 11 hours on: its page, its history and `prop:ivl` say 7 days, not 6."""
    StudyProfileFactory.create(user=user, time_zone="Asia/Tokyo", day_starts_at=4)
    question = QuestionFactory.create()
    CardStateFactory.create(
        user=user,
        question=question,
        in_review=True,
        stability=3.0,
        difficulty=5.0,
        last_review=NOW - timedelta(days=3),
        due=NOW - timedelta(hours=1),
        reps=3,
    )
    client.force_login(user)
    front = client.get(reverse("quizzes:study"))
    back = client.post(reverse("quizzes:study_answer"), {"token": front.context_data["token"]})
    easy = next(b for b in back.context_data["buttons"] if b.rating == Rating.EASY)
    days = int(easy.interval.removesuffix("d"))
    client.post(
        reverse("quizzes:study_review"),
        {"token": back.context_data["token"], "rating": Rating.EASY},
    )
    page = client.get(reverse("quizzes:card_detail", args=[question.pk]))
    assert page.context["row"].interval_days == days
    assert page.context["history"].entries[0].interval_label == easy.interval
    listed = client.get(reverse("quizzes:cards"), {"q": f"prop:ivl={days}"})
    matched = listed.context["cards_page"].paginator.object_list
    assert [row.question.id for row in matched] == [question.id]


@pytest.mark.parametrize("change", ["deactivated", "password changed elsewhere"])
def test_a_session_whose_account_changed_gets_the_log_in_page_not_an_error(client, user, change):
    """A session from before sessions kept the zone, whose account was since deactivated or
    had its password changed: Django's log-in check sends it to log in (a review found the
    zone's read of the settings failing on the anonymous user there)."""
    client.force_login(user)
    session = client.session
    del session[ZONE_KEY]
    session.save()
    if change == "deactivated":
        user.is_active = False
    else:
        user.set_password("another-password-6607")
    user.save()
    response = client.get(reverse("quizzes:study"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_heavy_pages_cached_html_is_kept_apart_by_the_zone_it_shows(user):
    """Rows rendered with one device's zone are not served to a device that has another (a
    review found the zone missing from the cache keys)."""
    bank = bank_current()
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        tokyo = cards_rows_key(user=user, now=NOW, bank=bank, query="")
        quizzes_tokyo = quiz_list_key(user=user, now=NOW, bank=bank)
    with timezone.override(ZoneInfo("UTC")):
        assert cards_rows_key(user=user, now=NOW, bank=bank, query="") != tokyo
        assert quiz_list_key(user=user, now=NOW, bank=bank) != quizzes_tokyo
