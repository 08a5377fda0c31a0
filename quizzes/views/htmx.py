"""The htmx plumbing, once: a page or its partial, a redirect that htmx follows, a post's answer."""

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: `request.htmx` says if htmx sent it."""

    htmx: HtmxDetails


class LearnerRequest(HtmxHttpRequest):
    """A request to a view behind @login_required: its user is a learner, never anonymous."""

    user: User


def page(
    request: HtmxHttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    partial: str = "",
    status: int = 200,
) -> TemplateResponse:
    """Render the page, or only its `partial` (template.html#partial) when htmx asks."""
    name = f"{template}#{partial}" if partial and request.htmx else template
    return TemplateResponse(request, name, dict(context), status=status)


def go_to(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """Send the browser to `url`: a redirect, or for htmx a full page load of it."""
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def after_post(
    request: HtmxHttpRequest,
    *,
    url: str | Callable[[], str],
    render: Callable[[str], HttpResponse],
    notice: str = "",
    level: int = messages.INFO,
) -> HttpResponse:
    """Answer a form post: htmx gets the fragment to swap in, `render(notice)`; a plain post is
    redirected to `url` (post, redirect, get), with the notice as a message. `url` may be a
    function, called only for a plain post."""
    if request.htmx:
        return render(notice)
    if notice:
        messages.add_message(request, level, notice)
    return HttpResponseRedirect(url() if callable(url) else url)
