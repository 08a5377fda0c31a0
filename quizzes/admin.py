"""Admin for editors: facts with their questions, questions with their choices, checked by the
same rules as the loader, and learners' reports of wrong or unclear questions."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from learnfrl.middleware import nul_shown_by_fields
from quizzes.admin_lists import ListsCheckedAdmin
from quizzes.bank.admin_choices import (
    ChoiceAdminForm,
    ChoiceInlineFormSet,
    ChoicesChangedMeanwhile,
)
from quizzes.bank.admin_forms import (
    CategoryAdminForm,
    DisplayOnlyInlineFormSet,
    FactAdminForm,
    FactQuestionForm,
    FactQuestionFormSet,
    QuestionAdminForm,
    QuestionReportAdminForm,
)
from quizzes.enums import ReportStatus
from quizzes.learner_text import LearnerTextShown
from quizzes.models import (
    AttemptAnswer,
    CardState,
    Category,
    Choice,
    Fact,
    Question,
    QuestionReport,
)
from quizzes.reports import services as report_services
from quizzes.rules.article import passage_offset
from quizzes.rules.visible import controls_shown

STUDIED_REFUSAL = (
    "Learners have studied {what}, so deleting would delete their history. Deactivate it "
    "instead (untick “Active”, or the “Deactivate” action): that keeps it out of new "
    "study and quizzes and keeps every learner's record."
)


REPORTED_REFUSAL = (
    "Learners have reported {what}{open}, and reports are never deleted, so neither is the "
    "question they are about. Deactivate it instead (untick “Active”, or the “Deactivate” "
    "action){close}."
)


def reported_refusal(questions: QuerySet[Question], *, one: str = "") -> str | None:
    """Why these questions cannot be deleted for their reports, or None when none has any."""
    reported = list(
        questions.filter(Exists(QuestionReport.objects.filter(question=OuterRef("pk"))))
        .annotate(
            open_reports=Exists(
                QuestionReport.objects.filter(question=OuterRef("pk"), status=ReportStatus.OPEN)
            )
        )
        .values_list("slug", "open_reports")
    )
    if not reported:
        return None
    any_open = any(is_open for _, is_open in reported)
    return REPORTED_REFUSAL.format(
        what=_named([slug for slug, _ in reported], one=one),
        open=" (some reports are still open)" if any_open else "",
        close=", and mark its open reports fixed or rejected" if any_open else "",
    )


def _named(slugs: list[str], *, one: str) -> str:
    if len(slugs) == 1 and one:
        return one
    return "“" + "”, “".join(slugs[:5]) + "”" + (" and others" if len(slugs) > 5 else "")


def studied(questions: QuerySet[Question]) -> QuerySet[Question]:
    """The questions among `questions` that some learner has a card or a quiz answer for."""
    return questions.filter(
        Exists(CardState.objects.filter(question=OuterRef("pk")))
        | Exists(AttemptAnswer.objects.filter(question=OuterRef("pk")))
    )


# Who sent a report whose learner has since deleted their account.
DELETED_LEARNER = "a deleted account"


@admin.register(Category)
@nul_shown_by_fields
class CategoryAdmin(ListsCheckedAdmin, admin.ModelAdmin[Category]):
    form = CategoryAdminForm
    list_display = ["name", "slug", "display_order"]
    prepopulated_fields = {"slug": ["name"]}


class ChoiceInline(admin.TabularInline[Choice, Question]):
    model = Choice
    form = ChoiceAdminForm
    formset = ChoiceInlineFormSet
    extra = 0
    fields = ["order", "text", "is_correct"]


# Tuples, not lists: the admin's `fields` takes field groups as well as names, and a tuple of
# names fits both it and `readonly_fields`.
OPEN_REPORT_FIELDS = ("learner", "response_shown", "comment_shown", "created_at")
REPORT_FIELDS = (
    "question_link",
    "question_text",
    "learner",
    "origin",
    "response_shown",
    "comment_shown",
    "status",
    "created_at",
    "updated_at",
)


class OpenReportInline(LearnerTextShown, admin.TabularInline[QuestionReport, Question]):
    """The question's open reports, to read beside it; they are closed from the report list."""

    model = QuestionReport
    formset = DisplayOnlyInlineFormSet
    verbose_name = "open report"
    verbose_name_plural = "open reports from learners"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = OPEN_REPORT_FIELDS
    readonly_fields = OPEN_REPORT_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionReport]:
        return super().get_queryset(request).filter(status=ReportStatus.OPEN).select_related("user")

    @admin.display(description="learner")
    def learner(self, report: QuestionReport) -> str:
        # Plain text: a link would lead editors to the user admin, which is not theirs.
        return report.user.get_username() if report.user else DELETED_LEARNER

    def has_add_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Question | QuestionReport | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Question | QuestionReport | None = None
    ) -> bool:
        return False


def _passage_offset_set(obj: Fact | Question) -> None:
    offset = passage_offset(obj.source_passage)
    assert offset is not None, "the form refuses a passage that is not in the article"
    obj.passage_offset = offset


class FactQuestionInline(admin.StackedInline[Question, Fact]):
    """A fact's questions, edited beside it; their choices are edited on each question's page."""

    model = Question
    form = FactQuestionForm
    formset = FactQuestionFormSet
    extra = 0
    # A studied question keeps its learners' history: it is deactivated, never deleted here.
    can_delete = False
    show_change_link = True
    fields = [
        "seen",
        "slug",
        "category",
        "kind",
        "is_active",
        "position",
        "prompt",
        "answer",
        "explanation",
        "source_passage",
    ]

    def get_extra(self, request: HttpRequest, obj: Fact | None = None, **kwargs: Any) -> int:
        return 1 if obj is None else 0  # a new fact needs its first question


@admin.register(Fact)
@nul_shown_by_fields
class FactAdmin(ListsCheckedAdmin, admin.ModelAdmin[Fact]):
    """A fact: the claim, its answer and accepted forms, and the questions that are its cards."""

    form = FactAdminForm
    inlines = [FactQuestionInline]
    list_display = ["slug", "claim_start", "answer", "question_count"]
    search_fields = ["slug", "claim", "answer", "source_passage", "questions__slug"]
    readonly_fields = ["passage_offset", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["seen", "slug", "position"]}),
        ("Fact", {"fields": ["claim", "answer", "accepted_answers"]}),
        ("Source", {"fields": ["source_passage", "passage_offset"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Fact]:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="claim", ordering="claim")
    def claim_start(self, fact: Fact) -> str:
        return Truncator(fact.claim).chars(70)

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, fact: Fact) -> int:
        return int(getattr(fact, "question_total", 0))

    def save_model(
        self, request: HttpRequest, obj: Fact, form: ModelForm[Fact], change: bool
    ) -> None:
        _passage_offset_set(obj)
        super().save_model(request, obj, form, change)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Fact],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        for question in formset.save(commit=False):
            _passage_offset_set(question)
            question.save()
        formset.save_m2m()


@admin.register(Question)
@nul_shown_by_fields
class QuestionAdmin(ListsCheckedAdmin, admin.ModelAdmin[Question]):
    form = QuestionAdminForm
    inlines = [ChoiceInline, OpenReportInline]
    list_display = ["slug", "fact", "category", "kind", "prompt_start", "is_active"]
    list_filter = ["category", "kind", "is_active", "fact"]
    list_select_related = ["category", "fact"]
    search_fields = ["prompt", "answer", "source_passage", "slug", "fact__slug", "fact__claim"]
    actions = ["activate", "deactivate", "delete_unstudied"]
    readonly_fields = ["learner_preview", "passage_offset", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["seen", "slug", "category", "kind", "is_active", "position"]}),
        ("Question", {"fields": ["fact", "prompt", "answer", "explanation"]}),
        ("Source", {"fields": ["source_passage", "passage_offset"]}),
        ("Preview", {"fields": ["learner_preview"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="prompt", ordering="prompt")
    def prompt_start(self, question: Question) -> str:
        return Truncator(question.prompt).chars(70)

    @admin.display(description="As a learner sees it")
    def learner_preview(self, question: Question) -> str:
        if not question.pk:
            return "Save the question to see its preview."
        return render_to_string("quizzes/admin_preview.html", {"question": question})

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ChoicesChangedMeanwhile:
            # Nothing was saved; checked again, the page finds the choice saved meanwhile and
            # says so on its row (once: a second race in a row is left to fail).
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Django's bulk delete would show the protected history; ours refuses with a message.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        question = self.get_object(request, object_id)
        if question is not None:
            this = Question.objects.filter(pk=question.pk)
            refusal = (
                STUDIED_REFUSAL.format(what="this question")
                if studied(this).exists()
                else reported_refusal(this, one="this question")
            )
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                url = reverse("admin:quizzes_question_change", args=[question.pk])
                return HttpResponseRedirect(url)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Delete the selected questions", permissions=["delete"])
    def delete_unstudied(
        self, request: HttpRequest, queryset: QuerySet[Question]
    ) -> HttpResponse | None:
        refused = list(studied(queryset).values_list("slug", flat=True))
        if refused:
            what = (
                "“" + "”, “".join(refused[:5]) + "”" + (" and others" if len(refused) > 5 else "")
            )
            self.message_user(request, STUDIED_REFUSAL.format(what=what), messages.ERROR)
            return None
        refusal = reported_refusal(queryset)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return None
        return delete_selected(self, request, queryset)

    def save_model(
        self, request: HttpRequest, obj: Question, form: ModelForm[Question], change: bool
    ) -> None:
        _passage_offset_set(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="Activate the selected questions", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = queryset.update(is_active=True, updated_at=timezone.now())
        self.message_user(request, f"{count} question(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate the selected questions", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse | None:
        """Asks first, naming them ("select all" then Deactivate retired the whole bank at one
        click); the answer posts back the active ones asked about."""
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Deactivate questions?",
                "active": list(queryset.filter(is_active=True).values("pk", "slug")),
                "inactive": queryset.filter(is_active=False).count(),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/quizzes/question/deactivate_confirmation.html", context
            )
        count = queryset.update(is_active=False, updated_at=timezone.now())
        self.message_user(request, f"{count} question(s) deactivated.", messages.SUCCESS)
        return None


@admin.register(QuestionReport)
@nul_shown_by_fields
class QuestionReportAdmin(LearnerTextShown, ListsCheckedAdmin, admin.ModelAdmin[QuestionReport]):
    """Learners' reports: read them beside the question, then mark them fixed or rejected."""

    form = QuestionReportAdminForm
    list_display = [
        "created_at",
        "question_link",
        "status",
        "learner",
        "response_shown",
        "comment_start",
    ]
    list_display_links = ["created_at"]
    list_filter = ["status", "origin", "question__category"]
    list_select_related = ["question", "user"]
    search_fields = ["comment", "response", "question__slug", "user__username"]
    date_hierarchy = "created_at"
    actions = ["mark_fixed", "mark_rejected"]
    fields = REPORT_FIELDS
    readonly_fields = [f for f in REPORT_FIELDS if f != "status"]

    @admin.display(description="question", ordering="question__slug")
    def question_link(self, report: QuestionReport) -> str:
        url = reverse("admin:quizzes_question_change", args=[report.question_id])
        return format_html('<a href="{}">{}</a>', url, report.question.slug)

    @admin.display(description="learner", ordering="user__username")
    def learner(self, report: QuestionReport) -> str:
        return report.user.get_username() if report.user else DELETED_LEARNER

    @admin.display(description="prompt and answer")
    def question_text(self, report: QuestionReport) -> str:
        question = report.question
        return format_html("{}<br>Answer: <strong>{}</strong>", question.prompt, question.answer)

    @admin.display(description="comment")
    def comment_start(self, report: QuestionReport) -> str:
        return Truncator(controls_shown(report.comment)).chars(80)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reports come from learners, on the study and quiz pages.
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: QuestionReport | None = None
    ) -> bool:
        # Never deleted, by superusers either: they are closed (fixed or rejected) instead.
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: QuestionReport,
        form: ModelForm[QuestionReport],
        change: bool,
    ) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def _close(
        self, request: HttpRequest, queryset: QuerySet[QuestionReport], status: ReportStatus
    ) -> None:
        count = report_services.reports_close(reports=queryset, status=status, now=timezone.now())
        label = status.label.lower()
        self.message_user(request, f"{count} report(s) marked {label}.", messages.SUCCESS)

    @admin.action(description="Mark the selected reports fixed", permissions=["change"])
    def mark_fixed(self, request: HttpRequest, queryset: QuerySet[QuestionReport]) -> None:
        self._close(request, queryset, ReportStatus.FIXED)

    @admin.action(description="Mark the selected reports rejected", permissions=["change"])
    def mark_rejected(self, request: HttpRequest, queryset: QuerySet[QuestionReport]) -> None:
        self._close(request, queryset, ReportStatus.REJECTED)


# The editors' queue of learners' phrasings lives with its sub-domain.
from quizzes.claims import admin as claims_admin  # noqa: E402, F401
