"""Each account's name as the log-in limits key it, held by one account only.

The per-account log-in counter keys on a username NFKC-normalised and case-folded
(limits.account_ident), so every spelling that could reach an account counts as one. Django's
sign-up refuses a name that differs from a taken one only by case as the database compares it,
which lets "teẞa" (capital sharp s) in beside "tessa": both fold to "tessa", so the second
account shared the first one's counter, and its owner, logging in from their own browser, lifted
the pause meant to protect the first (an outside audit). Here each folded name has one holder
(a unique digest, so a name of any length fits an index): sign-up refuses a name already held,
and only the holder's log-in or password reset lifts that name's pause.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef

from learnfrl.accounts.limits import account_ident

logger = logging.getLogger("learnfrl.limits")


def ident_digest(username: str) -> str:
    return hashlib.sha256(account_ident(username).encode()).hexdigest()


class AccountIdent(models.Model):
    """The account that holds a folded username (ident_digest of its name)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        app_label = "learnfrl"

    def __str__(self) -> str:
        return f"folded name of account {self.user_id}"


def ident_taken(*, username: str) -> bool:
    """Whether an account holds the name `username` folds to."""
    return AccountIdent.objects.filter(digest=ident_digest(username)).exists()


def idents_unheld_claim() -> int:
    """Let each account that holds no name hold its own fold, the oldest first where two fold
    to one (as the migration that made the table did); how many names were claimed. For
    accounts made without a post_save (`bulk_create`, SQL): `manage.py hold_names` runs it.
    Reads every account, so it is no request's work."""
    held = set(AccountIdent.objects.values_list("digest", flat=True).iterator())
    unheld = (
        get_user_model()
        .objects.filter(~Exists(AccountIdent.objects.filter(user_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "username")
    )
    rows: dict[str, AccountIdent] = {}
    for pk, username in unheld.iterator():
        digest = ident_digest(username)
        # A look-alike of a held name, or of an older account here, stays without one.
        if digest not in held:
            rows.setdefault(digest, AccountIdent(user_id=pk, digest=digest))
    if not rows:
        return 0
    before = AccountIdent.objects.count()
    try:
        with transaction.atomic():
            # A name claimed meanwhile (a sign-up, a log-in) stays that claim's.
            AccountIdent.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=500)
    except IntegrityError:
        # An account deleted since it was read: read again, without it.
        return idents_unheld_claim()
    return AccountIdent.objects.count() - before


def ident_claim(*, user: AbstractBaseUser) -> bool:
    """Let `user` hold its name's fold (its earlier one given up); False, and logged, if another
    account holds it already (a look-alike made outside sign-up, or two sign-ups at once)."""
    digest = ident_digest(user.get_username())
    # Given up first, and kept given up: a renamed account no longer holds its old name.
    AccountIdent.objects.filter(user_id=user.pk).exclude(digest=digest).delete()
    try:
        with transaction.atomic():
            AccountIdent.objects.get_or_create(user_id=user.pk, defaults={"digest": digest})
    except IntegrityError:
        logger.warning("Account %s has a name another account's folds to", user.pk)
        return False
    return True


def ident_held_by(*, user: AbstractBaseUser) -> bool:
    """Whether `user` holds the fold of its own name: only then do its log-ins and resets end
    what counts against that name. A name no account holds (accounts made in bulk or loaded
    from a file, which sends no post_save) is claimed here by the first of them to log in."""
    digest = ident_digest(user.get_username())
    holder = AccountIdent.objects.filter(digest=digest).values_list("user_id", flat=True).first()
    if holder is None:
        return ident_claim(user=user)
    return bool(holder == user.pk)


def ident_on_save(
    sender: object,
    instance: AbstractBaseUser,
    update_fields: frozenset[str] | None = None,
    **kwargs: object,
) -> None:
    """post_save of the user model: a new account, a renamed one, or one loaded from a file
    (`loaddata`, a raw save), holds its name's fold (a save of other fields, as each log-in's
    last_login, reads nothing)."""
    if update_fields is not None and "username" not in update_fields:
        return
    ident_claim(user=instance)


def ident_on_load(
    sender: object, instance: AccountIdent, raw: bool = False, **kwargs: object
) -> None:
    """pre_save of AccountIdent: a holder loaded from a file (a backup) is the file's word, over
    the claim its accounts made as they were loaded (ident_on_save), which gives a name to the
    oldest account that folds to it, not always the one that held it."""
    if raw:
        AccountIdent.objects.filter(digest=instance.digest).exclude(
            user_id=instance.user_id
        ).delete()
