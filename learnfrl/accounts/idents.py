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
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
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


# Accounts given their names in one transaction by idents_unheld_claim.
CLAIM_BATCH = 500


def idents_unheld_claim(using: str = DEFAULT_DB_ALIAS) -> int:
    """Let each account of the database `using` that holds no name hold its own fold, the
    oldest first where two fold to one (as the migration that made the table did); how many
    accounts hold theirs now. For accounts made without a post_save (`bulk_create`, SQL):
    `manage.py hold_names` runs it, outside any transaction. Reads every account, so it is no
    request's work."""
    idents = AccountIdent.objects.using(using)
    held = set(idents.values_list("digest", flat=True).iterator())
    unheld = (
        get_user_model()
        .objects.using(using)
        .filter(~Exists(AccountIdent.objects.filter(user_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "username")
    )
    wanted: list[tuple[int, str]] = []
    for pk, username in unheld.iterator():
        digest = ident_digest(username)
        # A look-alike of a held name, or of an older account here, stays without one.
        if digest not in held:
            held.add(digest)
            wanted.append((pk, digest))
    # A transaction a batch: SQLite's one writer is held a moment, not for the whole table.
    return sum(
        _idents_insert(wanted[i : i + CLAIM_BATCH], using)
        for i in range(0, len(wanted), CLAIM_BATCH)
    )


def _idents_insert(wanted: list[tuple[int, str]], using: str) -> int:
    """Insert these (account, fold) pairs but those whose fold another account took meanwhile;
    how many of the accounts hold theirs after."""
    idents = AccountIdent.objects.using(using)
    while wanted:
        try:
            with transaction.atomic(using=using):
                idents.bulk_create(
                    [AccountIdent(user_id=pk, digest=digest) for pk, digest in wanted],
                    ignore_conflicts=True,  # a name claimed meanwhile stays that claim's
                )
        except IntegrityError:
            # An account deleted since it was read (its row fails the foreign key at COMMIT):
            # the batch again without it.
            alive = set(
                get_user_model()
                .objects.using(using)
                .filter(pk__in=[pk for pk, _digest in wanted])
                .values_list("pk", flat=True)
            )
            if len(alive) == len(wanted):
                raise
            wanted = [(pk, digest) for pk, digest in wanted if pk in alive]
            continue
        pairs = dict(wanted)
        now_held = idents.filter(user_id__in=pairs).values_list("user_id", "digest")
        return sum(1 for pk, digest in now_held if pairs[pk] == digest)
    return 0


def ident_claim(
    *, user: AbstractBaseUser, loaded: bool = False, using: str = DEFAULT_DB_ALIAS
) -> bool:
    """Let `user` hold its name's fold (its earlier one given up) in the database `using` (the
    one the account was saved to); False, and logged, if another account holds it already (a
    look-alike made outside sign-up, or two sign-ups at once; in a file being loaded, `loaded`,
    a look-alike the file holds as one, logged as information)."""
    digest = ident_digest(user.get_username())
    idents = AccountIdent.objects.using(using)
    # Given up first, and kept given up: a renamed account no longer holds its old name.
    idents.filter(user_id=user.pk).exclude(digest=digest).delete()
    try:
        with transaction.atomic(using=using):
            idents.get_or_create(user_id=user.pk, defaults={"digest": digest})
    except IntegrityError:
        log = logger.info if loaded else logger.warning
        log("Account %s has a name another account's folds to", user.pk)
        return False
    return True


def ident_held_by(*, user: AbstractBaseUser) -> bool:
    """Whether `user` holds the fold of its own name: only then do its log-ins and resets end
    what counts against that name. A name no account holds (accounts made in bulk, which send
    no post_save, before `hold_names`) is claimed here by the first of them to log in."""
    digest = ident_digest(user.get_username())
    holder = AccountIdent.objects.filter(digest=digest).values_list("user_id", flat=True).first()
    if holder is None:
        return ident_claim(user=user)
    return bool(holder == user.pk)


def ident_on_save(
    sender: object,
    instance: AbstractBaseUser,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: object,
) -> None:
    """post_save of the user model: a new account, a renamed one, or one loaded from a file
    (`loaddata`, a raw save, into whichever database it names), holds its name's fold there (a
    save of other fields, as each log-in's last_login, reads nothing)."""
    if update_fields is not None and "username" not in update_fields:
        return
    ident_claim(user=instance, loaded=raw, using=using)


class IdentsLoadError(ValueError):
    """A file names an account as the holder of a fold that is not its own name's."""


def ident_on_load(
    sender: object,
    instance: AccountIdent,
    raw: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: object,
) -> None:
    """pre_save of AccountIdent: a holder loaded from a file (a backup) is the file's word, over
    the claims its accounts made as they were loaded (ident_on_save gives a name to the oldest
    account that folds to it, not always the one that held it), as long as the fold is its
    account's own name's. A row that names another's (its account has another id here, as a
    dump by natural keys gives it, or has been renamed since) stops the load: it would give
    names to the wrong accounts."""
    if not raw:
        return
    username = (
        get_user_model()
        .objects.using(using)
        .filter(pk=instance.user_id)
        .values_list(get_user_model().USERNAME_FIELD, flat=True)
        .first()
    )
    if username is not None and ident_digest(username) != instance.digest:
        raise IdentsLoadError(
            f"The file's learnfrl.accountident row for account {instance.user_id} is not that "
            "account's name here (a dump by natural keys?): load the file without those rows, "
            "with --exclude learnfrl.accountident; each account loaded holds its name as it "
            "is saved."
        )
    # At most one other holder (the digest is unique), and in a backup loaded back, none.
    taken = (
        AccountIdent.objects.using(using)
        .filter(digest=instance.digest)
        .exclude(user_id=instance.user_id)
    )
    holder = taken.values_list("user_id", flat=True).first()
    if holder is not None:
        logger.warning(
            "Account %s gives its name to account %s, as a loaded file says",
            holder,
            instance.user_id,
        )
        taken.delete()
