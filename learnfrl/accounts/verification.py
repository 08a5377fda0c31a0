"""E-mail verification: which address of which account its owner has shown they hold.

A password reset goes to an address only once the account's owner has followed a link mailed to
it. Before, anyone could give someone else's address at sign-up or on the account page, and that
address's owner then received resets for an account that was not theirs, as a typo'd address
received a stranger's (an outside audit).

The link carries a signed token (django.core.signing, a salt of its own) that names the account
and the address, works for EMAIL_VERIFY_DAYS, and verifies nothing once the account holds another
address. The address is in the token as an HMAC only, so the links that land in access logs and
browser histories name no address. A verification holds while the account holds the very address
it was made for: a change to any other address ends it, wherever the change is made (the account
page, the admin, a file loaded), and the new address needs its own link.
"""

import enum
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from learnfrl.accounts.users import User

_SALT = "learnfrl.accounts.verification.email"
_ADDRESS_SALT = "learnfrl.accounts.verification.address"


class EmailVerification(models.Model):
    """The address of an account that its owner has verified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # As the account held it when verified, exactly: another spelling is another address.
    email = models.EmailField(max_length=254)
    # None: an address saved before verification began, trusted as it was (migration 0003).
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "learnfrl"

    def __str__(self) -> str:
        return f"verified address of account {self.user_id}"


class LinkFault(enum.StrEnum):
    """Why a verification link verifies nothing."""

    FORGED = "forged"  # not signed by this site, or cut short on its way
    EXPIRED = "expired"  # older than EMAIL_VERIFY_DAYS
    STALE = "stale"  # the account is gone, or holds another address now


def _address_tag(email: str) -> str:
    return salted_hmac(_ADDRESS_SALT, email).hexdigest()[:32]


def email_link_token(*, user: User, email: str) -> str:
    """The token of a link that verifies `email` as `user`'s address."""
    return signing.dumps({"u": user.pk, "a": _address_tag(email)}, salt=_SALT)


def email_link_read(token: str, *, lock: bool = False) -> User | LinkFault:
    """The account whose current address the link verifies, or why it verifies nothing; with
    `lock`, the account's row is locked for the rest of the transaction."""
    try:
        payload = signing.loads(
            token, salt=_SALT, max_age=timedelta(days=settings.EMAIL_VERIFY_DAYS)
        )
    except signing.SignatureExpired:
        return LinkFault.EXPIRED
    except signing.BadSignature:
        return LinkFault.FORGED
    account, tag = _payload(payload)
    if account is None:
        return LinkFault.FORGED
    users = User._default_manager.filter(pk=account)
    user = (users.select_for_update() if lock else users).first()
    if user is None or not user.email or not constant_time_compare(_address_tag(user.email), tag):
        return LinkFault.STALE
    return user


def _payload(payload: Any) -> tuple[int | None, str]:
    """The account id and the address's tag a token holds (None if it holds no such thing)."""
    if not isinstance(payload, dict):
        return None, ""
    account, tag = payload.get("u"), payload.get("a")
    if type(account) is not int or not isinstance(tag, str):
        return None, ""
    return account, tag


def email_verified(*, user: User) -> bool:
    """Whether the account's current address is verified."""
    if not user.email:
        return False
    return EmailVerification.objects.filter(user_id=user.pk, email=user.email).exists()


def users_verified(users: Iterable[User]) -> list[User]:
    """Those of `users` whose current address is verified, in one query."""
    held = list(users)
    rows = EmailVerification.objects.filter(user__in=held).values_list("user_id", "email")
    verified = set(rows)
    return [user for user in held if (user.pk, user.email) in verified]


def email_verify(*, token: str) -> User | LinkFault:
    """Verify the address a link names, if its account still holds it: the account, or why
    nothing was verified. The account's row is locked meanwhile, so an address changed at the
    same moment is not verified in its place."""
    with transaction.atomic():
        found = email_link_read(token, lock=True)
        if isinstance(found, LinkFault):
            return found
        EmailVerification.objects.update_or_create(
            user_id=found.pk, defaults={"email": found.email, "verified_at": timezone.now()}
        )
    return found


def verification_on_save(
    sender: object,
    instance: User,
    created: bool = False,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: object,
) -> None:
    """post_save of the user model: a verification of any address but the account's own ends
    (the address was changed). A new account has none to end; a save of other fields (each
    log-in's last_login) reads nothing."""
    if (created and not raw) or (update_fields is not None and "email" not in update_fields):
        return
    EmailVerification.objects.using(using).filter(user_id=instance.pk).exclude(
        email=instance.email
    ).delete()
