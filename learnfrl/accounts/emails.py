"""Verifying a learner's e-mail address: the link mailed to it, its page, and sending it again.

The rules of verification (its record, its token) are in learnfrl/accounts/verification.py.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_http_methods, require_POST

from learnfrl.accounts.limits import address_ident, limit_reserve, limits_refused
from learnfrl.accounts.tasks import email_link_mail
from learnfrl.accounts.users import User
from learnfrl.accounts.verification import (
    LinkFault,
    email_link_read,
    email_verified,
    email_verify,
)
from learnfrl.clientip import client_limit_ip

logger = logging.getLogger("learnfrl.limits")

VERIFY_PAGE = "registration/email_verify.html"
LINK_SENT = (
    "We sent a link to {email}. Follow it within {days} days to verify the address: until "
    "then no password reset is sent to it."
)
LINKS_SPENT = (
    "Too many links to verify your address (or to this address) were sent lately, so none was "
    "sent now. You can send another in about {wait}."
)
VERIFIED = "Your e-mail address {email} is verified: a password reset can be sent to it."
ALREADY_VERIFIED = "Your e-mail address is verified already."
NO_ADDRESS = "Your account has no e-mail address to verify. Add one first."


def email_link_send(request: HttpRequest, user: User) -> bool:
    """Queue the link that verifies the account's address, and say so; within EMAIL_VERIFY_RATE
    for the account (sign-up, a changed address and "Send the link again" alike),
    EMAIL_VERIFY_ADDRESS_RATE for the address, and EMAIL_VERIFY_CLIENT_ADDRESS_RATE for the
    address from this client, so that no one can mail an address without end, nor spend its
    links for the hour. Whether it was queued."""
    account = limit_reserve(
        scope="email-verify", ident=str(user.pk), rate=settings.EMAIL_VERIFY_RATE
    )
    # And for the address, from all accounts: accounts made within SIGNUP_RATE, each sending its
    # share, mailed one stranger's address without end.
    email = address_ident(user.email)
    address = limit_reserve(
        scope="email-verify-address", ident=email, rate=settings.EMAIL_VERIFY_ADDRESS_RATE
    )
    # And for the address from this client, a smaller share (the client as the reset limits
    # count it): with the address's budget alone, one client's few accounts, each giving a
    # stranger's address, spent it, and the owner got no link until the hour was over.
    client_address = limit_reserve(
        scope="email-verify-client-address",
        ident=f"{client_limit_ip(request)}|{email}",
        rate=settings.EMAIL_VERIFY_CLIENT_ADDRESS_RATE,
    )
    refused = limits_refused(account, address, client_address)
    if refused is not None:
        logger.warning(
            "Verification link not sent: too many for account %s, or to its address from "
            "anywhere or from this client",
            user.pk,
        )
        messages.error(request, LINKS_SPENT.format(wait=timeuntil(refused.retry_at)))
        return False
    email_link_mail.enqueue(
        user_id=user.pk,
        email=user.email,
        domain=get_current_site(request).domain,
        use_https=request.is_secure(),
        script_prefix=get_script_prefix(),
    )
    messages.info(request, LINK_SENT.format(email=user.email, days=settings.EMAIL_VERIFY_DAYS))
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def email_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to an address, logged in or not: a GET shows what it verifies and a
    button, whose POST verifies it. Mail scanners fetch the links in a message: a GET changes
    nothing. A link that verifies nothing gets a 400 page that says why."""
    found = email_verify(token=token) if request.method == "POST" else email_link_read(token)
    if isinstance(found, LinkFault):
        context = {"fault": found, "days": settings.EMAIL_VERIFY_DAYS}
        return render(request, VERIFY_PAGE, context, status=400)
    if request.method != "POST":
        context = {"account": found, "verified": email_verified(user=found)}
        return render(request, VERIFY_PAGE, context)
    messages.success(request, VERIFIED.format(email=found.email))
    return redirect("account" if request.user.pk == found.pk else "login")


@login_required
@require_POST
def email_verify_send(request: HttpRequest) -> HttpResponse:
    """The account page's "Send the link again", for an address not verified yet."""
    assert isinstance(request.user, User)
    if not request.user.email:
        messages.error(request, NO_ADDRESS)
    elif email_verified(user=request.user):
        messages.info(request, ALREADY_VERIFIED)
    else:
        email_link_send(request, request.user)
    return redirect("account")
