""" "Download your data" holds everything the site keeps of the learner: beside the review log
and the cards, a JSON of the account, settings, quizzes with their answers, holds, card edits,
phrasings, reports, extra new cards and optimizer runs (an outside audit found them missing),
and nothing of another learner's."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from quizzes.enums import HoldKind, HoldOrigin, ReviewOrigin
from quizzes.models import CardHold, QuestionReport
from tests.factories import (
    AttemptAnswerFactory,
    QuestionFactory,
    QuizAttemptFactory,
    StudyProfileFactory,
    UserFactory,
    address_verified,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_everything_else_is_the_learners_own_and_complete(learner_client, user):
    question = QuestionFactory.create(slug="formed-typed")
    StudyProfileFactory.create(user=user, new_per_day=7, time_zone="Europe/Kyiv")
    attempt = QuizAttemptFactory.create(user=user, started_at=NOW, finished=True)
    AttemptAnswerFactory.create(
        attempt=attempt, question=question, position=0, response="March 2022", answered_at=NOW
    )
    CardHold.objects.create(
        user=user, question=question, kind=HoldKind.SUSPEND, origin=HoldOrigin.STUDY, placed_at=NOW
    )
    QuestionReport.objects.create(
        user=user, question=question, origin=ReviewOrigin.STUDY, comment="The date is unclear."
    )
    other = UserFactory.create()
    QuestionReport.objects.create(
        user=other, question=question, origin=ReviewOrigin.STUDY, comment="Someone else's."
    )

    response = learner_client.get(reverse("quizzes:export_account"))

    assert response["Content-Disposition"] == 'attachment; filename="learnfrl-account.json"'
    data = json.loads(response.content)
    assert data["account"]["username"] == user.username
    assert data["study_settings"]["new_per_day"] == 7
    assert data["study_settings"]["time_zone"] == "Europe/Kyiv"
    assert "user_id" not in data["study_settings"]
    [quiz] = data["quizzes"]
    assert quiz["id"] == attempt.pk
    assert [(a["question"], a["response"]) for a in quiz["answers"]] == [
        ("formed-typed", "March 2022")
    ]
    assert data["buried_and_suspended"][0]["question"] == "formed-typed"
    assert data["buried_and_suspended"][0]["placed_at"] == "2026-03-02T10:00:00Z"
    assert [r["comment"] for r in data["reports"]] == ["The date is unclear."]
    assert set(data) == {
        "account",
        "study_settings",
        "quizzes",
        "buried_and_suspended",
        "card_edits",
        "phrasings_sent",
        "reports",
        "extra_new_cards",
        "optimizer_runs",
    }
    assert "Someone else's." not in response.content.decode()
    assert other.username not in response.content.decode()


def test_a_learner_with_nothing_yet_gets_an_empty_record(learner_client, user):
    data = json.loads(learner_client.get(reverse("quizzes:export_account")).content)
    assert data["quizzes"] == data["reports"] == data["card_edits"] == []
    assert data["account"]["username"] == user.username


def test_the_record_says_whether_the_address_is_verified(learner_client, user):
    def exported():
        return json.loads(learner_client.get(reverse("quizzes:export_account")).content)

    assert exported()["account"]["email_verified"] is False
    address_verified(user)
    assert exported()["account"]["email_verified"] is True
