"""The admin's forms for a question's choices, edited beside it and checked as the loader checks
the bank file's."""

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from quizzes.bank.admin_forms import EditorForm, OwnRowsFormSet
from quizzes.enums import QuestionKind
from quizzes.models import Choice, Question
from quizzes.rules.bankfile import as_sentence, wrong_choice_right
from quizzes.rules.choices import choice_problems, same_texts, wrong_choices_right


class ChoiceAdminForm(EditorForm):
    """A choice edited beside its question."""

    class Meta:
        model = Choice
        fields = ["order", "text", "is_correct"]


def _twin_error(number: int, text: str, own: str) -> forms.ValidationError:
    """The error on a choice whose text choice `number` has too (`text`, as that one has it)."""
    aside = "" if text == own else " (case and surrounding spaces aside)"
    return forms.ValidationError(
        f"Choice {number} has the same text, “{text}”{aside}. Give each choice a text of its own.",
        code="same_text",
    )


ADDED_MEANWHILE = (
    "The question already has a choice “{text}”{aside}, added since this page was opened (in "
    "another tab, or by another editor). Reload the page, then make your edit again."
)
WITH_ADDED_MEANWHILE = (
    "With the choices added since this page was opened (in another tab, or by another editor), "
    "{problems}. Reload the page, then make your edit again."
)


class ChoicesChangedMeanwhile(Exception):
    """The question's choices changed between the check of the page's and their save, which the
    database refused: the save is undone, and the page checked again says what changed."""


# The text a choice being changed holds for an instant, within the save's transaction (never seen).
SET_ASIDE = "\u2063being changed "


class ChoiceInlineFormSet(OwnRowsFormSet[Choice, Question, forms.ModelForm[Choice]]):
    """Apply the loader's choice rules to the choices edited beside a question."""

    def clean(self) -> None:
        if self._twins_refused():
            # Django's own check of the unique text would add "Please correct the duplicate data
            # for text.", naming neither.
            return
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("order") or 0)
        pairs = [(f.cleaned_data["text"], bool(f.cleaned_data.get("is_correct"))) for f in kept]
        problems = choice_problems(self.instance.kind, self.instance.answer, pairs)
        if problems:
            raise forms.ValidationError(
                [forms.ValidationError(as_sentence(p), code="invalid_choices") for p in problems]
            )
        if self._right_twins_refused(kept):
            return
        meanwhile = self._added_meanwhile()
        if not meanwhile or self._taken_refused(kept, meanwhile):
            return
        pairs += [(choice.text, choice.is_correct) for choice in meanwhile]
        problems = choice_problems(self.instance.kind, self.instance.answer, pairs)
        if problems:
            message = WITH_ADDED_MEANWHILE.format(problems="; ".join(problems))
            raise forms.ValidationError(message, code="added_meanwhile")

    def _right_twins_refused(self, kept: list[forms.ModelForm[Choice]]) -> bool:
        """Put an error on each wrong choice that is the right one, or a form its fact accepts,
        written another way ("The Free Russia Legion", "Mar 2022"); say whether there was any."""
        question = self.instance
        if question.kind != QuestionKind.MULTIPLE_CHOICE:
            return False
        right = [f.cleaned_data["text"] for f in kept if f.cleaned_data.get("is_correct")]
        if question.fact_id is not None:
            right += [question.fact.answer, *question.fact.accepted_answers]
        refused = False
        for form in kept:
            if form.cleaned_data.get("is_correct"):
                continue
            for choice, right_form in wrong_choices_right([form.cleaned_data["text"]], right)[:1]:
                message = as_sentence(wrong_choice_right(choice, right_form))
                form.add_error("text", forms.ValidationError(message, code="right_answer"))
                refused = True
        return refused

    def _added_meanwhile(self) -> list[Choice]:
        """The question's choices that no row of the page is: added since it was opened (another
        tab, another editor), or its own rows posted as new ones (a forged count of them). They
        stay beside the rows saved, and the twin check above, of the rows posted, missed them:
        the database refused a text they have (a 500)."""
        if self.instance._state.adding:
            return []
        shown = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        return list(self.instance.choices.exclude(pk__in=shown))

    def _taken_refused(self, kept: list[forms.ModelForm[Choice]], meanwhile: list[Choice]) -> bool:
        """Put an error on each row whose text a choice added meanwhile has (case and surrounding
        spaces aside, as the twin check); say whether there was any."""
        taken = {choice.text.strip().casefold(): choice.text for choice in meanwhile}
        refused = False
        for form in kept:
            own = form.cleaned_data["text"]
            if (text := taken.get(own.strip().casefold())) is not None:
                aside = "" if text == own else " (case and surrounding spaces aside)"
                message = ADDED_MEANWHILE.format(text=text, aside=aside)
                form.add_error("text", forms.ValidationError(message, code="added_meanwhile"))
                refused = True
        return refused

    def _twins_refused(self) -> bool:
        """Put an error on each choice whose text another has (the loader's rule), naming the
        other by its row and its text; say whether there was any."""
        rows = [
            (number, form)
            for number, form in enumerate(self.forms, start=1)
            if form.cleaned_data.get("text") and not form.cleaned_data.get("DELETE")
        ]
        texts = [form.cleaned_data["text"] for _, form in rows]
        twins = same_texts(texts)
        for earlier, later in twins:
            (first_number, first), (second_number, second) = rows[earlier], rows[later]
            first.add_error("text", _twin_error(second_number, texts[later], texts[earlier]))
            second.add_error("text", _twin_error(first_number, texts[earlier], texts[later]))
        return bool(twins)

    def save(self, commit: bool = True) -> list[Choice]:
        if not commit:
            return super().save(commit)
        try:
            with transaction.atomic():
                return self._saved()
        except IntegrityError as error:
            # A choice saved by another request since clean() read them (a race): not a 500,
            # but the page checked again (QuestionAdmin.changeform_view).
            raise ChoicesChangedMeanwhile from error

    def _saved(self) -> list[Choice]:
        # The rules above hold for the choices as a whole once saved, but the database checks
        # its constraints (one correct choice, no text twice) row by row: the tick moved from
        # one choice to another, or two texts swapped, failed halfway (a 500). The rows about
        # to change or go are first set aside, not correct and each with a text of its own.
        deleted = self.deleted_forms
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and (form.has_changed() or form in deleted)
        ]
        Choice.objects.filter(pk__in=moving).update(
            is_correct=False, text=Concat(Value(SET_ASIDE), Cast("pk", CharField()))
        )
        return super().save(commit=True)
