"""Starting a quiz, and answering one of its questions."""

from django import forms

from learnfrl.forms import whole_number_field
from quizzes import limits
from quizzes.bank.selectors import category_choices
from quizzes.web import QuestionIdField, RequestForm, response_field

SAY_WHICH_QUESTION = "Say which question you are answering."
GIVE_AN_ANSWER = (
    "Pick a choice or type an answer first (a guess is fine): an empty answer is not scored."
)


_LENGTHS_SAID = ", ".join(map(str, limits.QUIZ_LENGTHS[:-1])) + f" or {limits.QUIZ_LENGTHS[-1]}"


class QuizStartForm(forms.Form):
    LENGTHS = [(n, f"{n} questions") for n in limits.QUIZ_LENGTHS]

    category = forms.ChoiceField(label="Category", required=False, choices=category_choices)
    length = forms.TypedChoiceField(
        label="Length",
        choices=LENGTHS,
        coerce=int,
        initial=limits.QUIZ_LENGTH_DEFAULT,
        widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
        error_messages={
            "required": f"Choose a length: {_LENGTHS_SAID} questions.",
            "invalid_choice": f"A quiz is {_LENGTHS_SAID} questions long: choose one of those.",
        },
    )
    seconds_per_question = whole_number_field(
        label="Seconds per question",
        low=limits.SECONDS_PER_QUESTION_MIN,
        high=limits.SECONDS_PER_QUESTION_MAX,
        initial=limits.SECONDS_PER_QUESTION_DEFAULT,
        message=(
            "Seconds per question must be a whole number from "
            f"{limits.SECONDS_PER_QUESTION_MIN} to {limits.SECONDS_PER_QUESTION_MAX}."
        ),
        help_text=(
            "The whole quiz gets this many seconds for each question "
            f"({limits.SECONDS_PER_QUESTION_MIN} to {limits.SECONDS_PER_QUESTION_MAX})."
        ),
    )


class QuizAnswerForm(RequestForm):
    """Answer one question of a quiz: which question, and the answer (a choice id or text)."""

    question = QuestionIdField(message=SAY_WHICH_QUESTION)
    response = response_field()
    # The question as its page showed it (answers.question_version); absent from an older page.
    version = forms.CharField(required=False, max_length=64)

    def clean_response(self) -> str:
        # The page's field is required; a post without it (or of spaces) scored a blank as a
        # wrong answer and moved the quiz on (an outside audit).
        response: str = self.cleaned_data["response"]
        if not response.strip():
            raise forms.ValidationError(GIVE_AN_ANSWER, code="required")
        return response
