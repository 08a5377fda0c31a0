"""Forms of the learning domain: the admin's question form and the learners' forms."""

from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import RegexValidator

from quizzes import limits
from quizzes.bank import choice_problems, passage_problems
from quizzes.card_selectors import SORT_KEYS
from quizzes.enums import CardFilterState, HoldKind, LeechAction, QuestionKind, Rating
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
        cleaned = super().clean()
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


class LeechSettingsForm(forms.Form):
    """The leech settings, a fieldset of their own on the settings page. A post without them
    keeps the learner's current ones."""

    leech_threshold = forms.IntegerField(
        label="Leech threshold",
        required=False,
        min_value=limits.LEECH_THRESHOLD_MIN,
        max_value=limits.LEECH_THRESHOLD_MAX,
        help_text=(
            "A card you have forgotten this many times after learning it is a leech "
            f"(from {limits.LEECH_THRESHOLD_MIN} to {limits.LEECH_THRESHOLD_MAX}; "
            f"Anki's default is {limits.LEECH_THRESHOLD_DEFAULT})."
        ),
    )
    leech_action = forms.ChoiceField(
        label="When a card becomes a leech",
        required=False,
        choices=LeechAction.choices,
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
        self.fields["category"].choices = [("", "All categories")] + [
            (c.slug, c.name) for c in categories
        ]


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
    """Rate the card: Again, Hard, Good or Easy."""

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


HOLD_ACTIONS = {"bury": HoldKind.BURY, "suspend": HoldKind.SUSPEND}
CHOOSE_BURY_OR_SUSPEND = "Choose to bury or to suspend the card."


class HoldForm(CardTokenForm):
    """Bury or suspend the card the learner was shown."""

    action = forms.ChoiceField(
        choices=[(key, key) for key in HOLD_ACTIONS],
        error_messages={
            "required": CHOOSE_BURY_OR_SUSPEND,
            "invalid_choice": CHOOSE_BURY_OR_SUSPEND,
        },
    )

    def clean_action(self) -> HoldKind:
        return HOLD_ACTIONS[self.cleaned_data["action"]]


SORT_CHOICES = [(key, key) for key in SORT_KEYS] + [(f"-{key}", f"-{key}") for key in SORT_KEYS]


class CardFilterForm(RequestForm):
    """The cards page's filters, sort and page, read from the query string."""

    category = forms.ChoiceField(label="Category", required=False)
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "Any state"), *CardFilterState.choices],
    )
    q = forms.CharField(
        label="Prompt contains",
        required=False,
        max_length=limits.CARDS_SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": f"Search for at most {limits.CARDS_SEARCH_MAX_LENGTH} characters."
        },
    )
    sort = forms.ChoiceField(
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": "The cards cannot be sorted that way."},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=10**6,
        error_messages={
            "invalid": "Say which page, as a number.",
            "min_value": "Pages start at 1.",
        },
    )

    def __init__(self, data: Any, *, categories=()) -> None:
        super().__init__(data)
        self.fields["category"].choices = [("", "All categories")] + [
            (c.slug, c.name) for c in categories
        ]


CHOOSE_CARDS = "Choose at least one card."
CHOOSE_SUSPEND_OR_UNSUSPEND = "Choose to suspend or to unsuspend the chosen cards."


class CardsBulkForm(RequestForm):
    """Suspend or unsuspend the cards ticked on the cards page (or the one card of its page)."""

    action = forms.ChoiceField(
        choices=[("suspend", "Suspend"), ("unsuspend", "Unsuspend")],
        error_messages={
            "required": CHOOSE_SUSPEND_OR_UNSUSPEND,
            "invalid_choice": CHOOSE_SUSPEND_OR_UNSUSPEND,
        },
    )
    card = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": CHOOSE_CARDS,
            "invalid_choice": "That card is not in the bank.",
        },
    )
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data: Any, *, question_ids=()) -> None:
        super().__init__(data)
        self.fields["card"].choices = [(str(i), str(i)) for i in question_ids]


class QuizAnswerForm(RequestForm):
    """Answer one question of a quiz: which question, and the answer (a choice id or text)."""

    question = forms.CharField(
        validators=[RegexValidator(r"\A[0-9]{1,18}\Z", message=SAY_WHICH_QUESTION)],
        error_messages={"required": SAY_WHICH_QUESTION},
    )
    response = _response_field()

    def clean_question(self) -> int:
        return int(self.cleaned_data["question"])
