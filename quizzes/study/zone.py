"""The learner's own time zone for every date and time a page shows (a card's due date, a quiz's
end, a review's time), as the study settings name it, not the site's."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import empty

from quizzes.models import site_time_zone
from quizzes.rules.days import zone_named
from quizzes.study.selectors import study_profile, study_profile_read

# The session keeps the learner's zone name, so that a page reads no settings for it.
ZONE_KEY = "learner_zone"


@receiver(user_logged_in)
def zone_remember(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At log-in, the session takes the learner's zone from their settings."""
    if request is not None and hasattr(request, "session"):
        request.session[ZONE_KEY] = study_profile(user=user).time_zone


class LearnerZoneMiddleware:
    """Show dates in the signed-in learner's zone (Django's current time zone, which `|date` and
    the forms use); the site's zone for everyone else.

    The zone comes from the session, which takes it at log-in. A page that reads the settings
    anyway (study, a card, a rating, the settings saved) renders with the zone it read and brings
    the session up to date: another session's change of zone, or a session older than this,
    reaches it at its next such page. Nothing here reads the database (a session whose account
    is gone or changed its password must get the log-in page, not an error), and views that read
    no session (the liveness checks, @account_rate_exempt) are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
            _remember(request)  # after a redirect too (the settings saved)
            return response
        finally:
            timezone.deactivate()

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: Any
    ) -> None:
        if getattr(view, "account_rate_exempt", False):
            return
        if request.session.get(SESSION_KEY) is None:
            return
        name = request.session.get(ZONE_KEY)
        if name is not None:
            _activate(name)

    def process_template_response(self, request: HttpRequest, response: Any) -> Any:
        """Before a page renders: the zone of the settings its view read, if it read them."""
        changed = _remember(request)
        if changed is not None:
            _activate(changed)
        return response


def _remember(request: HttpRequest) -> str | None:
    """The zone of the settings this request has read, kept in the session if it was not
    there (returned then; None if the session had it, or no settings were read)."""
    profile = study_profile_read(user=_user_if_read(request))
    if profile is None or profile.time_zone == request.session.get(ZONE_KEY):
        return None
    request.session[ZONE_KEY] = profile.time_zone
    return profile.time_zone


def _activate(name: str) -> None:
    zone = zone_named(name) or zone_named(site_time_zone())
    if zone is not None:
        timezone.activate(zone)


def _user_if_read(request: HttpRequest) -> Any:
    """The request's user if something has read it already (None if not: reading it costs a
    query)."""
    lazy = request.__dict__.get("user")
    wrapped = getattr(lazy, "_wrapped", empty)
    return None if wrapped is empty else wrapped
