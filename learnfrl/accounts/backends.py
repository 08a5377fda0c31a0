"""django-axes' authentication backend, saying when it refused a log-in before any password was
checked."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.http import HttpRequest

# Set on a request whose log-in django-axes refused before the password was checked.
REFUSED_BEFORE_CHECK = "axes_refused_before_check"


class AxesBackend(AxesStandaloneBackend):  # type: ignore[misc]  # django-axes has no types
    """AxesStandaloneBackend, which marks the request it refuses (REFUSED_BEFORE_CHECK).

    django-axes sets `request.axes_locked_out` both when it refuses a locked-out pair before the
    password is checked and when a failed check locks the pair out (the fifth guess, and every
    guess of a burst that passed its look together). The log-in limits count the second kind,
    which were guesses at the password, and only this mark tells them apart (LoginView).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        try:
            super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, REFUSED_BEFORE_CHECK, True)
            raise
