"""The request plumbing, once: the typed request, a page or its partial, a redirect that htmx
follows, a post's answer, and the forms every request parser builds on."""

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from learnfrl.accounts.limits import in_flight
from learnfrl.accounts.users import User
from learnfrl.middleware import busy_notice_retarget, current_request_id
from learnfrl.parsing import ID_PATTERN
from quizzes import limits
from quizzes.enums import CardFilterState, CardsBulkAction, HoldKind, ParametersChoice


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
    preserve_request: bool = False,
) -> HttpResponse:
    """Answer a form post: htmx gets the fragment to swap in, `render(notice)`; a plain post is
    redirected to `url` (post, redirect, get), with the notice as a message. `url` may be a
    function, called only for a plain post. `preserve_request`: the browser posts the same
    form to `url` (307), for a page only a POST shows."""
    if request.htmx:
        return render(notice)
    if notice:
        messages.add_message(request, level, notice)
    target = url() if callable(url) else url
    return HttpResponseRedirect(target, preserve_request=preserve_request)


ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])

# What a learner beyond their requests in flight is told to wait (Retry-After): one such request
# takes up to a few seconds.
BUSY_SECONDS = 5


def one_at_a_time(view: ViewT) -> ViewT:
    """Serve a request that takes a while (seconds of CPU, or a read of the learner's whole
    history) only while the learner has fewer than LEARNER_REQUESTS_IN_FLIGHT such requests in
    flight, counted in the shared cache across processes and servers; beyond it answer 429.

    Without it one account looping requests could hold every thread the site has, and every
    other learner would wait. Goes under @login_required; the response is rendered inside, as
    rendering its charts is part of the work.
    """

    @functools.wraps(view)
    def limited(request: LearnerRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with in_flight(
            scope="learner-requests",
            ident=str(request.user.pk),
            slots=settings.LEARNER_REQUESTS_IN_FLIGHT,
            seconds=settings.LEARNER_REQUEST_SECONDS,
        ) as served:
            if not served:
                return busy_page(request)
            response = view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse):
                response.render()
            return response

    return cast(ViewT, limited)


def busy_page(request: HtmxHttpRequest) -> TemplateResponse:
    """The 429 page (for htmx its message alone, shown in the page's busy notice above the part
    it asked for, which stays as it was) that tells a learner another of their requests that
    take a while is still being answered."""
    if request.htmx:
        again = request.htmx.current_url_abs_path or ""
    else:
        again = request.get_full_path() if request.method == "GET" else ""
    context = {
        "title": "One moment, please",
        "message": (
            "Another of your requests that take a while (the workload simulator, optimizing "
            "your schedule, your statistics or your cards) is still being answered. Try again "
            "in a few seconds, once it is done."
        ),
        "again_url": again,
        "request_id": current_request_id(),
    }
    response = page(request, "429.html", context, partial="message", status=429)
    response["Retry-After"] = str(BUSY_SECONDS)
    if request.htmx:
        busy_notice_retarget(response)
    return response


# What requests carry, parsed by forms: anything invalid is a bad request.


class RequestForm(forms.Form):
    """A form that parses what a request carries: anything invalid is a bad request."""

    def cleaned_or_bad_request(self) -> dict[str, Any]:
        """Return the cleaned data, or raise BadRequest with the first problem as its message."""
        if self.is_valid():
            return self.cleaned_data
        first = next(iter(self.errors.values()))[0]
        raise BadRequest(first)


def response_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=limits.MAX_RESPONSE_LENGTH,
        error_messages={
            "max_length": f"Answers are at most {limits.MAX_RESPONSE_LENGTH} characters."
        },
    )


def enum_field(
    enum: type[models.Choices],
    *,
    message: str,
    coerce: Callable[[Any], models.Choices] | None = None,
) -> forms.TypedChoiceField:
    """A required choice of one of `enum`'s members, handed to the view as the member (through
    `coerce`, the enum itself by default); a missing or unknown value fails with `message`."""
    return forms.TypedChoiceField(
        choices=enum.choices,
        coerce=coerce or enum,
        error_messages={"required": message, "invalid_choice": message},
    )


class QuestionIdField(forms.CharField):
    """A question's id as a request carries it: 1 to 18 ASCII digits and nothing else ("²",
    " 1" and "1_0" are not ids), cleaned to an int; anything else fails with `message`."""

    def __init__(self, *, message: str) -> None:
        super().__init__(
            strip=False,
            validators=[RegexValidator(rf"\A{ID_PATTERN}\Z", message=message)],
            error_messages={"required": message},
        )

    def clean(self, value: Any) -> int:
        return int(super().clean(value))


def vocabulary(request: HttpRequest) -> dict[str, type[models.Choices]]:
    """The enums templates name values by (a context processor), so a template never spells one:
    `value="{{ HoldKind.BURY }}"`. Django's choices are not called by templates."""
    return {
        "CardFilterState": CardFilterState,
        "CardsBulkAction": CardsBulkAction,
        "HoldKind": HoldKind,
        "ParametersChoice": ParametersChoice,
    }
