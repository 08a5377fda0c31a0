"""The client address behind proxies: decided once, used by every limit and the lock-out."""

import ipaddress
import logging

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from learnfrl import clientip
from learnfrl.accounts.users import User
from learnfrl.checks import check_proxies
from learnfrl.clientip import (
    OPAQUE_CLIENTS,
    UNKNOWN_CLIENT,
    client_ip,
    client_ip_from,
    opaque_client,
    trusted_networks,
)
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
    assert client_ip_from(PROXY, None, TRUSTED) == PROXY


def test_junk_in_the_header_is_a_client_of_its_own_never_the_proxy():
    junk = client_ip_from(PROXY, "not-an-address", TRUSTED)
    assert junk != PROXY
    assert ipaddress.ip_address(junk) in OPAQUE_CLIENTS
    assert client_ip_from(PROXY, "198.51.100.1, <script>", TRUSTED) == opaque_client("<script>")
    # Two different identifiers are two clients; the same one is always the same client.
    assert client_ip_from(PROXY, "_hidden", TRUSTED) != client_ip_from(PROXY, "_other", TRUSTED)
    assert client_ip_from(PROXY, "_hidden", TRUSTED) == client_ip_from(PROXY, "_hidden", TRUSTED)


@pytest.mark.parametrize(
    ("entry", "client"),
    [
        ("198.51.100.1:5678", "198.51.100.1"),  # Azure Application Gateway's default
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[::ffff:198.51.100.1]:80", "198.51.100.1"),
    ],
)
def test_every_proxys_address_format_is_read(entry, client):
    assert client_ip_from(PROXY, entry, TRUSTED) == client
    assert client_ip_from(PROXY, f"6.6.6.6, {entry}, 10.0.1.7:1234", TRUSTED) == client


@pytest.mark.parametrize("entry", ["unknown", "_gw-obfuscated", "1.2.3.4:port", "[2001:db8::1"])
def test_an_unparseable_entry_is_never_taken_for_the_proxy(entry):
    assert client_ip_from(PROXY, f"198.51.100.1, {entry}", TRUSTED) not in {PROXY, EDGE}


@pytest.mark.parametrize(
    "entry", ["127.0.0.1%x", "10.0.1.7%eth0", "[10.0.1.7]", "[10.0.1.7]:80", "::ffff:10.0.1.7%x"]
)
def test_ipv4_in_an_ipv6_only_shape_is_junk_not_the_proxy(entry):
    """A zone and brackets belong to IPv6 addresses; an outside audit found "[10.0.1.7]" and
    "10.0.1.7%x" read as the trusted proxy they spell."""
    assert client_ip_from(PROXY, f"198.51.100.1, {entry}", TRUSTED) not in {PROXY, EDGE}
    assert client_ip_from(PROXY, entry, TRUSTED) == opaque_client(entry)


def test_an_ipv6_zone_is_still_read():
    assert client_ip_from(PROXY, "fe80::1%eth0", TRUSTED) == "fe80::1"
    assert client_ip_from(PROXY, "[fe80::1%eth0]:443", TRUSTED) == "fe80::1"


@pytest.mark.parametrize("listed", ["::ffff:10.0.0.5", "::ffff:10.0.0.0/120", "::FFFF:a00:5"])
def test_a_proxy_listed_in_ipv4_mapped_form_is_trusted(listed):
    """A connection's IPv4-mapped address is read as IPv4, so a listed one is too: it matched
    nothing, and every client looked like the proxy."""
    assert client_ip_from(PROXY, "198.51.100.1", (listed,)) == "198.51.100.1"
    assert client_ip_from(f"::ffff:{PROXY}", "198.51.100.1", (listed,)) == "198.51.100.1"
    assert client_ip_from("10.0.9.9", "198.51.100.1", (listed,)) == "10.0.9.9"


@pytest.mark.parametrize(
    "listed", [("::ffff:0:0/96",), ("::/80",), ("::ffff:0.0.0.0/97", "128.0.0.0/1")]
)
def test_trusting_every_ipv4_address_in_mapped_form_is_refused(listed):
    with pytest.raises(ImproperlyConfigured, match="trusts every address"):
        trusted_networks(listed)


@pytest.mark.parametrize("header", ["", " ", " , ", ",", "198.51.100.1, "])
def test_a_blank_entry_from_a_trusted_proxy_is_not_the_proxy(header):
    """A header there but blank holds no address: a client of its own, as any entry that holds
    none (it was the proxy's own address: every such client one client)."""
    assert client_ip_from(PROXY, header, TRUSTED) not in {PROXY, EDGE, "198.51.100.1"}
    assert client_ip_from(PROXY, None, TRUSTED) == PROXY  # no header: the proxy's own request


def test_an_empty_header_as_a_server_hands_it_over_is_not_the_proxy(rf, settings):
    # gunicorn and runserver strip a header's spaces: "X-Forwarded-For: " arrives as "", which
    # was read as no header at all, and so as the proxy's own request.
    settings.TRUSTED_PROXIES = [PROXY]
    empty = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="")
    assert client_ip(empty) not in {PROXY, EDGE}
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY


@pytest.mark.parametrize(
    "listed",
    [("0.0.0.0/1", "128.0.0.0/1"), ("10.0.0.5", "::/1", "8000::/1"), (" 0.0.0.0/0 ",)],
)
def test_trusting_every_address_in_several_ranges_is_refused(listed):
    with pytest.raises(ImproperlyConfigured, match="trusts every address"):
        trusted_networks(listed)


@pytest.mark.parametrize("everyone", ["0.0.0.0/0", "::/0"])
def test_trusting_every_address_is_refused(everyone):
    with pytest.raises(ImproperlyConfigured, match="trusts every address"):
        trusted_networks(("10.0.0.5", everyone))


def test_ipv6_and_ipv4_mapped_addresses():
    assert client_ip_from("::ffff:203.0.113.9", "", ()) == "203.0.113.9"
    assert client_ip_from("fd00::1", "2001:db8::7", ("fd00::/8",)) == "2001:db8::7"


def test_a_unix_socket_is_one_unknown_client_unless_trusted():
    assert client_ip_from("", "198.51.100.1", ()) == UNKNOWN_CLIENT
    assert client_ip_from("", "198.51.100.1", ("unix",)) == "198.51.100.1"
    assert client_ip_from("", None, ("unix",)) == UNKNOWN_CLIENT


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


@pytest.mark.django_db
def test_five_failures_through_a_port_writing_proxy_lock_out_only_that_client(settings, user):
    # Behind a proxy that writes "address:port", every client used to be the proxy.
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1:40001")
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44:51234")
    _fail_log_in(attacker, user.username, 5)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"
    response = owner.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_forwarded_headers_from_an_untrusted_peer_are_logged_once(settings, client, caplog):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    clientip._warned_untrusted_forwarding = False
    with caplog.at_level(logging.WARNING, logger="learnfrl.clientip"):
        for _ in range(3):
            client.get("/ping", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
        client.get("/ping", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    said = [r for r in caplog.records if "not in TRUSTED_PROXIES" in r.getMessage()]
    assert len(said) == 1
    assert "10.9.9.9" in said[0].getMessage()


# --- check --deploy ------------------------------------------------------------------------------


def test_deploy_check_warns_of_an_https_proxy_that_is_not_trusted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    assert [m.id for m in check_proxies()] == ["learnfrl.W003"]
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert check_proxies() == []


@pytest.mark.parametrize("broad", ["0.0.0.0/1", "64.0.0.0/7", "2000::/3"])
def test_deploy_check_warns_of_a_public_range_wider_than_any_proxy_fleet(settings, broad):
    settings.TRUSTED_PROXIES = ["10.0.0.5", broad]
    assert [m.id for m in check_proxies()] == ["learnfrl.W006"]


def test_private_ranges_and_a_providers_edge_are_trusted_without_a_warning(settings):
    # A private network, loopback, and ranges of the size a CDN's edge is given.
    settings.TRUSTED_PROXIES = [
        "10.0.0.0/8",
        "fc00::/7",
        "127.0.0.1",
        "104.16.0.0/12",
        "2a06:98c0::/29",
    ]
    assert check_proxies() == []


@pytest.mark.django_db
def test_deploy_check_warns_once_a_request_came_over_an_untrusted_unix_socket(settings, client):
    settings.TRUSTED_PROXIES = []
    clientip._noted_unix_socket = False
    assert check_proxies() == []
    # gunicorn gives a request over a Unix socket an empty REMOTE_ADDR.
    client.get("/ping", REMOTE_ADDR="")
    assert [m.id for m in check_proxies()] == ["learnfrl.W004"]
    settings.TRUSTED_PROXIES = ["unix"]
    assert check_proxies() == []


def test_deploy_check_warns_of_gunicorn_bound_to_a_socket(settings, monkeypatch):
    settings.TRUSTED_PROXIES = []
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--bind unix:/run/learnfrl.sock")
    assert [m.id for m in check_proxies()] == ["learnfrl.W004"]
