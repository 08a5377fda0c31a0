"""Reporting a wrong or unclear question, from a card's back or a quiz's results."""

from django import forms

from quizzes import limits
from quizzes.study.forms import CardTokenForm
from quizzes.web import QuestionIdField, RequestForm, response_field

SAY_WHAT_IS_WRONG = "Say in a few words what is wrong or unclear."


SAY_WHICH_REPORTED = "Say which question you are reporting."


def _comment_field() -> forms.CharField:
    # Not required here: a comment of spaces (which passes the page's `required`) is answered in
    # the report's place, saying what to write (views._send), not with an error page that loses
    # the learner's place; it is never sent.
    return forms.CharField(
        label="What is wrong or unclear?",
        required=False,
        max_length=limits.MAX_REPORT_COMMENT_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": (
                f"A report's comment is at most {limits.MAX_REPORT_COMMENT_LENGTH} characters."
            ),
            "null_characters_not_allowed": "A report's comment cannot contain NUL characters.",
        },
    )


class StudyReportForm(CardTokenForm):
    """Report the card on the back of the study page: the card, what was answered, a comment."""

    response = response_field()
    comment = _comment_field()
    # The learner said "I was right" on the back: the back shown again says so still.
    claimed = forms.BooleanField(required=False)


class QuizReportForm(RequestForm):
    """Report one question of a finished quiz, from its results."""

    question = QuestionIdField(message=SAY_WHICH_REPORTED)
    comment = _comment_field()
