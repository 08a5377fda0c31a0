"""The pages that wait while a learner's quiz takes answers: they send the learner back to it,
saying why (a card's page, the back of a study card, the downloads, earlier quizzes' results,
and for an editor the admin)."""

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
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


BANK_IN_QUIZ = (
    "The admin shows the bank's answers, so it waits while your quiz is running: finish it, or "
    "let its time run out, and it opens again."
)


class AdminWaitsForQuizMiddleware:
    """The admin shows every question's answer, so an editor's request to it waits, as a card's
    page does, while their own quiz takes answers: back to the quiz, saying why. Known by the
    URL resolved for the request (the admin's namespace, whatever the script prefix), so only
    the admin's requests by staff read anything for it; its log-out stays open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        user = getattr(request, "user", None)
        if (
            match is None
            or "admin" not in match.namespaces
            or match.url_name == "logout"
            or user is None
            or not (user.is_authenticated and user.is_staff)
        ):
            return None
        return running_quiz_first(cast(LearnerRequest, request), notice=BANK_IN_QUIZ)
