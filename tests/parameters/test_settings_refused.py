"""The study settings form: the desired retention in percent as the site shows it everywhere, and
each number refused in our own words, naming its field and range (an outside tester typed 90 and
was told "Ensure this value is less than or equal to 0.97.")."""

import pytest
from django.urls import reverse

from quizzes.models import StudyProfile
from tests.html import find

pytestmark = pytest.mark.django_db

SETTINGS = {"desired_retention": "90", "new_per_day": "20", "max_reviews_per_day": "200"}


def save(client, **changes):
    return client.post(reverse("quizzes:study_settings"), {**SETTINGS, **changes})


def refusal(response, name):
    """The refused page's message beside field `name`, which the field points at and has the
    cursor."""
    assert response.status_code == 200
    html = response.content.decode()
    field = find(html, "input", name=name)
    assert field.attrs.get("aria-invalid") == "true"
    assert f"id_{name}_error" in field.attrs["aria-describedby"].split()
    assert "autofocus" in field.attrs
    return find(html, "ul", id=f"id_{name}_error").text


@pytest.mark.parametrize(("typed", "kept"), [("90", 0.9), ("85.5", 0.855), ("0.85", 0.85)])
def test_retention_is_typed_in_percent_or_as_anki_writes_it(learner_client, user, typed, kept):
    assert save(learner_client, desired_retention=typed).status_code == 302
    assert StudyProfile.objects.get(user=user).desired_retention == kept


def test_the_form_shows_the_retention_in_percent_and_says_so(learner_client, user):
    save(learner_client, desired_retention="0.88")
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    field = find(html, "input", name="desired_retention")
    assert field.attrs["value"] == "88"
    assert (field.attrs["min"], field.attrs["max"]) == ("80", "97")
    assert find(html, "label", **{"for": "id_desired_retention"}).text == "Desired retention (%)"
    help_text = find(html, id="id_desired_retention_helptext").text
    assert "in percent: from 80 to 97" in help_text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "99",
            "Desired retention must be a percentage from 80 to 97, such as 90. You entered 99%.",
        ),
        (
            "0.5",
            "Desired retention must be a percentage from 80 to 97, such as 90. "
            "You entered 0.5 (that is 50%).",
        ),
        ("ninety", "Desired retention must be a percentage from 80 to 97, such as 90."),
        ("", "Desired retention must be a percentage from 80 to 97, such as 90."),
    ],
)
def test_a_retention_out_of_range_says_the_range_in_percent(learner_client, typed, message):
    response = save(learner_client, desired_retention=typed)
    assert refusal(response, "desired_retention") == message
    assert not StudyProfile.objects.exists()


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("new_per_day", "501", "New cards per day must be a whole number from 0 to 500."),
        ("new_per_day", "2.5", "New cards per day must be a whole number from 0 to 500."),
        (
            "max_reviews_per_day",
            "0",
            "Maximum reviews per day must be a whole number from 1 to 5000.",
        ),
        (
            "daily_goal",
            "-1",
            "The daily goal must be a whole number of reviews from 0 (no goal) to 5000.",
        ),
        (
            "day_starts_at",
            "24",
            "The hour your next day starts at must be a whole number from 0 (midnight) to 23 "
            "(11 pm).",
        ),
        (
            "learn_ahead_minutes",
            "1441",
            "The learn ahead limit must be a whole number of minutes from 0 to 1440 (a day).",
        ),
        (
            "leech_threshold",
            "100",
            "The leech threshold must be a whole number of times forgotten from 1 to 99.",
        ),
    ],
)
def test_each_number_refused_names_its_field_and_range(learner_client, name, typed, message):
    response = save(learner_client, **{name: typed})
    assert refusal(response, name) == message
    assert not StudyProfile.objects.exists()


@pytest.mark.parametrize("typed", ["0.801", "87.65", "80.123456"])
def test_saving_another_setting_keeps_the_retention_as_it_was(learner_client, user, typed):
    """The box shows a retention to two decimals of a percent; posted back as shown, it read one
    bit off or rounded, and every card was recomputed for a "new" retention (a fresh-eyes
    review)."""
    save(learner_client, desired_retention=typed)
    kept = StudyProfile.objects.get(user=user).desired_retention
    html = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    shown = find(html, "input", name="desired_retention").attrs["value"]
    response = save(learner_client, desired_retention=shown, new_per_day="5")
    said = [str(m) for m in response.wsgi_request._messages]
    assert said == ["Your study settings are saved."]
    assert StudyProfile.objects.get(user=user).desired_retention == kept


@pytest.mark.parametrize(
    ("typed", "said"), [("97.0000001", "97.0000001%"), ("-0", "-0 (that is 0%)")]
)
def test_a_refused_retention_is_quoted_as_typed(learner_client, typed, said):
    message = refusal(save(learner_client, desired_retention=typed), "desired_retention")
    assert message.endswith(f"You entered {said}."), message
