"""Reporting a wrong or unclear question, from the back of a study card or a quiz's results."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from learnfrl.accounts.limits import per_request_limit
from learnfrl.accounts.users import User
from quizzes.bank.cache import QuestionData, bank_current
from quizzes.enums import ReviewOrigin
from quizzes.limits import MAX_REPORT_COMMENT_LENGTH
from quizzes.models import QuizAttempt
from quizzes.quiz import selectors as quiz_selectors
from quizzes.reports import selectors as report_selectors
from quizzes.reports import services as report_services
from quizzes.reports.forms import SAY_WHAT_IS_WRONG, QuizReportForm, StudyReportForm
from quizzes.study.forms import CardShownAfresh
from quizzes.study.scopes import scope_resolve_or_everything
from quizzes.web import LearnerRequest, after_post, go_to, page

REPORT_TEMPLATE = "quizzes/question_report.html"
# Both pages count against one limit per learner.
REPORT_RATE_GROUP = "quizzes.question_report"

SENT = "Thank you: your report was sent to the editors, who will check the question."
ALREADY_OPEN = "You have already reported this question; the editors will read your first report."
LIMITED = "You have sent many reports in the last hour. Please try again later."
NOT_IN_QUIZ = "That question is not part of this quiz."
QUIZ_RUNNING = "Questions of a quiz can be reported from its results, once it is finished."
REPORT_CARD_AFRESH = (
    "That card had been open for more than a day, so your report was not sent: here is the "
    "study page afresh. Show the card's answer again to report it."
)
REPORT_CARD_WITHDRAWN = (
    "An editor withdrew that card's question while it was shown, so your report was not sent: "
    "here is your next card."
)


@dataclass(frozen=True)
class ReportBox:
    """The "wrong or unclear" disclosure under one question: where it posts, and its state."""

    question_id: int
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    # The learner has an open report on the question: the box says so instead of the form.
    reported: bool = False
    notice: str = ""
    max_length: int = MAX_REPORT_COMMENT_LENGTH


def _study_box(
    *,
    question_id: int,
    token: str,
    response: str,
    claimed: bool,
    reported: bool,
    notice: str = "",
) -> ReportBox:
    hidden = {"token": token, "response": response}
    if claimed:
        hidden["claimed"] = "1"
    return ReportBox(
        question_id=question_id,
        action=reverse("quizzes:study_report"),
        hidden=hidden,
        reported=reported,
        notice=notice,
    )


def study_report_box(
    *, user: User, question_id: int, token: str, response: str, claimed: bool = False
) -> ReportBox:
    """The box on the back of a study card, for the card the token names (`claimed`: the learner
    said "I was right" on it, which the back shows again after a report without JavaScript)."""
    reported = report_selectors.reports_open_question_ids(user=user, question_ids=[question_id])
    return _study_box(
        question_id=question_id,
        token=token,
        response=response,
        claimed=claimed,
        reported=bool(reported),
    )


def _quiz_box(*, attempt_id: int, question_id: int, reported: bool, notice: str = "") -> ReportBox:
    return ReportBox(
        question_id=question_id,
        action=reverse("quizzes:quiz_report", args=[attempt_id]),
        hidden={"question": str(question_id)},
        reported=reported,
        notice=notice,
    )


def quiz_report_boxes(
    *, user: User, attempt_id: int, question_ids: list[int]
) -> dict[int, ReportBox]:
    """The boxes under each question of a quiz's results, by question id (one query)."""
    reported = report_selectors.reports_open_question_ids(user=user, question_ids=question_ids)
    return {
        qid: _quiz_box(attempt_id=attempt_id, question_id=qid, reported=qid in reported)
        for qid in question_ids
    }


def _report_rate(group: str, request: HttpRequest) -> str:
    # Read at request time, so the setting can change without a restart of the module.
    return settings.REPORT_RATE


def _send(
    request: LearnerRequest,
    *,
    question: QuestionData,
    origin: ReviewOrigin,
    response: str,
    comment: str,
    url: str,
    box: Callable[..., ReportBox],
    preserve_request: bool = False,
) -> HttpResponse:
    """Record the report unless its comment is empty or the learner is over the limit; answer
    in place or redirect (`preserve_request`: with the same post, as web.after_post does)."""
    if not comment:  # nothing but spaces: the box again, saying what to write
        notice, level, reported = SAY_WHAT_IS_WRONG, messages.ERROR, False
    elif getattr(request, "limited", False):
        notice, level, reported = LIMITED, messages.ERROR, False
    else:
        try:
            report_services.report_create(
                user=request.user,
                question_id=question.id,
                origin=origin,
                response=response,
                comment=comment,
                now=timezone.now(),
            )
            notice, level = SENT, messages.SUCCESS
        except report_services.ReportAlreadyOpen:
            notice, level = ALREADY_OPEN, messages.INFO
        reported = True
    return after_post(
        request,
        url=f"{url}#report-{question.id}",
        notice=notice,
        level=level,
        preserve_request=preserve_request,
        render=lambda notice: page(
            request,
            REPORT_TEMPLATE,
            {"report": box(reported=reported, notice=notice)},
            partial="report_body",
        ),
    )


def _study_afresh(request: LearnerRequest, scope_key: str, notice: str) -> HttpResponse:
    """The study page in the card's scope, as a whole page, saying why nothing was sent."""
    messages.warning(request, notice)
    scope = scope_resolve_or_everything(
        user=request.user, bank=bank_current(), key=scope_key, now=timezone.now()
    )
    return go_to(request, scope.url)


@login_required
@require_POST
@per_request_limit(group=REPORT_RATE_GROUP, key="user", rate=_report_rate, method="POST")
def study_report(request: LearnerRequest) -> HttpResponse:
    form = StudyReportForm(request.POST, user_id=request.user.pk)
    try:
        data = form.cleaned_or_bad_request()
    except CardShownAfresh as expired:
        # The card's back was open for more than a day: the study page afresh, as a whole page
        # (never inside the report's box), saying nothing was sent.
        return _study_afresh(request, expired.scope, REPORT_CARD_AFRESH)
    question = bank_current().questions.get(data["token"].question_id)
    if question is None or not question.is_active:
        # Deactivated or deleted since it was shown: as the study page's own buttons do.
        return _study_afresh(request, data["token"].scope, REPORT_CARD_WITHDRAWN)
    token, response = form.data["token"], data["response"]
    return _send(
        request,
        question=question,
        origin=ReviewOrigin.STUDY,
        response=report_services.report_answer_text(question=question, response=response),
        comment=data["comment"],
        # Without JavaScript, back to the same card's back, which now says it was reported: the
        # browser posts this form's card and response there again (307), out of the address.
        url=reverse("quizzes:study_answer"),
        preserve_request=True,
        box=lambda **state: _study_box(
            question_id=question.id,
            token=token,
            response=response,
            claimed=data["claimed"],
            **state,
        ),
    )


@login_required
@require_POST
@per_request_limit(group=REPORT_RATE_GROUP, key="user", rate=_report_rate, method="POST")
def quiz_report(request: LearnerRequest, attempt_id: int) -> HttpResponse:
    attempt = get_object_or_404(QuizAttempt.objects.filter(user=request.user), pk=attempt_id)
    data = QuizReportForm(request.POST).cleaned_or_bad_request()
    if attempt.is_running:
        raise BadRequest(QUIZ_RUNNING)
    answers = quiz_selectors.attempt_view(attempt=attempt).answers
    answer = next((a for a in answers if a.question_id == data["question"]), None)
    question = bank_current().questions.get(data["question"]) if answer else None
    if answer is None or question is None:
        raise BadRequest(NOT_IN_QUIZ)
    return _send(
        request,
        question=question,
        origin=ReviewOrigin.QUIZ,
        # What the learner answered is the server's own record of it.
        response=answer.response if answer.answered_at else "",
        comment=data["comment"],
        url=reverse("quizzes:quiz_results", args=[attempt.pk]),
        box=lambda **state: _quiz_box(attempt_id=attempt.pk, question_id=question.id, **state),
    )
