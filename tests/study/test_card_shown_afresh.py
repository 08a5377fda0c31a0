"""A card left open for more than a day (its signed token older than CARD_TOKEN_MAX_AGE) is shown
afresh, saying so, with or without JavaScript; nothing is recorded. Before, "Show answer" and the
ratings answered 400: with htmx nothing happened at all, without it the page said the card "was
not shown to you" (an outside audit). Any other 400 under htmx now loads the page afresh too."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import BadRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from learnfrl.views import bad_request
from quizzes.models import CardState, ReviewLog
from quizzes.reports.forms import StudyReportForm
from quizzes.study.forms import (
    CARD_NOT_SHOWN,
    CardAnswerForm,
    CardShownAfresh,
    ClaimForm,
    HoldForm,
    RatingForm,
)
from quizzes.study.notices import CARD_SHOWN_AFRESH
from quizzes.study.tokens import CARD_TOKEN_MAX_AGE
from tests.factories import ponomarev_question
from tests.helpers import HX, token_of

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
A_DAY_AND_A_MINUTE = timedelta(seconds=CARD_TOKEN_MAX_AGE + 60)


@pytest.fixture
def typed(db):
    return ponomarev_question()


def front(client) -> str:
    return client.get(reverse("quizzes:study")).content.decode()


def back(client, token: str, htmx: bool) -> str:
    response = client.post(
        reverse("quizzes:study_answer"),
        {"token": token, "response": "Ilya Ponomarev"},
        headers=HX if htmx else {},
    )
    assert response.status_code == 200
    return token_of(response.content.decode())


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("quizzes:study_answer", {"response": "Ilya Ponomarev"}),
        ("quizzes:study_claim", {"response": "Ilya Ponomarev"}),
        ("quizzes:study_hold", {"action": "bury"}),
    ],
)
def test_a_front_left_open_for_a_day_is_shown_afresh(
    learner_client, typed, frozen, url, data, htmx
):
    token = token_of(front(learner_client))
    frozen.shift(A_DAY_AND_A_MINUTE)
    response = learner_client.post(
        reverse(url), {"token": token, **data}, headers=HX if htmx else {}
    )
    if htmx:
        assert response.status_code == 200
        assert response.context_data["side"] == "front"
        assert response.context_data["notice"] == CARD_SHOWN_AFRESH
        assert token_of(response.content.decode()) != token
    else:
        assert (response.status_code, response.url) == (302, reverse("quizzes:study"))
        page = learner_client.get(response.url).content.decode()
        assert CARD_SHOWN_AFRESH in page
    assert not CardState.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_rating_of_a_back_left_open_for_a_day_records_nothing(
    learner_client, typed, frozen, htmx
):
    token = back(learner_client, token_of(front(learner_client)), htmx)
    frozen.shift(A_DAY_AND_A_MINUTE)
    response = learner_client.post(
        reverse("quizzes:study_review"), {"token": token, "rating": 3}, headers=HX if htmx else {}
    )
    assert response.status_code == (200 if htmx else 302)
    assert not ReviewLog.objects.exists()
    # Shown afresh, the card is rated as any other.
    fresh = token_of(front(learner_client))
    rated = learner_client.post(
        reverse("quizzes:study_review"), {"token": back(learner_client, fresh, htmx), "rating": 3}
    )
    assert rated.status_code == 302
    assert ReviewLog.objects.count() == 1


def test_a_card_of_one_category_is_shown_afresh_in_its_category(learner_client, typed, frozen):
    category = reverse("quizzes:study_category", args=[typed.category.slug])
    token = token_of(learner_client.get(category).content.decode())
    frozen.shift(A_DAY_AND_A_MINUTE)
    response = learner_client.post(reverse("quizzes:study_answer"), {"token": token})
    assert (response.status_code, response.url) == (302, category)


def test_another_learners_old_card_is_still_no_card_of_yours(
    learner_client, other_user, typed, frozen
):
    other = Client()
    other.force_login(other_user)
    token = token_of(front(other))
    frozen.shift(A_DAY_AND_A_MINUTE)
    response = learner_client.post(reverse("quizzes:study_answer"), {"token": token})
    assert response.status_code == 400
    assert CARD_NOT_SHOWN in response.content.decode()


def test_a_bad_request_under_htmx_loads_the_page_afresh_saying_what_was_wrong(
    learner_client, typed
):
    response = learner_client.post(
        reverse("quizzes:study_answer"), {"token": "forged", "response": "x"}, headers=HX
    )
    assert response.status_code == 400
    assert response["HX-Refresh"] == "true"
    page = learner_client.get(reverse("quizzes:study")).content.decode()
    assert CARD_NOT_SHOWN in page
    plain = learner_client.post(reverse("quizzes:study_answer"), {"token": "forged"})
    assert plain.status_code == 400
    assert "HX-Refresh" not in plain


@pytest.mark.parametrize(
    "form_class", [CardAnswerForm, ClaimForm, RatingForm, HoldForm, StudyReportForm]
)
def test_every_card_form_refuses_an_old_card_as_a_bad_request(user, typed, frozen, form_class):
    """The report's form reads a card's token too, and an old one there was a 500 (an outside
    review): an old card is a BadRequest wherever it is read, so a view that does not show it
    afresh answers a 400 saying why, never a 500."""
    other = Client()
    other.force_login(user)
    token = token_of(front(other))
    frozen.shift(A_DAY_AND_A_MINUTE)
    form = form_class({"token": token, "rating": 3, "action": "bury"}, user_id=user.pk)
    with pytest.raises(BadRequest, match="open for more than a day") as refused:
        form.cleaned_or_bad_request()
    assert isinstance(refused.value, CardShownAfresh)
    assert refused.value.scope == ""
    answered = bad_request(RequestFactory().get("/"), refused.value)
    assert answered.status_code == 400
    assert "open for more than a day" in answered.content.decode()
