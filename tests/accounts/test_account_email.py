"""The account page sets, changes or removes the address a password reset goes to, the password
given again. A learner who skipped it at sign-up could never add one (an outside audit), and so
could never reset a forgotten password."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.html import Element, elements

pytestmark = pytest.mark.django_db

URL = reverse("account_email")


def post(client, email, password=PASSWORD):
    return client.post(URL, {"address-email": email, "address-password": password})


def test_an_address_is_added_and_the_page_says_so(learner_client, user):
    response = post(learner_client, "learner@example.org")
    assert (response.status_code, response.url) == (302, reverse("account"))
    user.refresh_from_db()
    assert user.email == "learner@example.org"
    page = learner_client.get(reverse("account")).content.decode()
    assert "Your e-mail address is saved." in page
    # Not verified until the link mailed to it is followed (test_email_verification.py).
    assert "We sent a link to learner@example.org" in page
    assert 'value="learner@example.org"' in page


def test_an_empty_address_removes_it(learner_client, user):
    user.email = "old@example.org"
    user.save()
    assert post(learner_client, "").status_code == 302
    user.refresh_from_db()
    assert user.email == ""


@pytest.mark.parametrize(
    ("email", "password", "error"),
    [
        ("learner@example.org", "not the password", "That is not your password."),
        ("learner@example.org", "", "This field is required."),
        ("not an address", PASSWORD, "Enter a valid email address."),
        # Past the account's column (254): a 500 on PostgreSQL before (an outside review).
        (
            "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".example",
            PASSWORD,
            "Ensure this value has at most 254 characters",
        ),
    ],
)
def test_a_wrong_password_or_address_changes_nothing(learner_client, user, email, password, error):
    user.email = "kept@example.org"
    user.save()
    response = post(learner_client, email, password)
    assert response.status_code == 400
    assert error in response.content.decode()
    # The first field in error has the cursor, as on the sign-up page.
    errored = "address-password" if "password" in error or "required" in error else "address-email"
    assert "autofocus" in response.context["email_form"][errored.split("-")[1]].field.widget.attrs
    user.refresh_from_db()
    assert user.email == "kept@example.org"


def inputs_by_form(page):
    """Each form's action and its inputs (forms are never nested: an input is the last form's)."""
    forms: dict[str | None, list[Element]] = {}
    action = None
    for element in elements(page):
        if element.tag == "form":
            action = element.attrs.get("action")
            forms[action] = []
        elif element.tag == "input" and action is not None:
            forms[action].append(element)
    return forms


def test_the_two_password_forms_cannot_be_taken_for_each_other(learner_client, user):
    """The e-mail and deletion forms each ask for the password: each field's id, name and label
    say which action it confirms (an outside tester feared one label and id for both), and each
    form names the account, unsent, for a password manager."""
    page = learner_client.get(reverse("account")).content.decode()
    ids = [e.attrs["id"] for e in elements(page) if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    labels = {e.attrs["for"]: e.text for e in elements(page) if e.tag == "label"}
    forms = inputs_by_form(page)
    expected = {
        URL: ("address-password", "Your password, to save the e-mail"),
        reverse("account_delete"): ("delete-password", "Your password, to delete your account"),
    }
    for action, (name, label) in expected.items():
        (password,) = [e for e in forms[action] if e.attrs.get("type") == "password"]
        assert password.attrs["name"] == name
        assert password.attrs["autocomplete"] == "current-password"
        assert labels[password.attrs["id"]] == label
        (account,) = [e for e in forms[action] if e.attrs.get("autocomplete") == "username"]
        assert account.attrs["value"] == user.username
        assert "name" not in account.attrs
        assert "hidden" in account.attrs


def test_a_visitor_is_sent_to_log_in(client):
    response = post(client, "x@example.org")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_address_field_says_what_it_holds(learner_client):
    page = learner_client.get(reverse("account")).content.decode()
    field = next(e for e in elements(page) if e.attrs.get("name") == "address-email")
    assert field.attrs["autocomplete"] == "email"
    assert field.attrs["maxlength"] == "254"
