"""What every page's layout needs from the request: the main navigation."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

# The main sections, by label and URL name.
SECTIONS = (
    ("Study", "quizzes:study"),
    ("Quizzes", "quizzes:quiz_list"),
    ("Progress", "quizzes:progress"),
    ("Article", "quizzes:article"),
)


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation and its `aria-current`: "page" on the section's own page,
    "true" on the pages under it, "" elsewhere."""

    label: str
    url: str
    current: str


def _current(path: str, url: str) -> str:
    if path == url:
        return "page"
    # A section's link is current on its sub-pages too: their paths start with its URL.
    return "true" if path.startswith(url) else ""


def _items(request: HttpRequest) -> tuple[NavItem, ...]:
    items = []
    for label, name in SECTIONS:
        url = reverse(name)
        items.append(NavItem(label, url, _current(request.path, url)))
    return tuple(items)


def _account(request: HttpRequest, username: str) -> NavItem:
    url = reverse("account")
    return NavItem(username, url, _current(request.path, url))


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation's links for a learner (none for a visitor, who gets log in/sign up),
    and the link to their account page, labelled with their username. Made when the layout
    shows them: an htmx fragment (a card, a quiz question) never does, and is spared reversing
    five URLs."""
    user = getattr(request, "user", None)  # absent when an error page renders before auth ran
    if user is None or not user.is_authenticated:
        return {"nav_items": (), "account_item": None}
    username = user.get_username()
    return {
        "nav_items": SimpleLazyObject(lambda: _items(request)),
        "account_item": SimpleLazyObject(lambda: _account(request, username)),
    }
