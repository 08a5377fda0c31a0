"""Rejecting several phrasings at once, for one reason, from the claims' list: asked first on a
page naming them, each phrasing decided whole as the queue decides it."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from quizzes.enums import ClaimStatus
from quizzes.models import AnswerClaim
from tests.factories import AnswerClaimFactory, QuestionFactory, UserFactory
from tests.html import find

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")
CLAIMS = "admin:quizzes_answerclaim_changelist"


@pytest.fixture
def claims(db):
    """ "27 Febuary 2022" given by two learners, "27 Feb. 2022" by one (claimed right), and
    "28 February 2022" by one, all of one fact."""
    question = QuestionFactory.create()
    return {
        "febuary": AnswerClaimFactory.create(question=question),
        "febuary, again": AnswerClaimFactory.create(question=question),
        "feb.": AnswerClaimFactory.create(question=question, response="27 Feb. 2022", claimed=True),
        "28": AnswerClaimFactory.create(question=question, response="28 February 2022"),
    }


def act(client, selected, **extra):
    return client.post(
        reverse(CLAIMS),
        {"action": "reject_phrasings", ACTION_CHECKBOX_NAME: [c.pk for c in selected], **extra},
    )


def statuses():
    return {c.response: c.status for c in AnswerClaim.objects.all()}


def test_the_action_asks_first_naming_each_phrasing_once(editor_client, claims):
    response = act(editor_client, [claims["febuary"], claims["febuary, again"], claims["feb."]])
    assert response.status_code == 200
    listed = [(p.response, p.claims, p.learners) for p in response.context_data["phrasings"]]
    assert listed == [("27 Feb. 2022", 1, 1), ("27 Febuary 2022", 2, 2)]
    text = find(response.content.decode(), "table", id="rejected-phrasings").text
    assert "“27 Febuary 2022”" in text
    assert not AnswerClaim.objects.exclude(status=ClaimStatus.PENDING).exists()


def test_one_reason_rejects_each_phrasing_whole_and_no_other(editor_client, claims):
    """One claim of "27 Febuary 2022" selected: its other learner's claim closes with it."""
    response = act(
        editor_client,
        [claims["febuary"], claims["feb."]],
        post="yes",
        reason="  Not the article's spelling of the date.  ",
    )
    assert response.status_code == 302
    assert statuses() == {
        "27 Febuary 2022": ClaimStatus.REJECTED,
        "27 Feb. 2022": ClaimStatus.REJECTED,
        "28 February 2022": ClaimStatus.PENDING,
    }
    rejected = AnswerClaim.objects.filter(status=ClaimStatus.REJECTED)
    assert rejected.count() == 3
    assert {c.reason for c in rejected} == {"Not the article's spelling of the date."}
    said = [str(m) for m in response.wsgi_request._messages]
    assert said == ["Rejected 2 phrasings (3 claims)."]


@pytest.mark.parametrize("reason", ["", "   "])
def test_no_reason_asks_again_and_rejects_nothing(editor_client, claims, reason):
    response = act(editor_client, [claims["febuary"]], post="yes", reason=reason)
    assert response.status_code == 200
    field = find(response.content.decode(), "textarea", name="reason")
    assert field.attrs["aria-invalid"] == "true"
    assert "Say why the phrasings are rejected" in response.content.decode()
    assert not AnswerClaim.objects.exclude(status=ClaimStatus.PENDING).exists()


def test_claims_decided_already_are_left_as_they_are(editor_client, claims):
    AnswerClaim.objects.filter(pk=claims["28"].pk).update(
        status=ClaimStatus.ACCEPTED, decided_at=NOW
    )
    response = act(editor_client, [claims["28"]], post="yes", reason="Wrong day.")
    said = [str(m) for m in response.wsgi_request._messages]
    assert said == ["None of the selected claims is waiting: nothing was rejected."]
    assert statuses()["28 February 2022"] == ClaimStatus.ACCEPTED


def test_only_those_who_may_decide_are_offered_the_action(client, editor_client, claims):
    html = editor_client.get(reverse(CLAIMS)).content.decode()
    assert find(html, "option", value="reject_phrasings")
    reader = UserFactory.create(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_answerclaim"))
    client.force_login(reader)
    assert "reject_phrasings" not in client.get(reverse(CLAIMS)).content.decode()
    act(client, [claims["febuary"]], post="yes", reason="Not allowed.")
    assert not AnswerClaim.objects.exclude(status=ClaimStatus.PENDING).exists()


def test_going_back_returns_to_the_list_as_it_was_filtered(editor_client, claims):
    """ "No, go back" led to the whole list, the editor's search and filters lost."""
    url = reverse(CLAIMS) + "?q=febuary&status__exact=pending"
    response = editor_client.post(
        url,
        {"action": "reject_phrasings", ACTION_CHECKBOX_NAME: [claims["febuary"].pk]},
    )
    back = find(response.content.decode(), "a", href=url)
    assert back.text == "No, go back to the claims"


def test_a_claims_own_page_decides_nothing(editor_client, claims):
    """Its reason box let an editor blank a rejection's reason, which the queue insists on, or
    write one on a claim still waiting (an outside tester): a claim is decided on the queue."""
    claim = claims["febuary"]
    url = reverse("admin:quizzes_answerclaim_change", args=[claim.pk])
    page = editor_client.get(url).content.decode()
    assert 'name="reason"' not in page
    editor_client.post(url, {"reason": "Decided here.", "_save": "Save"})
    claim.refresh_from_db()
    assert (claim.status, claim.reason) == (ClaimStatus.PENDING, "")
