"""Admin for editors: questions with their choices, checked by the same rules as the loader."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from quizzes.article import passage_offset
from quizzes.forms import CategoryAdminForm, ChoiceInlineFormSet, QuestionAdminForm
from quizzes.models import AttemptAnswer, CardState, Category, Choice, Question

STUDIED_REFUSAL = (
    "Learners have studied {what}, so deleting would delete their history. Deactivate it "
    "instead (untick “Is active”, or the “Deactivate” action): that keeps it out of new "
    "study and quizzes and keeps every learner's record."
)


def studied(questions):
    """The questions among `questions` that some learner has a card or a quiz answer for."""
    return questions.filter(
        Exists(CardState.objects.filter(question=OuterRef("pk")))
        | Exists(AttemptAnswer.objects.filter(question=OuterRef("pk")))
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["name", "slug", "display_order"]
    prepopulated_fields = {"slug": ["name"]}


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    fields = ["order", "text", "is_correct"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    inlines = [ChoiceInline]
    list_display = ["slug", "category", "kind", "prompt_start", "is_active"]
    list_filter = ["category", "kind", "is_active"]
    list_select_related = ["category"]
    search_fields = ["prompt", "answer", "source_passage", "slug"]
    actions = ["activate", "deactivate", "delete_unstudied"]
    readonly_fields = ["learner_preview", "passage_offset", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "category", "kind", "is_active", "position"]}),
        ("Question", {"fields": ["prompt", "answer", "accepted_answers", "explanation"]}),
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

    def get_actions(self, request):
        # Django's bulk delete would show the protected history; ours refuses with a message.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        question = self.get_object(request, object_id)
        if question is not None and studied(Question.objects.filter(pk=question.pk)).exists():
            self.message_user(request, STUDIED_REFUSAL.format(what="this question"), messages.ERROR)
            url = reverse("admin:quizzes_question_change", args=[question.pk])
            return HttpResponseRedirect(url)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Delete the selected questions", permissions=["delete"])
    def delete_unstudied(self, request, queryset):
        refused = list(studied(queryset).values_list("slug", flat=True))
        if refused:
            what = (
                "“" + "”, “".join(refused[:5]) + "”" + (" and others" if len(refused) > 5 else "")
            )
            self.message_user(request, STUDIED_REFUSAL.format(what=what), messages.ERROR)
            return None
        return delete_selected(self, request, queryset)

    def save_model(self, request, obj, form, change):
        obj.passage_offset = passage_offset(obj.source_passage)
        super().save_model(request, obj, form, change)

    @admin.action(description="Activate the selected questions", permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(is_active=True, updated_at=timezone.now())
        self.message_user(request, f"{count} question(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate the selected questions", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False, updated_at=timezone.now())
        self.message_user(request, f"{count} question(s) deactivated.", messages.SUCCESS)
