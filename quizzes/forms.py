"""Forms of the learning domain: the admin's question form and the learners' forms."""

from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import RegexValidator

from quizzes import limits
from quizzes.bank import choice_problems, passage_problems
from quizzes.enums import QuestionKind, Rating
from quizzes.limits import MAX_LENGTHS
from quizzes.models import Question
from quizzes.tokens import BadCard, CardToken, card_token_read

CARD_NOT_SHOWN = "This card was not shown to you. Reload the study page."
CHOOSE_A_RATING = "Choose a rating: Again, Hard, Good or Easy."
SAY_WHICH_QUESTION = "Say which question you are answering."


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

    def clean_source_passage(self):
        passage = self.cleaned_data["source_passage"]
        problems = passage_problems(passage)
        if problems:
            raise forms.ValidationError(f"The passage {problems[0]}.")
        return passage

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("accepted_answers") and cleaned.get("kind") != QuestionKind.TYPED:
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
        min_value=limits.RETENTION_MIN,
        max_value=limits.RETENTION_MAX,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=(
            "How likely you want to be to remember a card when it comes back, from "
            f"{limits.RETENTION_MIN:.2f} to {limits.RETENTION_MAX:.2f}. Higher means more reviews."
        ),
    )
    new_per_day = forms.IntegerField(
        label="New cards per day",
        min_value=0,
        max_value=limits.NEW_PER_DAY_MAX,
        help_text=f"From 0 to {limits.NEW_PER_DAY_MAX}.",
    )
    max_reviews_per_day = forms.IntegerField(
        label="Maximum reviews per day",
        min_value=1,
        max_value=limits.MAX_REVIEWS_PER_DAY_MAX,
        help_text=f"From 1 to {limits.MAX_REVIEWS_PER_DAY_MAX}.",
    )


class QuizStartForm(forms.Form):
    LENGTHS = [(n, f"{n} questions") for n in limits.QUIZ_LENGTHS]

    category = forms.ChoiceField(label="Category", required=False)
    length = forms.TypedChoiceField(
        label="Length",
        choices=LENGTHS,
        coerce=int,
        initial=limits.QUIZ_LENGTH_DEFAULT,
        widget=forms.RadioSelect,
    )
    seconds_per_question = forms.IntegerField(
        label="Seconds per question",
        min_value=limits.SECONDS_PER_QUESTION_MIN,
        max_value=limits.SECONDS_PER_QUESTION_MAX,
        initial=limits.SECONDS_PER_QUESTION_DEFAULT,
        help_text=(
            "The whole quiz gets this many seconds for each question "
            f"({limits.SECONDS_PER_QUESTION_MIN} to {limits.SECONDS_PER_QUESTION_MAX})."
        ),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "All categories")] + [(c.slug, c.name) for c in categories]


# --- what study and quiz requests carry ---------------------------------------------------------


class RequestForm(forms.Form):
    """A form that parses what a request carries: anything invalid is a bad request."""

    def cleaned_or_bad_request(self) -> dict[str, Any]:
        """Return the cleaned data, or raise BadRequest with the first problem as its message."""
        if self.is_valid():
            return self.cleaned_data
        first = next(iter(self.errors.values()))[0]
        raise BadRequest(first)


def _response_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=limits.MAX_RESPONSE_LENGTH,
        error_messages={
            "max_length": f"Answers are at most {limits.MAX_RESPONSE_LENGTH} characters."
        },
    )


class CardTokenForm(RequestForm):
    """A request about the card the learner was shown, named by its signed token."""

    token = forms.CharField(
        max_length=limits.MAX_CARD_TOKEN_LENGTH,
        error_messages={"required": CARD_NOT_SHOWN, "max_length": CARD_NOT_SHOWN},
    )

    def __init__(self, data: Any, *, user_id: int) -> None:
        super().__init__(data)
        self.user_id = user_id

    def clean_token(self) -> CardToken:
        try:
            return card_token_read(self.cleaned_data["token"], user_id=self.user_id)
        except BadCard:
            raise forms.ValidationError(CARD_NOT_SHOWN) from None


class CardAnswerForm(CardTokenForm):
    """Show the answer: the card, and what the learner picked or typed (optional)."""

    response = _response_field()


class RatingForm(CardTokenForm):
    """Rate the card: Again, Hard, Good or Easy (with the response, to show the back again)."""

    response = _response_field()

    rating = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=lambda value: Rating(int(value)),
        error_messages={"required": CHOOSE_A_RATING, "invalid_choice": CHOOSE_A_RATING},
    )


class UndoForm(RequestForm):
    """Take back the last rating; the scope says which study page to come back to."""

    scope = forms.CharField(required=False)

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"][:100]


class QuizAnswerForm(RequestForm):
    """Answer one question of a quiz: which question, and the answer (a choice id or text)."""

    question = forms.CharField(
        validators=[RegexValidator(r"\A[0-9]{1,18}\Z", message=SAY_WHICH_QUESTION)],
        error_messages={"required": SAY_WHICH_QUESTION},
    )
    response = _response_field()

    def clean_question(self) -> int:
        return int(self.cleaned_data["question"])


class ParametersChoiceForm(RequestForm):
    """Switch the learner's FSRS parameters: to the defaults, or back to the previous ones."""

    USE_DEFAULT, USE_PREVIOUS = "default", "previous"

    use = forms.ChoiceField(
        choices=[(USE_DEFAULT, "The default parameters"), (USE_PREVIOUS, "My previous parameters")],
        error_messages={
            "required": "Say which parameters to use: the default or your previous ones.",
            "invalid_choice": "Say which parameters to use: the default or your previous ones.",
        },
    )
