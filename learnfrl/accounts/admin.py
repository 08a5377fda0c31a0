"""The admin's accounts: Django's own, with whether each account's address is verified and an
action that verifies it.

An address two accounts shared before verification began stays unverified (migration 0003), and
a learner of one of them who has forgotten their password can get no reset to verify it by; an
operator who has made sure whose the address is verifies it here.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from learnfrl.accounts.users import User
from learnfrl.accounts.verification import (
    EmailVerification,
    LinkFault,
    email_link_token,
    email_verify,
)


class AccountAdmin(UserAdmin[User]):
    """Django's user admin, with the verification of each account's current address."""

    actions = ("addresses_verify",)

    def get_list_display(
        self, request: HttpRequest
    ) -> tuple[str | Callable[[User], str | bool], ...]:
        return (*super().get_list_display(request), "address_verified")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # Read in the list's own query, not one more per row; as email_verified() reads it: a
        # verification of the very address the account holds now.
        current = EmailVerification.objects.filter(user=OuterRef("pk"), email=OuterRef("email"))
        verified = Exists(current.exclude(email=""))
        return super().get_queryset(request).annotate(address_verified=verified)

    @admin.display(description="E-mail verified", boolean=True, ordering="address_verified")
    def address_verified(self, user: User) -> bool:
        return bool(getattr(user, "address_verified", False))

    @admin.action(
        description="Mark the e-mail addresses of the selected accounts verified",
        permissions=["change"],
    )
    def addresses_verify(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Verify each selected account's current address as its link's button does (the same
        service, through a link's token made here): the account's row is locked and its address
        compared again, so an address changed since the list was read is not verified in its
        place. An address verified already keeps its record as it is: the migration's have no
        time of verification, which is how an operator finds them (the README)."""
        verified = no_address = already = shared = changed = 0
        for user in queryset:
            if not user.email:
                no_address += 1
            elif getattr(user, "address_verified", False):
                already += 1
            elif _address_shared(user):
                # A reset finds accounts by address regardless of case: two accounts of one
                # address verified would each get the other's resets, the takeover the
                # migration left such addresses unverified to close.
                shared += 1
            else:
                found = email_verify(token=email_link_token(user=user, email=user.email))
                if isinstance(found, LinkFault):
                    changed += 1
                else:
                    verified += 1
                    self.log_change(request, user, "Verified the e-mail address (admin action).")
        skipped = [
            f"{no_address} with no e-mail address" if no_address else "",
            f"{already} verified already" if already else "",
            f"{shared} whose address another account also holds (change one of them first)"
            if shared
            else "",
            f"{changed} whose address changed meanwhile" if changed else "",
        ]
        said = f"Marked the e-mail addresses of {verified} account(s) verified."
        if reasons := [reason for reason in skipped if reason]:
            said += f" Skipped {no_address + already + shared + changed}: {', '.join(reasons)}."
        self.message_user(request, said, messages.SUCCESS if verified else messages.WARNING)


def _address_shared(user: User) -> bool:
    """Whether another account holds the user's address, as a reset finds accounts by it."""
    return User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists()


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
