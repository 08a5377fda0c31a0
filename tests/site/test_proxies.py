"""The client address behind proxies: decided once, used by every limit and the lock-out."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from learnfrl.accounts.users import User
from learnfrl.clientip import UNKNOWN_CLIENT, client_ip_from
from tests.factories import PASSWORD

PROXY = "10.0.0.5"
EDGE = "10.0.1.7"
TRUSTED = ("10.0.0.0/24", "10.0.1.7")


# --- the rule, as a pure function ---------------------------------------------------------------


def test_an_untrusted_connection_is_the_client_whatever_the_headers_say():
    assert client_ip_from("203.0.113.9", "198.51.100.1", TRUSTED) == "203.0.113.9"
    assert client_ip_from("203.0.113.9", "10.0.0.5, 1.2.3.4", ()) == "203.0.113.9"


def test_through_a_trusted_proxy_the_client_is_the_right_most_untrusted_address():
    # The client forged the first entry; the proxy appended the address it really saw.
    assert client_ip_from(PROXY, "6.6.6.6, 198.51.100.1", TRUSTED) == "198.51.100.1"


def test_a_chain_of_two_trusted_proxies_is_walked_through():
    # client -> edge proxy (10.0.1.7) -> inner proxy (10.0.0.5) -> app
    assert client_ip_from(PROXY, "198.51.100.1, 10.0.1.7", TRUSTED) == "198.51.100.1"
    assert client_ip_from(PROXY, "7.7.7.7, 198.51.100.1, 10.0.1.7", TRUSTED) == "198.51.100.1"


def test_a_trusted_proxy_without_the_header_is_itself_the_client():
    assert client_ip_from(PROXY, "", TRUSTED) == PROXY


def test_junk_in_the_header_never_becomes_the_client():
    assert client_ip_from(PROXY, "not-an-address", TRUSTED) == PROXY
    assert client_ip_from(PROXY, "198.51.100.1, <script>", TRUSTED) == PROXY


def test_ipv6_and_ipv4_mapped_addresses():
    assert client_ip_from("::ffff:203.0.113.9", "", ()) == "203.0.113.9"
    assert client_ip_from("fd00::1", "2001:db8::7", ("fd00::/8",)) == "2001:db8::7"


def test_a_unix_socket_is_one_unknown_client_unless_trusted():
    assert client_ip_from("", "198.51.100.1", ()) == UNKNOWN_CLIENT
    assert client_ip_from("", "198.51.100.1", ("unix",)) == "198.51.100.1"
    assert client_ip_from("", "", ("unix",)) == UNKNOWN_CLIENT


# --- through the whole stack ---------------------------------------------------------------------


def _fail_log_in(client, username, times, **headers):
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong"}, **headers)


@pytest.mark.django_db
def test_spoofed_headers_from_an_untrusted_client_change_nothing(settings, user):
    settings.TRUSTED_PROXIES = []
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    # Each guess claims a new address; the lock-out still falls on the connection's address.
    for n in range(5):
        attacker.post(
            reverse("login"),
            {"username": user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    response = attacker.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_through_a_trusted_proxy_locking_one_client_out_does_not_lock_the_other(settings, user):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44")
    _fail_log_in(attacker, user.username, 5)
    locked = attacker.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    response = owner.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"


@pytest.mark.django_db
def test_through_a_chain_of_two_proxies_the_real_clients_are_told_apart(settings, user):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "10.0.1.7"]
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.1.7")
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44, 10.0.1.7")
    _fail_log_in(attacker, user.username, 5)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"
    response = owner.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_ups_through_a_trusted_proxy_are_counted_per_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    def sign_up(client, name):
        data = {"username": name, "password1": "violet-harbour-4821"}
        return client.post(reverse("signup"), {**data, "password2": data["password1"]})

    busy = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for n in range(10):
        assert sign_up(busy, f"busy{n}").status_code == 302
        busy.post(reverse("logout"))
    assert sign_up(busy, "busy-too-many").status_code == 429
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert sign_up(other, "someone-else").status_code == 302
    assert User.objects.filter(username="someone-else").exists()


@pytest.mark.django_db
def test_a_unix_socket_connection_without_a_trusted_proxy_never_causes_a_500(settings, user):
    settings.TRUSTED_PROXIES = []
    socket_client = Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="198.51.100.1")
    data = {"username": "via-socket", "password1": "violet-harbour-4821"}
    response = socket_client.post(reverse("signup"), {**data, "password2": data["password1"]})
    assert response.status_code == 302
    socket_client.post(reverse("logout"))
    _fail_log_in(socket_client, user.username, 5)
    assert AccessAttempt.objects.get().ip_address == UNKNOWN_CLIENT
    response = socket_client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_log_lines_name_the_decided_client(settings, client, caplog):
    settings.TRUSTED_PROXIES = [PROXY]
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/no-such-page/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.client_ip == "198.51.100.1"
