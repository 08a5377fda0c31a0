"""The pages that wait while a learner's quiz takes answers: they send the learner back to it,
saying why (a card's page, the back of a study card, the downloads, earlier quizzes' results)."""

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from quizzes.quiz.selectors import quiz_taking_answers
from quizzes.web import LearnerRequest, go_to

ANSWER_IN_QUIZ = (
    "Cards' answers wait while your quiz is running: finish it, or let its time run out, and "
    "they show again."
)
ANSWERS_IN_DOWNLOAD = (
    "That download holds the answers of the quiz you are taking, so it waits until the quiz has "
    "ended."
)
RESULTS_AFTER_QUIZ = (
    "Your quizzes' results show their answers, so they wait until the quiz you are taking "
    "has ended."
)


def to_running_quiz(
    request: LearnerRequest, attempt_id: int, *, notice: str = ANSWER_IN_QUIZ
) -> HttpResponse:
    """Send the learner back to their quiz `attempt_id`, saying why with `notice`."""
    messages.info(request, notice)
    return go_to(request, reverse("quizzes:quiz_attempt", args=[attempt_id]))


def running_quiz_first(
    request: LearnerRequest, *, notice: str = ANSWER_IN_QUIZ
) -> HttpResponse | None:
    """Back to the learner's quiz if one takes answers (a page that shows answers waits for it);
    None, and the page goes on, if none does."""
    quiz_id = quiz_taking_answers(user=request.user, now=timezone.now())
    return None if quiz_id is None else to_running_quiz(request, quiz_id, notice=notice)
