"""The account pause cannot be bought cheaply, and cannot be multiplied or kept by a stranger:
only attempts that reach a password check count; the owner ends it (a completed reset, a log-in
from a known browser); its counter and the known-device cookie name one account, whatever the
spelling; and a reset-mail budget cannot be spent by one client."""

import hashlib
import io
import json
import re
import threading
from types import SimpleNamespace
from unittest.mock import patch

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.db.models.query import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learnfrl.accounts.devices import COOKIE
from learnfrl.accounts.limits import account_ident, limit_reserve
from learnfrl.accounts.users import User
from tests.factories import PASSWORD, UserFactory, address_verified

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-4821-new"
FULL_WIDTH = "\uff45\uff52\uff49\uff4e"  # "erin" in full-width letters
BOLD = "\U0001d41e\U0001d42b\U0001d422\U0001d427"  # "erin" in mathematical bold
LOOK_ALIKE = "te\u1e9ea"  # "teẞa", capital sharp s: it case-folds to "tessa"


def log_in(client, username, password="wrong"):
    return client.post(reverse("login"), {"username": username, "password": password})


def pause(user_or_name, times, *, prefix="198.51.100"):
    name = getattr(user_or_name, "username", user_or_name)
    for n in range(times):
        log_in(Client(REMOTE_ADDR=f"{prefix}.{n}"), name)


def paused(response):
    return response.status_code == 429 and response.context["title"] == (
        "Log-in paused for this account"
    )


def reset_password(client, email):
    """Ask for a reset mail for `email` and complete it from `client`, as its reader would."""
    client.post(reverse("password_reset"), {"email": email})
    found = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", str(mail.outbox[-1].body))
    assert found is not None
    form_page = client.get(found.group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302


# --- item 2: no cheap pause ---------------------------------------------------------------------


def test_one_address_hammering_an_account_does_not_pause_it_for_the_owner(settings, user):
    # Default limits: axes locks this address out after five guesses; what it refuses after
    # that never reached a password check, so it does not count toward the account's pause.
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(30):
        log_in(attacker, user.username)
    assert log_in(Client(REMOTE_ADDR="192.0.2.44"), user.username, PASSWORD).status_code == 302


def test_the_guess_that_locks_an_address_out_counts_toward_the_accounts_pause(settings, user):
    # django-axes says "locked out" for the fifth guess, after checking its password, as it
    # does for the attempts it refuses unchecked: the fifth guess was handed back, and an
    # address's five guesses counted as four.
    settings.LOGIN_ACCOUNT_RATE = "5/15m"
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        log_in(attacker, user.username)
    # Five guesses were checked: a sixth attempt, from a browser the account does not know,
    # waits, even with the right password.
    assert paused(log_in(Client(REMOTE_ADDR="192.0.2.44"), user.username, PASSWORD))


def test_the_guess_that_locks_an_address_out_counts_toward_its_address_limit(settings, user):
    settings.LOGIN_CLIENT_RATE = "5/15m"
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        log_in(attacker, user.username)
    refused = log_in(attacker, UserFactory.create().username)
    assert refused.status_code == 429
    assert refused.context["title"] == "Too many failed log-ins"


def _burst(attacker, username, guesses):
    """Guesses sent together all pass django-axes' look before any is counted; those its count
    then finds past the limit are marked "locked out" after their passwords were checked.
    Played here in turn, with the look letting each through as if they had come at once."""
    with patch("axes.handlers.proxy.AxesProxyHandler.is_allowed", return_value=True):
        for _ in range(guesses):
            log_in(attacker, username)


def test_a_burst_of_guesses_past_the_lock_out_all_count_toward_the_address(settings, user):
    settings.LOGIN_CLIENT_RATE = "8/15m"
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    _burst(attacker, user.username, 8)
    refused = log_in(attacker, UserFactory.create().username)
    assert refused.status_code == 429
    assert refused.context["title"] == "Too many failed log-ins"


def test_a_burst_from_one_address_counts_toward_the_account_as_axes_allows(settings, user):
    # django-axes' five guesses a name and client: what a burst checks beyond them counts
    # toward the address's limit, not the account's, so one address still cannot pause it.
    settings.LOGIN_ACCOUNT_RATE = "6/15m"
    _burst(Client(REMOTE_ADDR="203.0.113.9"), user.username, 12)
    assert log_in(Client(REMOTE_ADDR="192.0.2.44"), user.username, PASSWORD).status_code == 302
    # A second address's guess is the sixth: a stranger is now paused.
    log_in(Client(REMOTE_ADDR="198.51.100.7"), user.username)
    assert paused(log_in(Client(REMOTE_ADDR="192.0.2.45"), user.username, PASSWORD))


def test_a_completed_password_reset_lifts_the_pause_for_the_owner(settings, user):
    settings.LOGIN_ACCOUNT_RATE = "4/15m"
    pause(user, 4)
    owner = Client(REMOTE_ADDR="192.0.2.44")
    assert paused(log_in(owner, user.username, PASSWORD))

    reset_password(owner, address_verified(user).email)
    assert log_in(owner, user.username, NEW_PASSWORD).status_code == 302
    # The pause is over for the owner's other browsers too.
    assert log_in(Client(REMOTE_ADDR="192.0.2.45"), user.username, NEW_PASSWORD).status_code == 302


def test_after_a_reset_each_addresss_guesses_count_toward_the_account_again(settings, user):
    # The reset ends django-axes' counts, so each address has five more checked guesses: they
    # count again. (Each address's count toward the account stayed at django-axes' five for its
    # window, and the next five counted for nothing.)
    settings.LOGIN_ACCOUNT_RATE = "10/15m"
    attackers = [Client(REMOTE_ADDR=f"203.0.113.{n}") for n in (1, 2)]
    for attacker in attackers:
        for _ in range(5):
            log_in(attacker, user.username)
    owner = Client(REMOTE_ADDR="192.0.2.44")
    reset_password(owner, address_verified(user).email)
    for attacker in attackers:
        for _ in range(5):
            log_in(attacker, user.username)
    assert paused(log_in(Client(REMOTE_ADDR="192.0.2.45"), user.username, NEW_PASSWORD))
    assert log_in(owner, user.username, NEW_PASSWORD).status_code == 302  # a known browser


def test_the_owners_log_in_starts_afresh_only_its_own_addresss_count(settings, user):
    # A log-in ends django-axes' count for its own client alone: another address's count
    # toward the account stays where it was (it started afresh, and its next burst counted).
    settings.LOGIN_ACCOUNT_RATE = "6/15m"
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        log_in(attacker, user.username)
    assert log_in(Client(REMOTE_ADDR="192.0.2.44"), user.username, PASSWORD).status_code == 302
    _burst(attacker, user.username, 3)
    assert log_in(Client(REMOTE_ADDR="192.0.2.45"), user.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("look_alike", [None, LOOK_ALIKE], ids=["alone", "beside-a-look-alike"])
def test_a_log_in_from_a_known_browser_lifts_the_pause(settings, look_alike):
    """Also for the account that holds its name while a look-alike exists (made by an admin,
    holding nothing): the holder's own log-in still ends the pause."""
    settings.LOGIN_ACCOUNT_RATE = "4/15m"
    user = UserFactory(username="tessa")
    if look_alike:
        UserFactory(username=look_alike)
    laptop = Client(REMOTE_ADDR="192.0.2.44")
    assert log_in(laptop, user.username, PASSWORD).status_code == 302
    laptop.post(reverse("logout"))
    pause(user, 4)
    phone = Client(REMOTE_ADDR="192.0.2.99")
    assert paused(log_in(phone, user.username, PASSWORD))
    assert log_in(laptop, user.username, PASSWORD).status_code == 302
    assert log_in(phone, user.username, PASSWORD).status_code == 302


def test_one_client_cannot_spend_an_addresss_reset_mails(settings):
    settings.PASSWORD_RESET_CLIENT_RATE = "100/h"
    owner = UserFactory(email="owner@example.com", email_verified=True)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(20):
        attacker.post(reverse("password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 2  # the attacker's share of the address's five an hour
    Client(REMOTE_ADDR="192.0.2.44").post(reverse("password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 3  # the owner still gets theirs


# --- item 3: counters that cannot be multiplied -------------------------------------------------


def test_ipv6_clients_in_one_64_are_one_client(settings):
    settings.LOGIN_CLIENT_RATE = "6/15m"
    victims = UserFactory.create_batch(7)
    for n, victim in enumerate(victims[:6]):
        log_in(Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"), victim.username)
    refused = log_in(Client(REMOTE_ADDR="2001:db8:1:2:ffff::9"), victims[6].username, PASSWORD)
    assert refused.status_code == 429
    assert refused.context["title"] == "Too many failed log-ins"
    elsewhere = log_in(Client(REMOTE_ADDR="2001:db8:1:3::1"), victims[6].username, PASSWORD)
    assert elsewhere.status_code == 302


def test_the_ipv6_grouping_is_a_setting(settings):
    settings.LOGIN_CLIENT_RATE = "2/15m"
    settings.IPV6_LIMIT_PREFIX = 48  # a provider that hands out /48s
    victims = UserFactory.create_batch(4)
    for n, victim in enumerate(victims[:2]):
        log_in(Client(REMOTE_ADDR=f"2001:db8:1:{n + 1}::1"), victim.username)
    refused = log_in(Client(REMOTE_ADDR="2001:db8:1:9::1"), victims[2].username, PASSWORD)
    assert refused.status_code == 429
    settings.IPV6_LIMIT_PREFIX = 128  # each address its own client
    allowed = log_in(Client(REMOTE_ADDR="2001:db8:1:9::1"), victims[3].username, PASSWORD)
    assert allowed.status_code == 302


def test_axes_locks_out_an_ipv6_64_as_one_client(user):
    for n in range(5):
        log_in(Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1}"), user.username)
    locked = log_in(Client(REMOTE_ADDR="2001:db8:1:2::99"), user.username, PASSWORD)
    assert locked.status_code == 429


def test_every_spelling_of_a_username_is_one_accounts_counter(settings):
    settings.LOGIN_ACCOUNT_RATE = "3/15m"
    erin = UserFactory(username="erin")
    assert account_ident(FULL_WIDTH) == account_ident(BOLD) == account_ident(" ERIN") == "erin"
    for n, spelling in enumerate([FULL_WIDTH, BOLD, "ERIN"]):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), spelling)
    assert paused(log_in(Client(REMOTE_ADDR="192.0.2.1"), erin.username, PASSWORD))


def test_a_browser_known_to_one_account_is_not_known_to_a_look_alike(settings):
    settings.LOGIN_ACCOUNT_RATE = "3/15m"
    jessica = UserFactory(username="jessica")
    UserFactory(username="jeßica")
    browser = Client(REMOTE_ADDR="192.0.2.44")
    assert log_in(browser, "jeßica", PASSWORD).status_code == 302
    browser.post(reverse("logout"))
    pause(jessica, 3)
    assert paused(log_in(browser, jessica.username, PASSWORD))


def test_the_known_device_cookie_carries_no_hash_of_the_username(user):
    browser = Client(REMOTE_ADDR="192.0.2.44")
    log_in(browser, user.username, PASSWORD)
    value = browser.cookies[COOKIE].value
    for spelling in (user.username, user.username.casefold()):
        digest = hashlib.sha256(spelling.encode()).hexdigest()
        assert digest[:16] not in value
    assert user.username not in value


def test_a_password_change_forgets_every_known_browser(settings, user):
    settings.LOGIN_ACCOUNT_RATE = "3/15m"
    browser = Client(REMOTE_ADDR="192.0.2.44")
    assert log_in(browser, user.username, PASSWORD).status_code == 302
    browser.post(reverse("logout"))
    user.set_password(NEW_PASSWORD)
    user.save()
    pause(user, 3)
    assert paused(log_in(browser, user.username, NEW_PASSWORD))


@pytest.mark.parametrize("threads", [24])
def test_attempts_in_flight_together_cannot_all_pass_a_limit(threads):
    # Every thread takes its count at the same instant; a peek-then-count let all of them see
    # room for one more. Exactly the rate's worth are allowed.
    barrier = threading.Barrier(threads)
    allowed: list[bool] = []
    lock = threading.Lock()

    def attempt():
        barrier.wait()
        verdict = limit_reserve(scope="race", ident="erin", rate="5/15m").verdict
        with lock:
            allowed.append(verdict.allowed)

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert allowed.count(True) == 5
    cache.clear()


def test_one_client_spelling_a_name_many_ways_has_one_lock_out_and_cannot_pause_it():
    """django-axes locks out the name as the account's counter keys it: five tries for "erin",
    "Erin", "ERIN" … were five each, and twenty-five from one client paused the account."""
    erin = UserFactory(username="erin")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for spelling in ["erin", "ERIN", "Erin", FULL_WIDTH, BOLD]:
        for _ in range(5):
            log_in(attacker, spelling)
    # Locked out after five tries, whatever the spelling: one client's guesses are five.
    assert log_in(attacker, "eRiN", PASSWORD).status_code == 429
    # The owner, from anywhere else, is not paused.
    assert log_in(Client(REMOTE_ADDR="192.0.2.44"), erin.username, PASSWORD).status_code == 302


def test_a_completed_reset_ends_the_owners_lock_out_whatever_the_names_capitals():
    """django-axes keeps the name as the account's counter keys it ("erin" for "Erin"): the
    reset clears that, not the name as the account spells it."""
    owner_account = UserFactory(username="Erin", email="erin@example.com", email_verified=True)
    owner = Client(REMOTE_ADDR="192.0.2.44")
    for _ in range(5):
        log_in(owner, "Erin")
    assert log_in(owner, "Erin", PASSWORD).status_code == 429  # locked out here
    reset_password(owner, owner_account.email)
    owner.post(reverse("logout"))
    assert log_in(owner, "Erin", NEW_PASSWORD).status_code == 302


# --- a look-alike account cannot share or lift another's pause ----------------------------------


def sign_up(client, username):
    return client.post(
        reverse("signup"),
        {"username": username, "email": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_sign_up_refuses_a_name_that_folds_to_one_taken():
    UserFactory(username="tessa")
    assert account_ident(LOOK_ALIKE) == "tessa"
    refused = sign_up(Client(), LOOK_ALIKE)
    assert refused.status_code == 200
    assert "A user with that username already exists." in refused.content.decode()
    assert not User.objects.filter(username=LOOK_ALIKE).exists()
    assert sign_up(Client(), "tessa2").status_code == 302


def test_a_look_alike_made_anyway_cannot_lift_the_pause_it_shares(settings):
    """One made before sign-up refused them, or by an admin: its owner, logging in from their own
    browser or resetting their own password, does not end the pause on "tessa"."""
    settings.LOGIN_ACCOUNT_RATE = "4/15m"
    tessa = UserFactory(username="tessa")
    look_alike = UserFactory(username=LOOK_ALIKE, email="mallory@example.com", email_verified=True)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    assert log_in(attacker, LOOK_ALIKE, PASSWORD).status_code == 302  # a known browser now
    attacker.post(reverse("logout"))
    pause(tessa, 4)
    owner = Client(REMOTE_ADDR="192.0.2.44")
    assert paused(log_in(owner, tessa.username, PASSWORD))

    assert log_in(attacker, LOOK_ALIKE, PASSWORD).status_code == 302  # known: let in
    assert paused(log_in(owner, tessa.username, PASSWORD))  # and the pause holds

    reset_password(attacker, look_alike.email)
    assert paused(log_in(owner, tessa.username, PASSWORD))  # a reset of its own: still held


def test_the_migration_gives_each_folded_name_to_its_oldest_account():
    from importlib import import_module

    from django.apps import apps

    from learnfrl.accounts.idents import AccountIdent, ident_held_by

    tessa = UserFactory.create(username="tessa")
    look_alike = UserFactory.create(username=LOOK_ALIKE)
    other = UserFactory.create(username="Erin")
    AccountIdent.objects.all().delete()  # as before the migration
    migrating = SimpleNamespace(connection=connection)  # what the migration reads of its editor
    import_module("learnfrl.migrations.0001_account_ident").hold_names(apps, migrating)
    assert [ident_held_by(user=u) for u in (tessa, look_alike, other)] == [True, False, True]


def test_a_look_alikes_log_in_or_reset_does_not_end_a_lock_out_on_the_name_it_copies():
    """django-axes counts "tessa" and "teẞa" as one name: a look-alike's successful log-in
    from the guessing address, or its completed reset, ended the count on "tessa" (a review
    guessed 16 times from one address that way)."""
    tessa = UserFactory(username="tessa")
    look_alike = UserFactory(username=LOOK_ALIKE, email="mallory@example.com", email_verified=True)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        log_in(attacker, "tessa")
    assert log_in(attacker, LOOK_ALIKE, PASSWORD).status_code == 302
    attacker.post(reverse("logout"))
    log_in(attacker, "tessa")  # the fifth
    assert log_in(attacker, "tessa", PASSWORD).status_code == 429  # locked out here

    reset_password(attacker, look_alike.email)
    attacker.post(reverse("logout"))
    assert log_in(attacker, "tessa", PASSWORD).status_code == 429  # still locked out
    # The holder's own log-in elsewhere is untouched, and ends the count there.
    assert log_in(Client(REMOTE_ADDR="192.0.2.44"), tessa.username, PASSWORD).status_code == 302


def test_a_renamed_account_frees_its_old_name_even_when_the_new_one_is_held():
    from learnfrl.accounts.idents import ident_held_by, ident_taken

    UserFactory.create(username="tessa")
    bob = UserFactory.create(username="bob")
    bob.username = LOOK_ALIKE  # an admin's rename onto a look-alike: saved, and logged
    bob.save()
    assert not ident_taken(username="bob")
    assert not ident_held_by(user=bob)


def test_an_account_made_without_its_name_held_claims_it_at_its_first_log_in():
    """Accounts made in bulk or loaded from a file send no post_save: the first to log in holds
    its name from then on, and sign-up then refuses its look-alikes."""
    from learnfrl.accounts.idents import AccountIdent

    User.objects.bulk_create([User(username="tessa", password=UserFactory.build().password)])
    tessa = User.objects.get(username="tessa")
    tessa.set_password(PASSWORD)
    tessa.save(update_fields=["password"])  # a save that claims nothing
    assert not AccountIdent.objects.exists()
    assert log_in(Client(), "tessa", PASSWORD).status_code == 302
    assert AccountIdent.objects.filter(user_id=tessa.pk).exists()
    assert "already exists" in sign_up(Client(), LOOK_ALIKE).content.decode()


def _held() -> dict[str, int]:
    from learnfrl.accounts.idents import AccountIdent

    names = dict(User.objects.values_list("pk", "username"))
    return {names[pk]: pk for pk in AccountIdent.objects.values_list("user_id", flat=True)}


def test_accounts_made_in_bulk_hold_their_names_once_hold_names_runs():
    """bulk_create sends no post_save: `manage.py hold_names` gives each account its name, the
    oldest first, and sign-up then refuses their look-alikes before their first log-in."""
    password = UserFactory.build().password
    User.objects.bulk_create(
        [User(username=name, password=password) for name in ("tessa", "TESSA", "Erin")]
    )
    UserFactory.create(username="frida")  # holds hers already
    assert set(_held()) == {"frida"}
    out = io.StringIO()
    call_command("hold_names", stdout=out)
    assert "Names held for 2 account(s)" in out.getvalue()
    assert set(_held()) == {"tessa", "Erin", "frida"}  # not TESSA, the younger look-alike

    assert "already exists" in sign_up(Client(), LOOK_ALIKE).content.decode()
    assert not User.objects.filter(username=LOOK_ALIKE).exists()
    assert sign_up(Client(), "greta").status_code == 302  # other names are let in

    out = io.StringIO()
    with CaptureQueriesContext(connection) as captured:
        call_command("hold_names", stdout=out)  # TESSA can never hold a name: nothing is written
    assert "Names held for 0 account(s)" in out.getvalue()
    assert not [q for q in captured.captured_queries if "INSERT" in q["sql"]]


def _accounts_file(path, accounts: dict[int, str]) -> str:
    """A users-only file for loaddata: these accounts (id: name), written in this order."""
    rows = [
        {
            "model": "auth.user",
            "pk": pk,
            "fields": {"username": name, "password": "!", "date_joined": "2026-01-01T00:00Z"},
        }
        for pk, name in accounts.items()
    ]
    path.write_text(json.dumps(rows))
    return str(path)


def test_accounts_loaded_from_a_file_hold_their_names(tmp_path):
    """loaddata saves raw: the accounts it loads hold their names as they are saved."""
    fixture = _accounts_file(tmp_path / "accounts.json", {900: "tessa", 901: "ERIN"})
    call_command("loaddata", fixture, verbosity=0)
    assert _held() == {"tessa": 900, "ERIN": 901}
    assert "already exists" in sign_up(Client(), LOOK_ALIKE).content.decode()


def test_a_file_renaming_accounts_onto_names_it_frees_later_is_mended_by_hold_names(tmp_path):
    """Accounts of a users-only file are saved in its order: one renamed onto a look-alike of a
    name that a later row of the file gives up cannot hold it when it is saved, so the name is
    held by nobody after the load. `hold_names` gives it to that account, and sign-up then
    refuses the name again."""
    from learnfrl.accounts.idents import ident_taken

    tessa = UserFactory.create(username="tessa")
    bob = UserFactory.create(username="bob")
    # bob renamed first, while tessa still holds the name
    renames = {bob.pk: LOOK_ALIKE, tessa.pk: "theresa"}
    call_command("loaddata", _accounts_file(tmp_path / "renames.json", renames), verbosity=0)
    assert _held() == {"theresa": tessa.pk}
    assert not ident_taken(username="tessa")  # held by nobody: a sign-up could take it

    call_command("hold_names", stdout=io.StringIO())
    assert _held() == {"theresa": tessa.pk, LOOK_ALIKE: bob.pk}
    assert "already exists" in sign_up(Client(), "tessa").content.decode()


def test_a_sign_up_checks_a_name_in_one_read(django_assert_num_queries):
    """The check reads one row, whatever the number of accounts: no account is scanned, not
    even for a name nobody holds."""
    from learnfrl.accounts.idents import ident_taken

    UserFactory.create(username="tessa")
    User.objects.bulk_create([User(username="erin", password="!")])  # holds nothing
    with django_assert_num_queries(1):
        assert ident_taken(username=LOOK_ALIKE)
    with django_assert_num_queries(1):
        assert not ident_taken(username="frida")


@pytest.mark.django_db(transaction=True)  # the foreign key is checked at a real commit
def test_an_account_deleted_while_names_are_held_leaves_the_others_theirs(monkeypatch):
    from learnfrl.accounts import idents

    password = UserFactory.build().password
    User.objects.bulk_create([User(username=name, password=password) for name in ("ann", "bo")])
    digest = idents.ident_digest
    deleted: list[object] = []

    def read_then_deleted(username: str) -> str:
        if username == "ann" and not deleted:  # read, then deleted by another request
            deleted.append(User.objects.filter(username="ann").delete())
        return digest(username)

    monkeypatch.setattr(idents, "ident_digest", read_then_deleted)
    assert idents.idents_unheld_claim() == 1
    assert set(_held()) == {"bo"}
    assert deleted


def test_a_backup_restores_who_holds_each_name(tmp_path):
    """A dump holds the names' holders as they were: loading it gives each name to the account
    the dump says, though an older account that folds to it is loaded first (an account renamed
    onto a look-alike of a held name holds none)."""
    older = UserFactory.create(username="ann")
    younger = UserFactory.create(username="tessa")
    older.username = LOOK_ALIKE
    older.save()  # holds nothing now: "tessa" is held
    assert _held() == {"tessa": younger.pk}
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "auth.user", "learnfrl", output=str(backup), verbosity=0)
    User.objects.all().delete()

    call_command("loaddata", str(backup), verbosity=0)
    assert _held() == {"tessa": younger.pk}


def test_a_backup_dumped_by_natural_keys_is_refused_with_its_names_and_loads_without_them(
    tmp_path,
):
    """A dump by natural keys gives the accounts new ids, but its rows of who holds each name
    keep the old ones: taken at their word they would give names to the wrong accounts. Loaded
    without them, each account holds its name as it is saved, the older of two look-alikes
    first (as the migration gave them)."""
    older = UserFactory.create(username="ann")
    younger = UserFactory.create(username="tessa")
    older.username = LOOK_ALIKE
    older.save()
    UserFactory.create(username="erin")
    backup = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "auth.user",
        "learnfrl",
        output=str(backup),
        verbosity=0,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    User.objects.all().delete()
    UserFactory.create(id=younger.pk, username="admin")  # another account has tessa's old id

    with pytest.raises(ValueError, match=r"--exclude learnfrl\.accountident"):
        call_command("loaddata", str(backup), verbosity=0)
    assert _held() == {"admin": younger.pk}  # nothing of the file was kept

    call_command("loaddata", str(backup), exclude=["learnfrl.accountident"], verbosity=0)
    held = _held()
    assert set(held) == {"admin", LOOK_ALIKE, "erin"}
    assert held[LOOK_ALIKE] < User.objects.get(username="tessa").pk


def test_holding_names_counts_the_accounts_that_hold_theirs_after(monkeypatch):
    """The count is of accounts holding their names after the write, not of rows the table
    gained meanwhile (a sign-up or a deletion at the same moment moved that)."""
    from learnfrl.accounts import idents

    User.objects.bulk_create([User(username=name, password="!") for name in ("ann", "bo", "cy")])
    original = QuerySet.bulk_create

    def with_sign_ups_meanwhile(self, *args, **kwargs):
        if self.model is idents.AccountIdent:  # the names' write, on whichever database
            UserFactory.create(username="dee")  # holds hers at once
            UserFactory.create(username="CY")  # and this one cy's fold, before cy
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", with_sign_ups_meanwhile)
    assert idents.idents_unheld_claim() == 2
    assert set(_held()) == {"ann", "bo", "CY", "dee"}


@pytest.mark.django_db(databases=["default", "restore"])
def test_accounts_loaded_into_another_database_hold_their_names_there(tmp_path):
    """`loaddata --database`: the names are held where the accounts are, not in the default
    database (where the rows named accounts it does not have)."""
    from learnfrl.accounts.idents import AccountIdent

    older = UserFactory.create(username="ann")
    younger = UserFactory.create(username="tessa")
    older.username = LOOK_ALIKE
    older.save()  # holds nothing now: "tessa" is held
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "auth.user", "learnfrl", output=str(backup), verbosity=0)
    held_here = _held()

    call_command("loaddata", str(backup), database="restore", verbosity=0)
    there = AccountIdent.objects.using("restore").values_list("user__username", "user_id")
    assert dict(there) == {"tessa": younger.pk}
    assert _held() == held_here

    fresh = _accounts_file(tmp_path / "fresh.json", {900: "ERIN"})
    call_command("loaddata", fresh, database="restore", verbosity=0)
    there = AccountIdent.objects.using("restore").values_list("user__username", "user_id")
    assert dict(there) == {"tessa": younger.pk, "ERIN": 900}
    assert _held() == held_here


@pytest.mark.django_db(databases=["default", "restore"])
def test_the_migration_holds_names_in_the_database_it_migrates():
    """`migrate --database restore` ran the data migrations against the default database: here
    it gave names to accounts the default database does not have."""
    from importlib import import_module

    from django.apps import apps

    from learnfrl.accounts.idents import AccountIdent

    User.objects.using("restore").create(id=700, username="tessa", password="!")
    AccountIdent.objects.using("restore").all().delete()  # as before the migration
    held_here = _held()
    migrating = SimpleNamespace(connection=connections["restore"])
    import_module("learnfrl.migrations.0001_account_ident").hold_names(apps, migrating)
    assert list(AccountIdent.objects.using("restore").values_list("user_id", flat=True)) == [700]
    assert _held() == held_here


@pytest.mark.django_db(databases=["default", "restore"])
def test_the_editors_migrations_give_rights_in_the_database_they_migrate():
    """The second test database was made by `migrate --database restore`: the Editors group's
    migrations (0002, 0010, 0020, 0022) gave it its rights there, not in the default one."""
    from django.contrib.auth.models import Group

    rights = (
        Group.objects.using("restore")
        .get(name="Editors")
        .permissions.values_list("codename", flat=True)
    )
    assert {
        "change_question",
        "change_questionreport",
        "change_fact",
        "change_answerclaim",
    } <= set(rights)


@pytest.mark.django_db(databases=["default", "restore"])
def test_hold_names_gives_names_in_the_database_it_is_told():
    from learnfrl.accounts.idents import AccountIdent

    User.objects.using("restore").bulk_create(
        [
            User(id=800, username="tessa", password="!"),
            User(id=801, username=LOOK_ALIKE, password="!"),
        ]
    )
    User.objects.bulk_create([User(username="erin", password="!")])  # holds nothing here
    out = io.StringIO()
    call_command("hold_names", database="restore", stdout=out)
    assert "Names held for 1 account(s)" in out.getvalue()
    there = AccountIdent.objects.using("restore").values_list("user_id", flat=True)
    assert list(there) == [800]  # not the younger look-alike
    assert "erin" not in _held()  # the default database was not the one named
