"""The editors' queue of learners' phrasings: grouped by fact and phrasing, accepted or rejected."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from learnfrl.middleware import nul_shown_by_fields
from quizzes.admin_lists import ListsCheckedAdmin
from quizzes.bank.admin_forms import EditorForm
from quizzes.claims import decisions, selectors, services
from quizzes.enums import ClaimStatus, PhrasingsShown
from quizzes.learner_text import LearnerTextShown
from quizzes.limits import MAX_CLAIM_REASON_LENGTH, MAX_RESPONSE_LENGTH
from quizzes.models import AnswerClaim
from quizzes.rules.visible import controls_shown


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _decided_already(data: dict[str, Any]) -> str:
    """What a decision on a phrasing decided before says: how it was decided, and by whom."""
    claim = (
        AnswerClaim.objects.filter(fact_id=data["fact"], normalised=data["normalised"])
        .exclude(status=ClaimStatus.PENDING)
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )
    how = ""
    if claim is not None:
        who = claim.decided_by.get_username() if claim.decided_by else "an editor"
        how = f" ({claim.status} by {who})"  # the value: "accepted" or "rejected"
    return (
        f"“{data['normalised']}” was decided already{how}: nothing was changed. To take back an "
        "accepted phrasing, remove it from the fact's accepted answers."
    )


def _queue_url(shown: str) -> str:
    """The queue under a filter (the default one without a query)."""
    url = reverse("admin:quizzes_answerclaim_phrasings")
    return url if shown in ("", PhrasingsShown.ALL) else f"{url}?shown={shown}"


class ShownForm(forms.Form):
    """Which phrasings the queue lists (all of them, claimed first, when not said)."""

    shown = forms.ChoiceField(choices=PhrasingsShown.choices, required=False)

    def shown_value(self) -> PhrasingsShown:
        if not self.is_valid():
            raise BadRequest("The queue has no such filter.")
        return PhrasingsShown(self.cleaned_data["shown"] or PhrasingsShown.ALL)


class PhrasingForm(ShownForm):
    """One phrasing of one fact, and the filter of the queue to go back to."""

    fact = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    normalised = forms.CharField(max_length=MAX_RESPONSE_LENGTH)


class BulkRejectForm(forms.Form):
    """One reason for rejecting several phrasings at once."""

    reason = forms.CharField(
        max_length=MAX_CLAIM_REASON_LENGTH,
        label="Why they are rejected",
        help_text="The learners who said they were right read it.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        # Stripped as Django strips it: spaces alone are no reason, and say so as none does.
        error_messages={"required": "Say why the phrasings are rejected: the learners see it."},
    )


class DecisionForm(PhrasingForm):
    """Accept or reject one phrasing of one fact (a reason is needed to reject)."""

    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    reason = forms.CharField(
        max_length=MAX_CLAIM_REASON_LENGTH, required=False, label="Why it is rejected"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the phrasing is rejected: the learners see it.")
        return data


@admin.register(AnswerClaim)
@nul_shown_by_fields
class AnswerClaimAdmin(LearnerTextShown, ListsCheckedAdmin, admin.ModelAdmin[AnswerClaim]):
    form = EditorForm
    list_display = [
        "response_shown",
        "question",
        "user",
        "origin",
        "claimed",
        "status",
        "created_at",
    ]
    list_filter = ["status", "claimed", "origin"]
    search_fields = ["response", "normalised", "question__slug", "fact__slug"]
    list_select_related = ["question", "user"]
    readonly_fields = [
        "user",
        "question",
        "fact",
        "response_shown",
        "normalised",
        "origin",
        "attempt_answer",
        "claimed",
        "status",
        "reason",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    # Read only, the reason too: a claim is decided on the phrasings queue, whose Reject insists
    # on a reason, never here (an outside tester blanked one, and wrote one on a waiting claim).
    fields = tuple(readonly_fields)
    change_list_template = "admin/quizzes/answerclaim/change_list.html"
    actions = ["reject_phrasings"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # phrasings come from learners

    def has_delete_permission(self, request: HttpRequest, obj: AnswerClaim | None = None) -> bool:
        return False

    @admin.action(
        description="Reject the waiting phrasings of the selected claims…", permissions=["change"]
    )
    def reject_phrasings(
        self, request: HttpRequest, queryset: QuerySet[AnswerClaim]
    ) -> HttpResponse | None:
        """Asks first, naming the phrasings and what rejecting closes, for one reason; the answer
        posts back the claims selected with the reason."""
        phrasings = selectors.phrasings_selected(queryset)
        if not phrasings:
            self.message_user(
                request,
                "None of the selected claims is waiting: nothing was rejected.",
                messages.WARNING,
            )
            return None
        form = BulkRejectForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_valid():
            user: Any = request.user
            closed = decisions.phrasings_reject_selected(
                selected=queryset,
                editor=user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
            self.message_user(
                request,
                f"Rejected {_count(len(phrasings), 'phrasing')} ({_count(closed, 'claim')}).",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Reject these phrasings?",
            "phrasings": phrasings,
            "claims": sum(p.claims for p in phrasings),
            "form": form,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/quizzes/answerclaim/reject_confirmation.html", context
        )

    def get_urls(self) -> list[URLPattern]:
        grouped = path(
            "phrasings/",
            self.admin_site.admin_view(
                require_http_methods(["GET", "HEAD", "POST"])(self.phrasings_view)
            ),
            name="quizzes_answerclaim_phrasings",
        )
        accept = path(
            "phrasings/accept/",
            self.admin_site.admin_view(require_http_methods(["GET", "HEAD"])(self.accept_view)),
            name="quizzes_answerclaim_accept",
        )
        return [grouped, accept, *super().get_urls()]

    @staticmethod
    def _decide(request: HttpRequest, form: DecisionForm) -> None:
        data, now = form.cleaned_data, timezone.now()
        user: Any = request.user
        try:
            if data["decision"] == "accept":
                done = decisions.phrasing_accept(
                    fact_id=data["fact"], normalised=data["normalised"], editor=user, now=now
                )
                if done.changed_nothing:
                    messages.warning(request, _decided_already(data))
                    return
                messages.success(
                    request,
                    f"Accepted “{data['normalised']}”"
                    + (f": “{done.form}” added to the fact's forms" if done.form else "")
                    + f"; {_count(done.answers, 'quiz answer')} of "
                    + f"{_count(done.learners, 'learner')} regraded.",
                )
            else:
                closed = decisions.phrasing_reject(
                    fact_id=data["fact"],
                    normalised=data["normalised"],
                    editor=user,
                    reason=data["reason"],
                    now=now,
                )
                if not closed:
                    # Decided since the page was read (another tab, another editor): a rejection
                    # closes pending claims only, so an accepted phrasing stays accepted.
                    messages.warning(request, _decided_already(data))
                    return
                messages.success(
                    request, f"Rejected “{data['normalised']}” ({_count(closed, 'claim')})."
                )
        except services.NotFound:
            messages.error(request, "No learner gave that phrasing for that fact.")
        except decisions.FormRefused as refused:
            # It may quote the learner's text: named as the rest of the queue shows it.
            messages.error(
                request, f"Not accepted: {controls_shown(str(refused))} Nothing was changed."
            )

    def phrasings_view(self, request: HttpRequest) -> HttpResponse:
        """Pending phrasings grouped by fact and phrasing, claimed and most learners first, under
        a filter; POST decides (an accept comes from its confirmation page)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            form = DecisionForm(request.POST)
            if form.is_valid():
                self._decide(request, form)
                return HttpResponseRedirect(_queue_url(form.cleaned_data["shown"]))
            messages.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
            shown = PhrasingsShown(form.cleaned_data.get("shown") or PhrasingsShown.ALL)
        else:
            shown = ShownForm(request.GET).shown_value()
        queue = selectors.phrasings_pending(shown=shown)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Learners' phrasings, by fact",
            "queue": queue,
            "groups": queue.groups,
            "filters": [
                (choice, choice.label, queue.counts[choice], _queue_url(choice))
                for choice in PhrasingsShown
            ],
            "can_decide": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/quizzes/answerclaim/phrasings.html", context)

    def accept_view(self, request: HttpRequest) -> HttpResponse:
        """Accept's first step: what accepting the phrasing would do, and a button to do it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = PhrasingForm(request.GET)
        if not form.is_valid():
            raise BadRequest("Name a fact and one of its phrasings.")
        data = form.cleaned_data
        back = _queue_url(data["shown"])
        try:
            preview = decisions.phrasing_accept_preview(
                fact_id=data["fact"], normalised=data["normalised"]
            )
        except services.NotFound:
            messages.error(request, "No learner gave that phrasing for that fact.")
            return HttpResponseRedirect(back)
        if preview.decided:
            messages.warning(request, _decided_already(data))
            return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Accept this phrasing?",
            "preview": preview,
            "shown": data["shown"],
            "back": back,
        }
        return TemplateResponse(request, "admin/quizzes/answerclaim/accept.html", context)
