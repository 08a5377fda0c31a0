"""The account page: who the learner is, their password and data, and deleting the account."""

import re

import pytest
from django.urls import reverse

from learnfrl.accounts.users import User
from quizzes.models import (
    AttemptAnswer,
    CardEdit,
    CardHold,
    CardState,
    QuestionReport,
    QuizAttempt,
    ReviewLog,
    ScheduleFit,
    StudyProfile,
)
from tests.factories import (
    PASSWORD,
    CardHoldFactory,
    CardStateFactory,
    QuestionReportFactory,
    QuizAttemptFactory,
    ReviewLogFactory,
    ScheduleFitFactory,
    StudyProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_the_username_email_and_its_links(learner_client, user):
    response = learner_client.get(reverse("account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert user.username in html
    assert user.email in html
    assert reverse("password_change") in html
    assert reverse("quizzes:progress_export") in html
    assert "delete_form" in response.context


def test_the_username_in_the_navigation_links_to_the_account_page(learner_client, user):
    response = learner_client.get(reverse("quizzes:study"))
    account = response.context["account_item"]
    assert account.label == user.username
    assert account.url == reverse("account")
    assert f'href="{reverse("account")}"' in response.content.decode()


def test_the_account_page_is_for_learners_only(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _everything_of(user):
    card = CardStateFactory.create(user=user)
    ReviewLogFactory.create(user=user, question=card.question)
    CardHoldFactory.create(user=user, question=card.question)
    CardEdit.objects.create(
        user=user,
        question=card.question,
        kind="forget",
        made_at=card.created_at,
        previous_card={},
    )
    QuizAttemptFactory.create(user=user)
    StudyProfileFactory.create(user=user)
    ScheduleFitFactory.create(user=user)
    return QuestionReportFactory.create(user=user, question=card.question, response="Kyiv, my home")


def test_deleting_the_account_with_the_password_deletes_all_of_it_and_logs_out(
    learner_client, user
):
    report = _everything_of(user)
    other = UserFactory.create()
    _everything_of(other)
    response = learner_client.post(
        reverse("account_delete"), {"delete-password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account and everything in it are deleted." in response.content.decode()
    assert "_auth_user_id" not in learner_client.session
    assert not User.objects.filter(pk=user.pk).exists()
    for model in (
        CardState,
        ReviewLog,
        CardHold,
        CardEdit,
        QuizAttempt,
        StudyProfile,
        ScheduleFit,
    ):
        assert model.objects.count() == 1, model  # the other learner's only
    assert (
        AttemptAnswer.objects.filter(attempt__user=other).count() == AttemptAnswer.objects.count()
    )
    # The report stays for the Editors, without the learner.
    report.refresh_from_db()
    assert report.user is None
    assert report.response == ""  # what the learner answered was theirs
    assert report.comment  # what is wrong with the question stays
    assert QuestionReport.objects.filter(user=other, response="Kyiv, my home").count() == 1


def test_a_wrong_password_deletes_nothing_and_says_so_beside_the_field(learner_client, user):
    _everything_of(user)
    response = learner_client.post(reverse("account_delete"), {"delete-password": "not it"})
    assert response.status_code == 400
    assert response.context["delete_form"].errors["password"] == ["That is not your password."]
    # The cursor is on the field, beside its message at the page's foot (an outside audit: the
    # page came back scrolled to its top, the message out of view).
    (focused,) = [
        tag for tag in re.findall(r"<input[^>]*>", response.content.decode()) if "autofocus" in tag
    ]
    assert 'name="delete-password"' in focused
    assert User.objects.filter(pk=user.pk).exists()
    assert CardState.objects.filter(user=user).exists()
    assert learner_client.session["_auth_user_id"] == str(user.pk)


def test_deleting_the_account_refuses_a_get(learner_client, user):
    assert learner_client.get(reverse("account_delete")).status_code == 405
    assert User.objects.filter(pk=user.pk).exists()
