"""The admin's forms: a fact with its questions, a question, and a category, checked as the loader
checks the bank file (a question's choices: admin_choices)."""

from datetime import UTC
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from quizzes.bank.selectors import fact_wrong_choices
from quizzes.enums import QuestionKind
from quizzes.models import Category, Fact, Question, QuestionReport
from quizzes.rules.article import passage_as_copied
from quizzes.rules.bankfile import (
    accepted_problems,
    as_sentence,
    fact_answer_problems,
    passage_problems,
    slug_problems,
    wrong_choice_right,
)
from quizzes.rules.choices import choice_problems, wrong_choices_right
from quizzes.rules.cloze import cloze_field_problems, marker_problems
from quizzes.rules.hedges import hedge_dropped, hedge_message
from quizzes.rules.visible import bidi_problems, invisible_problems


def _slug_clean(slug: str) -> str:
    """Refuse a slug the loader would refuse, so export -> load always round-trips."""
    problems = slug_problems(slug)
    if problems:
        raise forms.ValidationError(
            f"Slugs {problems[0]}, for example “formation-date”.", code="invalid_slug"
        )
    return slug


# Django's CharField refuses a NUL with "Null characters are not allowed.": the editor is told
# more, since the character cannot be seen.
NUL_IN_TEXT = (
    "This text holds a NUL character, which no text here may hold: it is invisible, and usually "
    "pasted in by mistake. Remove it, then save again."
)


def _shows_something(text: str) -> None:
    """Refuse a text of invisible characters alone, or holding one that reorders the text around
    it (a right-to-left override shows a prompt backwards), as the loader does."""
    if "\x00" in text:
        return  # a NUL has an error of its own (NUL_IN_TEXT)
    for problem in invisible_problems(text):
        raise forms.ValidationError(as_sentence(f"This text {problem}"), code="invisible_only")
    for problem in bidi_problems(text):
        raise forms.ValidationError(as_sentence(f"This text {problem}"), code="reorders")


class EditorForm(forms.ModelForm[Any]):
    """A model form of the editors' admin: a NUL character in a text, a text that shows
    nothing (invisible characters alone) or one that would not show as written (a character that
    reorders it), is an error on its field (their pages let a NUL through
    to the form: learnfrl.middleware.nul_shown_by_fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["null_characters_not_allowed"] = NUL_IN_TEXT
            # A LinesField's lines are the loader's accepted forms, checked by its rule.
            if isinstance(field, forms.CharField) and not isinstance(field, LinesField):
                field.validators = [*field.validators, _shows_something]


class CategoryAdminForm(EditorForm):
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
        # CharField's own check reads the list as a whole, where a NUL is written "\x00".
        if any("\x00" in line for line in value):
            raise forms.ValidationError(NUL_IN_TEXT, code="null_characters_not_allowed")
        # The loader's rules, each problem naming its line: length, number, the same line twice.
        problems = accepted_problems(value)
        if problems:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        as_sentence(p), code="max_length" if "longer than" in p else "invalid"
                    )
                    for p in problems
                ]
            )


def _hedge_error(before: str, after: Any, passage: Any, field: str) -> ValidationError | None:
    """An edit's last hedge taken out of a prompt or a claim (rules.hedges), as an error."""
    if not isinstance(after, str) or not isinstance(passage, str):
        return None  # their own errors are shown already
    dropped = hedge_dropped(before, after, passage)
    message = None if dropped is None else hedge_message(dropped, field)
    return None if message is None else ValidationError(message, code="hedge_dropped")


def _passage_clean(passage: str) -> str:
    # Copied from the site's own article page, its no-break spaces came as spaces (an outside
    # tester): the article's own characters are kept.
    passage = passage_as_copied(passage) or passage
    problems = passage_problems(passage)
    if problems:
        raise forms.ValidationError(f"The passage {problems[0]}.", code="invalid_passage")
    return passage


EDITED_ELSEWHERE = (
    "This {what} was changed elsewhere (at {at:%H:%M:%S} UTC) since this page was opened: saving "
    "it would undo that change. Reload the page, then make your edit again."
)


class SeenChecked(EditorForm):
    """A model form that refuses to save over a change made since its page was read (another
    tab, another editor, a bulk action): the page carries the row's `updated_at` as it was
    (`seen`), and a stale one is an error. Without it a fact's page, saved for its claim, wrote
    every question beside it back as the page had them, undoing edits made meanwhile. Its
    subclasses name the row (`what`) and list "seen" in the admin's fields."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    what = "row"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["seen"].initial = self.instance.updated_at.isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (stale := self._stale()) is not None:
            self.add_error(None, stale)
        return cleaned

    def _stale(self) -> ValidationError | None:
        posted = self.data.get(self.add_prefix("seen"))
        current = self.instance.updated_at if self.instance.pk else None
        if not posted or current is None or posted == current.isoformat():
            return None
        # Values as they are now (a question saved on its own page for a choice, which bumps
        # its time and nothing else): saving them undoes nothing.
        if not set(self.changed_data) - {"seen"}:
            return None
        message = EDITED_ELSEWHERE.format(what=self.what, at=current.astimezone(UTC))
        return ValidationError(message, code="edited_elsewhere")


class FactAdminForm(SeenChecked):
    accepted_answers = LinesField(
        required=False,
        help_text=(
            "One form per line that counts as right on the fact's typed and cloze questions "
            "(the answer always counts)."
        ),
    )

    class Meta:
        model = Fact
        fields = ["slug", "claim", "answer", "accepted_answers", "source_passage", "position"]

    what = "fact"

    def clean_slug(self) -> str:
        return _slug_clean(self.cleaned_data["slug"])

    def clean_accepted_answers(self) -> list[str]:
        """No accepted form may be a wrong choice of the fact's multiple-choice questions written
        another way: "February 2022" typed would be right where the same card's list says it is
        wrong (an outside tester)."""
        accepted: list[str] = self.cleaned_data["accepted_answers"]
        if self.instance.pk is None:
            return accepted
        clashes = wrong_choices_right(fact_wrong_choices(self.instance.pk), accepted)
        if clashes:
            raise ValidationError(
                [
                    ValidationError(as_sentence(wrong_choice_right(c, f)), code="wrong_choice")
                    for c, f in clashes
                ]
            )
        return accepted

    def clean_source_passage(self) -> str:
        return _passage_clean(self.cleaned_data["source_passage"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is not None:
            claim, passage = cleaned.get("claim"), cleaned.get("source_passage")
            if error := _hedge_error(self.instance.claim, claim, passage, "claim"):
                self.add_error("claim", error)
        return cleaned


ANSWER_NEEDED = (
    "Give the answer: the right choice's text, or a cloze's hidden words (a typed question's "
    "may be left empty: it takes its fact's)."
)


class QuestionAdminForm(SeenChecked):
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

    what = "question"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A typed question's answer is its fact's: left empty, it is taken from the fact (clean).
        self.fields["answer"].required = False
        self.fields["answer"].help_text = (
            "A typed question: leave it empty to take its fact's answer. Otherwise the right "
            "choice's text, or a cloze's hidden words."
        )

    def clean_slug(self) -> str:
        return _slug_clean(self.cleaned_data["slug"])

    def clean_source_passage(self) -> str:
        return _passage_clean(self.cleaned_data["source_passage"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == QuestionKind.CLOZE:
            self._clean_cloze(cleaned)
        elif cleaned.get("kind") and cleaned.get("prompt"):
            # A question made a cloze's kind no more: its front would show the marker, answer
            # and all.
            for problem in marker_problems(cleaned["prompt"]):
                message = as_sentence(f"The prompt {problem}")
                self.add_error("prompt", forms.ValidationError(message, code="cloze_marker"))
        if self.instance.pk is not None:
            # A prompt edited may not lose its last hedge while its passage hedges (an outside
            # tester saved "Which agency reportedly arrested…" without "reportedly").
            prompt, passage = cleaned.get("prompt"), cleaned.get("source_passage")
            if error := _hedge_error(self.instance.prompt, prompt, passage, "prompt"):
                self.add_error("prompt", error)
        fact = cleaned.get("fact")
        if cleaned.get("answer") == "" and "answer" not in self.errors:
            if cleaned.get("kind") == QuestionKind.TYPED and fact is not None:
                cleaned["answer"] = fact.answer
            else:
                self.add_error("answer", forms.ValidationError(ANSWER_NEEDED, code="required"))
        if fact is not None and fact.answer:  # an empty answer has its own error already
            self.fact_check(fact)
        return cleaned

    def fact_check(self, fact: Fact) -> None:
        """A typed question shows its fact's answer; a cloze's blank must be graded right by the
        fact's forms, so the fact's cards accept the same answers."""
        kind, answer = self.cleaned_data.get("kind"), self.cleaned_data.get("answer")
        if kind is None or answer is None:
            return  # their own errors are shown already
        for problem in fact_answer_problems(
            kind, answer, fact_answer=fact.answer, accepted=list(fact.accepted_answers)
        ):
            error = forms.ValidationError(as_sentence(problem), code="fact_answer")
            self.add_error("answer", error)

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


_CHOICES_ELSEWHERE = " Delete its choices on the question's own page first."


class FactQuestionForm(QuestionAdminForm):
    """A question edited beside its fact (the fact is the page's; choices are edited on the
    question's own page, so a new choice question is added there)."""

    class Meta(QuestionAdminForm.Meta):
        fields = [f for f in QuestionAdminForm.Meta.fields if f != "fact"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind is None:
            return cleaned
        with_choices = QuestionKind(kind).has_choices
        if with_choices and self.instance._state.adding:
            self.add_error(
                "kind",
                forms.ValidationError(
                    "Add a multiple-choice or true/false question from the question page, "
                    "where its choices are edited.",
                    code="choices_elsewhere",
                ),
            )
        elif not self.instance._state.adding and "answer" in cleaned:
            # Any kind: a choice question made typed or a cloze here keeps its choices, which
            # the loader then refuses; they are deleted on the question's own page.
            pairs = [(c.text, c.is_correct) for c in self.instance.choices.all()]
            field = "answer" if with_choices else "kind"
            for problem in choice_problems(kind, cleaned["answer"], pairs):
                message = as_sentence(problem) + ("" if with_choices else _CHOICES_ELSEWHERE)
                self.add_error(field, forms.ValidationError(message, code="invalid_choices"))
        return cleaned


RowT = TypeVar("RowT", bound=Model)
ParentT = TypeVar("ParentT", bound=Model)
RowFormT = TypeVar("RowFormT", bound=forms.ModelForm[Any])

ROW_GONE = (
    "This {row} no longer exists or belongs to another {parent}. Reload the page, then make your "
    "edit again."
)


class OwnRowsFormSet(forms.BaseInlineFormSet[RowT, ParentT, RowFormT]):
    """An inline formset that takes only its parent's own rows. A row posted with an id that is
    no number, no row (deleted since the page was read) or another parent's row, or with another
    parent, is an error on the row saying so (ROW_GONE), and nothing is saved. Django's own
    ("Select a valid choice", on the hidden id) was shown nowhere, and another parent's row was
    taken as a new one, which Django then skipped: the edit vanished with "changed successfully"."""

    def add_fields(self, form: RowFormT, index: int | None) -> None:
        super().add_fields(form, index)
        row_id = form.fields.get(self.model._meta.pk.name)
        if isinstance(row_id, forms.ModelChoiceField):
            row_id.queryset = self.get_queryset()  # Django's: every row of the table

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        # The row's id and its parent's are hidden fields: their errors are the row's.
        hidden = (self.model._meta.pk.name, self.fk.name)
        gone = ROW_GONE.format(
            row=self.model._meta.verbose_name, parent=self.fk.remote_field.model._meta.verbose_name
        )
        for form in self.forms:
            if any(form.has_error(name) for name in hidden):
                form.add_error(None, forms.ValidationError(gone, code="row_gone"))


class FactQuestionFormSet(OwnRowsFormSet[Question, Fact, forms.ModelForm[Question]]):
    """The fact's questions, at least one. Each form's "fact" is the fact as edited on the same
    page, so QuestionAdminForm.fact_check grades a typed or cloze answer by the new forms."""

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not any(form.errors for form in self.forms) and not kept:
            raise forms.ValidationError(
                "A fact has at least one question.", code="fact_without_question"
            )


# The bank file's field names as the admin form names them.
_ADMIN_FIELDS = {"prompt": "prompt", "answer": "answer", "passage": "source_passage"}


def _cloze_sentence(message: str) -> str:
    """A cloze rule's message as a sentence: "has two markers" is about the prompt."""
    if message.startswith(("has ", "uses ")):
        message = f"The prompt {message}"
    return as_sentence(message)


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
