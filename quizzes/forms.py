"""Forms of the learning domain: the admin's question form and the learners' forms."""

from django import forms

from quizzes.bank import MAX_LENGTHS, choice_problems, passage_problems, slug_problems
from quizzes.models import Category, Question


def _slug_clean(slug: str) -> str:
    """Refuse a slug the loader would refuse, so export -> load always round-trips."""
    problems = slug_problems(slug)
    if problems:
        raise forms.ValidationError(f"Slugs {problems[0]}, for example “formation-date”.")
    return slug


class CategoryAdminForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = "__all__"

    def clean_slug(self):
        return _slug_clean(self.cleaned_data["slug"])


class LinesField(forms.CharField):
    """A list of short texts edited as one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for line in value:
            if len(line) > MAX_LENGTHS["accepted_answer"]:
                raise forms.ValidationError(
                    f"Each accepted answer has at most {MAX_LENGTHS['accepted_answer']} characters."
                )


class QuestionAdminForm(forms.ModelForm):
    accepted_answers = LinesField(
        required=False,
        help_text="Typed answers only: one accepted form per line (the answer always counts).",
    )

    class Meta:
        model = Question
        fields = "__all__"

    def clean_slug(self):
        return _slug_clean(self.cleaned_data["slug"])

    def clean_source_passage(self):
        passage = self.cleaned_data["source_passage"]
        problems = passage_problems(passage)
        if problems:
            raise forms.ValidationError(f"The passage {problems[0]}.")
        return passage

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("accepted_answers") and cleaned.get("kind") != Question.Kind.TYPED:
            self.add_error("accepted_answers", "Only typed-answer questions have accepted answers.")
        return cleaned


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    """Apply the loader's choice rules to the choices edited beside a question."""

    def clean(self):
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
            raise forms.ValidationError([p[0].upper() + p[1:] + "." for p in problems])


class StudySettingsForm(forms.Form):
    desired_retention = forms.FloatField(
        label="Desired retention",
        min_value=0.80,
        max_value=0.97,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=(
            "How likely you want to be to remember a card when it comes back, from 0.80 to 0.97. "
            "Higher means more reviews."
        ),
    )
    new_per_day = forms.IntegerField(
        label="New cards per day", min_value=0, max_value=500, help_text="From 0 to 500."
    )
    max_reviews_per_day = forms.IntegerField(
        label="Maximum reviews per day", min_value=1, max_value=5000, help_text="From 1 to 5000."
    )


class QuizStartForm(forms.Form):
    LENGTHS = [(5, "5 questions"), (10, "10 questions"), (20, "20 questions")]

    category = forms.ChoiceField(label="Category", required=False)
    length = forms.TypedChoiceField(
        label="Length", choices=LENGTHS, coerce=int, initial=10, widget=forms.RadioSelect
    )
    seconds_per_question = forms.IntegerField(
        label="Seconds per question",
        min_value=2,
        max_value=300,
        initial=30,
        help_text="The whole quiz gets this many seconds for each question (2 to 300).",
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [
            (c.slug, c.name) for c in categories
        ]
