"""The learner's day in their settings: a time zone and an hour, taken from the browser at sign-up
and editable; a change reschedules every card from its reviews and loses or repeats none."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from quizzes.cards.services import hold_place
from quizzes.enums import HoldKind, HoldOrigin
from quizzes.models import CardHold, CardState, ReviewLog, StudyProfile
from quizzes.rules.days import DayClock
from quizzes.rules.scheduling import CARD_FIELDS
from tests.factories import QuestionFactory
from tests.helpers import utc_day_profile
from tests.histories import history_store, replay
from tests.support.schedules import DEFAULT_SCHEDULE
from tests.support.synthetic import START, synthetic_history

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = START + timedelta(days=120)
GOOD_PASSWORD = "violet-harbour-4821"
SETTINGS = {"desired_retention": "0.90", "new_per_day": "20", "max_reviews_per_day": "200"}


def signup(client, **extra):
    data = {"username": "newlearner", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(reverse("signup"), {**data, **extra})


def test_sign_up_keeps_the_browsers_time_zone(client):
    signup(client, time_zone="Europe/Kyiv")
    profile = StudyProfile.objects.get(user__username="newlearner")
    assert (profile.time_zone, profile.day_starts_at) == ("Europe/Kyiv", 4)


@pytest.mark.parametrize("sent", ["", "Mars/Olympus_Mons", "x" * 300, "../../etc/passwd"])
def test_sign_up_without_a_known_zone_takes_the_sites(client, settings, sent):
    settings.TIME_ZONE = "America/Chicago"
    response = signup(client, time_zone=sent)
    assert response.status_code == 302
    assert StudyProfile.objects.get(user__username="newlearner").time_zone == "America/Chicago"


def test_the_sign_up_page_asks_the_browser_for_its_zone(client):
    html = client.get(reverse("signup")).content.decode()
    assert 'name="time_zone"' in html
    assert "data-browser-time-zone" in html


@pytest.fixture
def learner(user):
    history = synthetic_history(reviews=300, cards=20, seed=3)
    ids = history_store(user, history)
    return user, ids, history


def stored(user):
    return {
        c.question_id: tuple(getattr(c, f) for f in CARD_FIELDS)
        for c in CardState.objects.filter(user=user)
    }


def test_a_new_zone_and_hour_reschedule_every_card_from_its_reviews(learner_client, learner):
    user, ids, history = learner
    reviews = ReviewLog.objects.count()
    before = stored(user)
    response = learner_client.post(
        reverse("quizzes:study_settings"),
        {**SETTINGS, "time_zone": "America/New_York", "day_starts_at": "6"},
    )
    assert response.status_code == 302
    profile = StudyProfile.objects.get(user=user)
    assert (profile.time_zone, profile.day_starts_at) == ("America/New_York", 6)
    # No review lost or added; every card as its history gives under the new day.
    assert ReviewLog.objects.count() == reviews
    new_york = DayClock(zone=ZoneInfo("America/New_York"), starts_at=6)
    schedule = DEFAULT_SCHEDULE.__class__(
        desired_retention=0.9, parameters=DEFAULT_SCHEDULE.parameters, day=new_york
    )
    expected = {
        ids[card]: tuple(
            getattr(replay(user, ids[card], history[card], schedule=schedule), f)
            for f in CARD_FIELDS
        )
        for card in history
    }
    assert stored(user) == expected
    assert stored(user) != before


def test_the_same_zone_and_hour_change_nothing(learner_client, learner):
    user, _ids, _history = learner
    before = stored(user)
    learner_client.post(
        reverse("quizzes:study_settings"), {**SETTINGS, "time_zone": "UTC", "day_starts_at": "4"}
    )
    assert stored(user) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Nowhere/Else"), ("day_starts_at", "24"), ("learn_ahead_minutes", "-1")],
)
def test_a_bad_value_is_a_form_error_not_a_crash(learner_client, user, field, value):
    response = learner_client.post(reverse("quizzes:study_settings"), {**SETTINGS, field: value})
    assert response.status_code == 200
    assert response.context["day_form"].errors[field]
    assert not StudyProfile.objects.filter(user=user).exists()


def test_the_settings_page_shows_the_learners_day(learner_client, user):
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    assert 'id="your-day"' in html
    assert '<option value="Europe/Kyiv">' in html
    assert 'name="day_starts_at"' in html


def test_utc_minus_12_can_be_chosen(learner_client, user):
    """No city keeps UTC-12; its one name in the tz database is Etc/GMT+12 (POSIX signs)."""
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    assert '<option value="Etc/GMT+12">Etc/GMT+12 (UTC-12)</option>' in html
    response = learner_client.post(
        reverse("quizzes:study_settings"),
        {**SETTINGS, "time_zone": "Etc/GMT+12", "day_starts_at": "4"},
    )
    assert response.status_code in {200, 302}
    assert StudyProfile.objects.get(user=user).time_zone == "Etc/GMT+12"


def test_a_zone_name_the_list_leaves_out_is_shown_and_kept(client):
    """A browser may give an alias at sign-up ("US/Eastern"): the settings list it, chosen,
    and saving the page keeps it rather than sending an empty choice."""
    signup(client, time_zone="US/Eastern")
    html = client.get(reverse("quizzes:study_settings")).content.decode()
    assert '<option value="US/Eastern" selected>US/Eastern</option>' in html
    response = client.post(
        reverse("quizzes:study_settings"),
        {**SETTINGS, "time_zone": "US/Eastern", "day_starts_at": "5"},
    )
    assert response.status_code in {200, 302}
    profile = StudyProfile.objects.get(user__username="newlearner")
    assert (profile.time_zone, profile.day_starts_at) == ("US/Eastern", 5)


def test_a_fixed_offset_zone_says_its_offset_the_right_way_round(client):
    """Etc/GMT+5 is five hours behind UTC (POSIX's sign): the list says so."""
    signup(client, time_zone="Etc/GMT+5")
    html = client.get(reverse("quizzes:study_settings")).content.decode()
    assert '<option value="Etc/GMT+5" selected>Etc/GMT+5 (UTC-5)</option>' in html


@pytest.mark.parametrize(
    ("zone", "hour", "back_at"),
    [
        # West: the bury kept the old day's start, 20:00 in Los Angeles the same day.
        ("America/Los_Angeles", 4, (1, 4)),
        # East: placed at midnight in Tokyo, before its day began at 04:00; it kept 04:00 UTC,
        # nine hours into that day, and ends at its start.
        ("Asia/Tokyo", 4, (0, 4)),
        # A later hour the same zone.
        ("UTC", 9, (1, 9)),
    ],
)
def test_a_new_zone_or_hour_ends_each_bury_at_the_new_days_start(
    learner_client, user, frozen, zone, hour, back_at
):
    """A bury lasts until the learner's next day begins: on the clock they have now (an outside
    tester found it kept the old clock's day start)."""
    utc_day_profile(user)
    question = QuestionFactory.create()
    placed = NOW.replace(hour=15, minute=0)  # 15:00 UTC
    frozen.move_to(placed)
    hold_place(
        user=user,
        question_id=question.pk,
        kind=HoldKind.BURY,
        now=placed,
        clock=DayClock(ZoneInfo("UTC"), 4),
        origin=HoldOrigin.STUDY,
    )
    frozen.move_to(placed + timedelta(minutes=10))
    response = learner_client.post(
        reverse("quizzes:study_settings"),
        {**SETTINGS, "time_zone": zone, "day_starts_at": str(hour)},
    )
    assert response.status_code == 302
    until = CardHold.objects.get(user=user).until
    assert until is not None
    local = until.astimezone(ZoneInfo(zone))
    days, at = back_at
    assert (local.date() - placed.astimezone(ZoneInfo(zone)).date()).days == days
    assert (local.hour, local.minute) == (at, 0)
