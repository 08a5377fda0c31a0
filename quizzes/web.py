"""The request plumbing, once: the typed request, a page or its partial, a redirect that htmx
follows, a post's answer, and the forms every request parser builds on."""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from learnfrl.accounts.users import User
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
) -> HttpResponse:
    """Answer a form post: htmx gets the fragment to swap in, `render(notice)`; a plain post is
    redirected to `url` (post, redirect, get), with the notice as a message. `url` may be a
    function, called only for a plain post."""
    if request.htmx:
        return render(notice)
    if notice:
        messages.add_message(request, level, notice)
    return HttpResponseRedirect(url() if callable(url) else url)


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
