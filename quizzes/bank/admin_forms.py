"""The admin's forms: a question, its choices and category, checked as the loader checks the
bank file."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from quizzes.enums import QuestionKind
from quizzes.limits import MAX_LENGTHS
from quizzes.models import Category, Choice, Question, QuestionReport
from quizzes.rules.bankfile import (
    choice_problems,
    passage_problems,
    slug_problems,
)
from quizzes.rules.cloze import cloze_field_problems


def _slug_clean(slug: str) -> str:
    """Refuse a slug the loader would refuse, so export -> load always round-trips."""
    problems = slug_problems(slug)
    if problems:
        raise forms.ValidationError(
            f"Slugs {problems[0]}, for example “formation-date”.", code="invalid_slug"
        )
    return slug


class CategoryAdminForm(forms.ModelForm[Category]):
    class Meta:
        model = Category
        fields = ["name", "slug", "description", "display_order"]

    def clean_slug(self) -> str:
        return _slug_clean(self.cleaned_data["slug"])


class LinesField(forms.CharField):
    """A list of short texts edited as one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        longest = MAX_LENGTHS["accepted_answer"]
        for line in value:
            if len(line) > longest:
                raise forms.ValidationError(
                    f"Each accepted answer has at most {longest} characters.", code="max_length"
                )


class QuestionAdminForm(forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = [
            "slug",
            "fact",
            "category",
            "kind",
            "is_active",
            "position",
            "prompt",
            "answer",
            "explanation",
            "source_passage",
        ]

    def clean_slug(self) -> str:
        return _slug_clean(self.cleaned_data["slug"])

    def clean_source_passage(self) -> str:
        passage: str = self.cleaned_data["source_passage"]
        problems = passage_problems(passage)
        if problems:
            raise forms.ValidationError(f"The passage {problems[0]}.", code="invalid_passage")
        return passage

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == QuestionKind.CLOZE:
            self._clean_cloze(cleaned)
        return cleaned

    def _clean_cloze(self, cleaned: dict[str, Any]) -> None:
        """The loader's cloze rules: one marker, its span the answer, the text the passage."""
        prompt, answer = cleaned.get("prompt"), cleaned.get("answer")
        passage = cleaned.get("source_passage")
        if prompt is None or answer is None:
            return  # their own errors are shown already
        for problem in cloze_field_problems(prompt, answer, passage or ""):
            if problem.field == "passage" and passage is None:
                continue  # the passage's own error is shown already
            self.add_error(
                _ADMIN_FIELDS[problem.field],
                forms.ValidationError(_cloze_sentence(problem.message), code="invalid_cloze"),
            )


# The bank file's field names as the admin form names them.
_ADMIN_FIELDS = {"prompt": "prompt", "answer": "answer", "passage": "source_passage"}


def _cloze_sentence(message: str) -> str:
    """A cloze rule's message as a sentence: "has two markers" is about the prompt."""
    if message.startswith(("has ", "uses ")):
        message = f"The prompt {message}"
    return message[0].upper() + message[1:] + "."


class ChoiceInlineFormSet(forms.BaseInlineFormSet[Choice, Question, forms.ModelForm[Choice]]):
    """Apply the loader's choice rules to the choices edited beside a question."""

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda c: c.get("order") or 0)
        pairs = [(c["text"], bool(c.get("is_correct"))) for c in kept]
        problems = choice_problems(self.instance.kind, self.instance.answer, pairs)
        if problems:
            raise forms.ValidationError(
                [
                    forms.ValidationError(p[0].upper() + p[1:] + ".", code="invalid_choices")
                    for p in problems
                ]
            )


class QuestionReportAdminForm(forms.ModelForm[QuestionReport]):
    """An editor changes a report's status; the learner, question and comment stay as sent."""

    class Meta:
        model = QuestionReport
        fields = ["status"]

    # django-stubs leaves out BaseModelForm's private _post_clean and _update_errors, which
    # Django has (this is where it validates the instance and files the errors it raises).
    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # The model form leaves out constraints on fields it does not edit (learner, question):
        # check them all, so reopening a report beside an open one is an error, not a crash.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


class DisplayOnlyInlineFormSet(
    forms.BaseInlineFormSet[QuestionReport, Question, forms.ModelForm[QuestionReport]]
):
    """An inline shown beside its object and never edited there.

    Always unbound: saving the object posts nothing for it, and a row added in between (a learner
    reporting the question while an editor works on it) cannot make the editor's save fail.
    """

    def __init__(self, data: Any = None, files: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(None, None, *args, **kwargs)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def is_valid(self) -> bool:
        return True

    def save(self, commit: bool = True) -> list[QuestionReport]:
        return []
