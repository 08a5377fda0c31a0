"""Forms of the learning domain: the admin's question form and the learners' forms."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import RegexValidator

from quizzes import limits
from quizzes.bank import (
    RESERVED_CATEGORY_SLUGS,
    TYPED_KINDS,
    choice_problems,
    passage_problems,
    slug_problems,
)
from quizzes.card_selectors import SORT_KEYS
from quizzes.cloze import cloze_field_problems
from quizzes.enums import CardFilterState, HoldKind, LeechAction, QuestionKind, Rating
from quizzes.limits import MAX_LENGTHS
from quizzes.models import Category, Question, QuestionReport
from quizzes.tokens import BadCard, CardToken, card_token_read

CARD_NOT_SHOWN = "This card was not shown to you. Reload the study page."
CHOOSE_A_RATING = "Choose a rating: Again, Hard, Good or Easy."
SAY_WHICH_QUESTION = "Say which question you are answering."


def _slug_clean(slug: str) -> str:
    """Refuse a slug the loader would refuse, so export -> load always round-trips."""
    problems = slug_problems(slug)
    if problems:
        raise forms.ValidationError(f"Slugs {problems[0]}, for example “formation-date”.")
    return slug


class CategoryAdminForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "description", "display_order"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_CATEGORY_SLUGS:
            raise forms.ValidationError(
                f"“{slug}” is a word the study pages use (/study/{slug}/): choose another slug."
            )
        return _slug_clean(slug)


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
        help_text=(
            "Typed-answer and cloze questions only: one accepted form per line (the answer "
            "always counts)."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "slug",
            "category",
            "kind",
            "is_active",
            "position",
            "prompt",
            "answer",
            "accepted_answers",
            "explanation",
            "source_passage",
        ]

    def clean_slug(self):
        return _slug_clean(self.cleaned_data["slug"])

    def clean_source_passage(self):
        passage = self.cleaned_data["source_passage"]
        problems = passage_problems(passage)
        if problems:
            raise forms.ValidationError(f"The passage {problems[0]}.")
        return passage

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("accepted_answers") and cleaned.get("kind") not in TYPED_KINDS:
            self.add_error(
                "accepted_answers",
                "Only typed-answer and cloze questions have accepted answers.",
            )
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
            self.add_error(_ADMIN_FIELDS[problem.field], _cloze_sentence(problem.message))


# The bank file's field names as the admin form names them.
_ADMIN_FIELDS = {"prompt": "prompt", "answer": "answer", "passage": "source_passage"}


def _cloze_sentence(message: str) -> str:
    """A cloze rule's message as a sentence: "has two markers" is about the prompt."""
    if message.startswith(("has ", "uses ")):
        message = f"The prompt {message}"
    return message[0].upper() + message[1:] + "."


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


class QuestionReportAdminForm(forms.ModelForm):
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


class DisplayOnlyInlineFormSet(forms.BaseInlineFormSet):
    """An inline shown beside its object and never edited there.

    Always unbound: saving the object posts nothing for it, and a row added in between (a learner
    reporting the question while an editor works on it) cannot make the editor's save fail.
    """

    def __init__(self, data=None, files=None, *args, **kwargs):
        super().__init__(None, None, *args, **kwargs)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def is_valid(self):
        return True

    def save(self, commit=True):
        return []


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
        widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
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
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "All categories")] + [(c.slug, c.name) for c in categories]


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
        card = self.fields["card"]
        assert isinstance(card, forms.ChoiceField)
        card.choices = [(str(i), str(i)) for i in question_ids]


class QuestionIdField(forms.CharField):
    """A question's id as a request carries it: 1 to 18 ASCII digits and nothing else ("²",
    " 1" and "1_0" are not ids), cleaned to an int; anything else fails with `message`."""

    def __init__(self, *, message: str) -> None:
        super().__init__(
            strip=False,
            validators=[RegexValidator(r"\A[0-9]{1,18}\Z", message=message)],
            error_messages={"required": message},
        )

    def clean(self, value: Any) -> int:
        return int(super().clean(value))


class QuizAnswerForm(RequestForm):
    """Answer one question of a quiz: which question, and the answer (a choice id or text)."""

    question = QuestionIdField(message=SAY_WHICH_QUESTION)
    response = _response_field()


class AnkiDeckForm(RequestForm):
    """Which questions to put in the Anki deck: every category, or one."""

    category = forms.ChoiceField(
        label="Category",
        required=False,
        error_messages={"invalid_choice": "There is no category with that name to export."},
    )

    def __init__(self, data: Any, *, categories: Iterable[Category]) -> None:
        super().__init__(data)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "All categories")] + [(c.slug, c.name) for c in categories]


# --- reporting a wrong or unclear question ------------------------------------------------------

SAY_WHAT_IS_WRONG = "Say in a few words what is wrong or unclear."
SAY_WHICH_REPORTED = "Say which question you are reporting."


def _comment_field() -> forms.CharField:
    return forms.CharField(
        label="What is wrong or unclear?",
        max_length=limits.MAX_REPORT_COMMENT_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": SAY_WHAT_IS_WRONG,
            "max_length": (
                f"A report's comment is at most {limits.MAX_REPORT_COMMENT_LENGTH} characters."
            ),
            "null_characters_not_allowed": "A report's comment cannot contain NUL characters.",
        },
    )


class StudyReportForm(CardTokenForm):
    """Report the card on the back of the study page: the card, what was answered, a comment."""

    response = _response_field()
    comment = _comment_field()


class QuizReportForm(RequestForm):
    """Report one question of a finished quiz, from its results."""

    question = QuestionIdField(message=SAY_WHICH_REPORTED)
    comment = _comment_field()


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
