"""Sign-up, log-in, log-out, password change and reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from learnfrl.accounts.users import User
from tests.factories import PASSWORD, UserFactory, address_verified
from tests.helpers import ROOT

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "violet-harbour-4821"


def signup(client, **overrides):
    data = {
        "username": "newlearner",
        "email": "",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }
    return client.post(reverse("signup"), data)


def test_signup_page_labels_its_fields(client):
    response = client.get(reverse("signup"))
    html = response.content.decode()
    for label in ("Username", "Password", "Password confirmation", "E-mail (optional)"):
        assert f">{label}</label>" in html
    assert ">Sign up</button>" in html


def test_signup_creates_the_user_logs_them_in_and_goes_to_study(client):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("quizzes:study")
    user = User.objects.get(username="newlearner")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("quizzes:study")).status_code == 200


def test_signup_with_mismatched_passwords_shows_the_error_beside_the_field(client):
    response = signup(client, password2="something-else-9921")
    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    assert not User.objects.filter(username="newlearner").exists()


def test_signup_shown_again_puts_the_cursor_on_the_first_field_in_error(client):
    """Not on the username, above the fold, when the one error is the second password's (an
    outside audit on a 360 px phone)."""
    form = signup(client, password2="something-else-9921").context["form"]
    focused = [name for name, field in form.fields.items() if field.widget.attrs.get("autofocus")]
    assert focused == ["password2"]
    fresh = client.get(reverse("signup")).context["form"]
    assert fresh.fields["username"].widget.attrs.get("autofocus")


def test_signup_with_weak_password_is_refused(client):
    response = signup(client, password1="password", password2="password")
    html = response.content.decode()
    assert "This password is too common." in html
    assert not User.objects.filter(username="newlearner").exists()


def test_signup_with_taken_username_is_refused(client):
    UserFactory.create(username="newlearner")
    response = signup(client)
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username="newlearner").count() == 1


@pytest.mark.parametrize(
    "look_alike",
    [
        "\N{CYRILLIC SMALL LETTER A}lice",  # a Cyrillic letter among Latin ones
        "b\N{GREEK SMALL LETTER OMICRON}b",  # a Greek one
    ],
)
def test_signup_refuses_a_name_mixing_alphabets_whose_letters_look_alike(client, look_alike):
    """A Cyrillic "a" for the Latin one signed up beside "alice" (an outside audit): the two
    names read the same."""
    UserFactory.create(username="alice")
    response = signup(client, username=look_alike)
    assert response.status_code == 200
    assert response.context["form"].has_error("username", code="confusable")
    assert "Please write it in one alphabet." in response.content.decode()
    assert not User.objects.filter(username=look_alike).exists()


@pytest.mark.parametrize(
    "name",
    [
        "Дмитрий",
        "李雷",
        "Ἀλέξανδρος",
        "Sofía-López_2",
        # Japanese names mix Han with kana, which the library counts as mixed scripts.
        "山田たろう",
        "高橋エリカ",
    ],
)
def test_signup_accepts_a_name_written_in_one_writing_system(client, name):
    assert signup(client, username=name).status_code == 302
    assert User.objects.filter(username=name).exists()


def test_signup_keeps_an_optional_email(client):
    signup(client, email="me@example.com")
    assert User.objects.get(username="newlearner").email == "me@example.com"


def test_log_in_and_log_out(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).url == reverse("quizzes:study")

    page = client.get(reverse("quizzes:study")).content.decode()
    assert ">Log out</button>" in page
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_log_in_with_wrong_password_says_so(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_log_out_is_refused_on_get(learner_client):
    assert learner_client.get(reverse("logout")).status_code == 405


def test_anonymous_visitor_is_sent_to_log_in_from_a_private_page(client):
    response = client.get(reverse("quizzes:study"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('quizzes:study')}"


def test_landing_page_explains_the_app_to_visitors(client):
    html = client.get(reverse("home")).content.decode()
    assert "flashcards" in html
    assert f'href="{reverse("signup")}"' in html
    assert f'href="{reverse("login")}"' in html


def test_password_change(learner_client, user):
    response = learner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_the_password_reset_page_says_e_mail_as_the_rest_of_the_site(client):
    """Its field read "Email", Django's word, where every other page says "E-mail"."""
    html = client.get(reverse("password_reset")).content.decode()
    assert re.search(r'<label for="id_email">E-mail:?</label>', html)


def test_password_reset_sends_a_link_to_the_learners_address(client, user):
    address_verified(user)
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_the_password_reset_pages_say_a_link_goes_only_to_a_verified_address(client):
    """They asked for "the e-mail address you gave when you signed up" (an outside test), but
    an address is optional there, can be added later, and no reset goes to one not verified."""
    html = client.get(reverse("password_reset")).content.decode()
    assert "when you signed up" not in html
    assert "Enter the e-mail address on your account" in html
    assert "The link is sent only to an address you have verified" in html
    done = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "If an account has that address and it has been verified" in done.content.decode()


def new_password_page(client, user) -> str:
    """The address of the reset's new-password form, as the reader of its e-mail reaches it."""
    address_verified(user)
    client.post(reverse("password_reset"), {"email": user.email})
    found = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", str(mail.outbox[-1].body))
    assert found is not None
    url: str = client.get(found.group(1), follow=True).redirect_chain[-1][0]
    return url


@pytest.mark.parametrize(
    ("data", "errored"),
    [
        ({"new_password1": GOOD_PASSWORD, "new_password2": "something-else-9921"}, "new_password2"),
        ({"new_password1": "", "new_password2": GOOD_PASSWORD}, "new_password1"),
    ],
)
def test_a_refused_new_password_puts_the_cursor_on_the_first_field_in_error(
    client, user, data, errored
):
    """Focus was left on the page's body, the error unannounced (an outside test)."""
    url = new_password_page(client, user)
    form = client.post(url, data).context["form"]
    focused = [name for name, field in form.fields.items() if field.widget.attrs.get("autofocus")]
    assert focused == [errored]
    assert not User.objects.get(pk=user.pk).check_password(GOOD_PASSWORD)


def test_base_layout_has_navigation_and_credits_the_article(learner_client):
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert 'aria-label="Main"' in html
    assert "CC" in html or "Creative Commons" in html
    assert "Freedom of Russia Legion" in html
    assert "hx-headers" in html
    assert "<script>" not in html


def test_staff_see_the_admin_link_and_learners_do_not(client):
    staff = UserFactory.create(is_staff=True)
    client.force_login(staff)
    assert 'href="/admin/"' in client.get(reverse("quizzes:study")).content.decode()
    client.force_login(UserFactory.create())
    assert 'href="/admin/"' not in client.get(reverse("quizzes:study")).content.decode()


def test_the_user_model_is_imported_from_django_in_one_place():
    pattern = re.compile(r"from django\.contrib\.auth\.models import .*\bUser\b")
    importing = sorted(
        str(path.relative_to(ROOT))
        for folder in ("learnfrl", "quizzes", "bench", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    )
    assert importing == ["learnfrl/accounts/users.py"]
