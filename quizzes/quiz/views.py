"""Timed quizzes: start, answer against the server's clock, finish and read the results."""

import math
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from quizzes.bank.cache import Bank, QuestionData, bank_current
from quizzes.claims import services as claim_services
from quizzes.enums import AttemptEnding, MarkedRightBy
from quizzes.limits import MAX_RESPONSE_LENGTH
from quizzes.models import AnswerClaim, AttemptAnswer, QuizAttempt
from quizzes.progress.figures import FIGURES_SECONDS, quiz_list_key
from quizzes.quiz import selectors as quiz_selectors
from quizzes.quiz import services as quiz_services
from quizzes.quiz.answers import question_version
from quizzes.quiz.forms import GIVE_AN_ANSWER, QuizAnswerForm, QuizStartForm
from quizzes.quiz.selectors import AttemptView
from quizzes.quiz.services import AnswerOutcome
from quizzes.quiz.waiting import RESULTS_AFTER_QUIZ, to_running_quiz
from quizzes.reports.views import ReportBox, quiz_report_boxes
from quizzes.rules.compare import Compared, typed_compared
from quizzes.statements import row_get
from quizzes.web import LearnerRequest, after_post, go_to, page

ANSWER_NOTICES = {
    AnswerOutcome.ALREADY_ANSWERED: (
        "You had already answered that question; your first answer stands."
    ),
    AnswerOutcome.CONFLICT: "Your answer could not be saved just then. Please submit it again.",
    AnswerOutcome.CHANGED: (
        "An editor changed this question while you answered, so your answer was not scored. "
        "Here it is as it reads now: please answer it again."
    ),
}


class ResultRow(NamedTuple):
    """One question of a quiz's results: the learner's answer, the question, its report box,
    a typed answer's comparison with the answer, and its phrasing's claim, if any."""

    answer: AttemptAnswer
    question: QuestionData
    report: ReportBox
    compared: Compared | None = None
    claim: AnswerClaim | None = None

    @property
    def can_mark_right(self) -> bool:
        """ "I was right" is offered for a typed answer the grader refused."""
        a = self.answer
        return self.compared is not None and a.is_correct is False and not a.marked_right_by

    @property
    def marked_by_learner(self) -> bool:
        return self.answer.marked_right_by == MarkedRightBy.LEARNER

    @property
    def accepted_by_editor(self) -> bool:
        return self.answer.marked_right_by == MarkedRightBy.EDITOR or (
            self.claim is not None and self.claim.status == "accepted"
        )


def _result_row(
    answer: AttemptAnswer, question: QuestionData, report: ReportBox, claim: AnswerClaim | None
) -> ResultRow:
    compared = (
        None
        if question.has_choices or answer.answered_at is None
        else typed_compared(
            answer.response,
            answer=question.answer,
            accepted=question.accepted_answers,
            prompt=question.prompt,
        )
    )
    return ResultRow(answer, question, report, compared, claim)


def _owned_attempt(request: LearnerRequest, attempt_id: int) -> QuizAttempt:
    """The learner's attempt, or 404 (no such attempt, or another learner's)."""
    attempt = row_get(QuizAttempt, id=attempt_id, user_id=request.user.pk)
    if attempt is None:
        raise Http404("No such quiz of yours.")
    return attempt


def _found(view: AttemptView | None) -> AttemptView:
    """The learner's attempt as read, or 404 (no such attempt, or another learner's)."""
    if view is None:
        raise Http404("No such quiz of yours.")
    return view


def _results(request: LearnerRequest, attempt: QuizAttempt) -> HttpResponse:
    return go_to(request, reverse("quizzes:quiz_results", args=[attempt.pk]))


# The start form, not yet filled in, is the same for every learner with the same category chosen
# (and bank): the template caches it this long. Rendering its fields cost 3 ms of the page's 14.
FORM_SECONDS = FIGURES_SECONDS


def _list_page(
    request: LearnerRequest, form: QuizStartForm, *, bank: Bank, status: int = 200
) -> HttpResponse:
    """The quizzes page: the running quiz (one overdue is finished here) or the start form, and
    the past quizzes."""
    now = timezone.now()
    running = quiz_services.attempt_running_now(user=request.user, now=now, bank=bank)
    context = {
        "form": form,
        "running": running,
        "past_quizzes": _past_quizzes(request, bank=bank, now=now),
        "bank_version": bank.version,
        "form_seconds": FORM_SECONDS,
    }
    return page(request, "quizzes/quiz_list.html", context, status=status)


def _past_quizzes(request: LearnerRequest, *, bank: Bank, now: datetime) -> str:
    """The learner's past quizzes, rendered: from the cache while none of their quizzes has
    changed (quiz_list_key), as rendering the rows cost more than the rest of the page."""
    key = quiz_list_key(user=request.user, now=now, bank=bank)
    html: str | None = cache.get(key)
    if html is None:
        attempts = quiz_selectors.attempts_recent(user=request.user)
        context = {"attempts": [a for a in attempts if not a.is_running]}
        html = render_to_string("quizzes/quiz_list.html#past_quizzes", context, request)
        cache.set(key, html, timeout=FIGURES_SECONDS)
    return html


@login_required
@require_safe
def quiz_list(request: LearnerRequest) -> HttpResponse:
    bank = bank_current()
    asked = request.GET.get("category", "")
    # Only a category of the bank is chosen beforehand (one cached form each): any other value
    # chose nothing anyway.
    chosen = asked if bank.category(asked) is not None else ""
    form = QuizStartForm(initial={"category": chosen})
    return _list_page(request, form, bank=bank)


# Said when a quiz holds fewer questions than asked for.
SHORTER_QUIZ = (
    "This quiz has {got} questions, not {asked}: no more could be drawn. A quiz leaves out the "
    "cards you buried or suspended and those waiting for your next day, and never holds two "
    "questions of one fact, nor two that show each other's answer."
)


@login_required
@require_POST
def quiz_start(request: LearnerRequest) -> HttpResponse:
    form = QuizStartForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, bank=bank_current(), status=400)
    try:
        attempt = quiz_services.attempt_start(
            user=request.user,
            category_slug=form.cleaned_data["category"] or None,
            length=form.cleaned_data["length"],
            seconds_per_question=form.cleaned_data["seconds_per_question"],
            now=timezone.now(),
        )
    except quiz_services.AttemptRunning as running:
        messages.info(
            request, "You already have a quiz running, so it was not replaced: here it is."
        )
        return redirect(running.attempt)
    except quiz_services.NotEnoughQuestions:
        messages.error(
            request,
            "That category has no questions you have not buried or suspended, nor any that "
            "wait for your next day because you saw another card of their fact today. "
            "Choose another.",
        )
        return redirect("quizzes:quiz_list")
    if attempt.length < attempt.requested_length:
        messages.info(
            request, SHORTER_QUIZ.format(got=attempt.length, asked=attempt.requested_length)
        )
    return redirect(attempt)


def clock_label(seconds: float) -> str:
    """Time left as the quiz clock shows it, always minutes and seconds: "2:13", "0:09"."""
    minutes, rest = divmod(max(0, math.ceil(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def _quiz_context(view: AttemptView, bank: Bank, now: datetime) -> dict[str, object]:
    attempt, current = view.attempt, view.current
    assert current is not None, "a running attempt's page shows its next unanswered question"
    question = bank.questions[current.question_id]
    by_id = {c.id: c for c in question.choices}
    remaining = max(0.0, (attempt.deadline - now).total_seconds())
    return {
        "attempt": attempt,
        "current": current,
        "question": question,
        "version": question_version(question),
        # The choices in the order fixed at the start (one an editor added since, after them);
        # never which one is right.
        "choices": [by_id[i] for i in current.choice_order if i in by_id]
        + [c for c in question.choices if c.id not in current.choice_order],
        "number": view.answered_count + 1,
        "total": view.total,
        "remaining": remaining,
        "remaining_label": clock_label(remaining),
        # Without JavaScript the page moves to the results once the clock and its grace are
        # over, not a moment before (the results page would send it back to the question).
        "refresh_seconds": math.ceil(remaining + settings.QUIZ_GRACE_SECONDS),
        "max_response_length": MAX_RESPONSE_LENGTH,
    }


def _quiz_page(
    request: LearnerRequest,
    view: AttemptView,
    now: datetime,
    notice: str = "",
    *,
    bank: Bank | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {**_quiz_context(view, bank or bank_current(), now), "notice": notice, "error": error}
    return page(request, "quizzes/quiz_attempt.html", context, partial="question", status=status)


def _running_quiz(
    request: LearnerRequest, attempt_id: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    """The quiz's question to answer now (with `error`, why an answer was refused), or its
    results once it has ended."""
    now = timezone.now()
    view = _found(quiz_selectors.attempt_view_shown(user=request.user, attempt_id=attempt_id))
    attempt = view.attempt
    quiz_services.attempt_finish_if_overdue(attempt=attempt, now=now)
    if not attempt.is_running:
        return _results(request, attempt)
    if view.current is None:  # every question answered but not yet finished
        quiz_services.attempt_finish(attempt=attempt, now=now, ending=AttemptEnding.COMPLETED)
        return _results(request, attempt)
    return _quiz_page(request, view, now, error=error, status=status)


@login_required
@require_safe
def quiz_attempt(request: LearnerRequest, attempt_id: int) -> HttpResponse:
    return _running_quiz(request, attempt_id)


@login_required
@require_POST
def quiz_answer(request: LearnerRequest, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    form = QuizAnswerForm(request.POST)
    if not form.is_valid():
        _owned_attempt(request, attempt_id)  # another learner's quiz is a 404, whatever was sent
        if form.errors.keys() == {"response"} and form.has_error("response", "required"):
            # No answer (the page's field is required, but not every browser checks it, and
            # spaces pass): the question again, saying why, nothing scored. A 400 for a plain
            # post; htmx swaps only a 2xx in, and the learner must read why.
            status = 200 if request.htmx else 400
            return _running_quiz(request, attempt_id, error=GIVE_AN_ANSWER, status=status)
    data = form.cleaned_or_bad_request()
    view = _found(
        quiz_selectors.attempt_view_shown(
            user=request.user, attempt_id=attempt_id, answering=data["question"]
        )
    )
    attempt = view.attempt
    bank = bank_current()
    try:
        result = quiz_services.attempt_answer(
            attempt=attempt,
            question_id=data["question"],
            response=data["response"],
            now=now,
            bank=bank,
            view=view,
            version=data["version"],
        )
    except quiz_services.NotInAttempt:
        raise BadRequest("That question is not part of this quiz.") from None
    except quiz_services.NotAChoice:
        raise BadRequest("That is not one of the question's choices.") from None
    if result.outcome == AnswerOutcome.TOO_LATE:
        messages.warning(request, "Time was up before that answer arrived, so it was not scored.")
    if result.finished or result.view is None:
        return _results(request, attempt)
    view = result.view
    # A changed question is shown as it reads now: the bank the answer read afresh, if it did.
    shown = bank_current() if result.outcome == AnswerOutcome.CHANGED else bank
    return after_post(
        request,
        url=attempt.get_absolute_url(),
        notice=ANSWER_NOTICES.get(result.outcome, ""),
        render=lambda notice: _quiz_page(request, view, now, notice, bank=shown),
    )


@login_required
@require_POST
def quiz_finish(request: LearnerRequest, attempt_id: int) -> HttpResponse:
    """Finish the quiz now. The page's form asks first (`ask`) while questions are left: without
    JavaScript, a page of its own asks (its form finishes); the script asks in a dialog and
    takes `ask` out, as the clock does when it reaches zero."""
    now = timezone.now()
    if request.POST.get("ask") != "1":
        attempt = _owned_attempt(request, attempt_id)
    else:
        view = _found(quiz_selectors.attempt_view_shown(user=request.user, attempt_id=attempt_id))
        attempt, left = view.attempt, view.total - view.answered_count
        if attempt.is_running and now < attempt.deadline and left > 0:
            remaining = (attempt.deadline - now).total_seconds() + settings.QUIZ_GRACE_SECONDS
            context = {"attempt": attempt, "left": left, "refresh_seconds": math.ceil(remaining)}
            return page(request, "quizzes/quiz_finish.html", context)
    quiz_services.attempt_finish_by_learner(attempt=attempt, now=now)
    return _results(request, attempt)


@login_required
@require_safe
def quiz_results(request: LearnerRequest, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    attempt, other_running = quiz_selectors.attempt_and_running(
        user=request.user, attempt_id=attempt_id, now=now
    )
    if attempt is None:
        raise Http404("No such quiz of yours.")
    quiz_services.attempt_finish_if_overdue(attempt=attempt, now=now)
    if attempt.is_running:
        messages.info(request, "Results are shown once the quiz is finished.")
        return redirect(attempt)
    if other_running is not None:  # an earlier quiz's answers may be the running one's
        return to_running_quiz(request, other_running, notice=RESULTS_AFTER_QUIZ)
    view = quiz_selectors.attempt_view(attempt=attempt, with_claims=True)
    bank = bank_current()
    boxes = quiz_report_boxes(
        user=request.user, attempt_id=attempt.pk, question_ids=[a.question_id for a in view.answers]
    )
    rows = [
        _result_row(
            a, bank.questions[a.question_id], boxes[a.question_id], quiz_selectors.answer_claim(a)
        )
        for a in view.answers
    ]
    total = len(rows)
    context = {
        "attempt": attempt,
        "rows": rows,
        "total": total,
        "percent": round(100 * attempt.score / total) if total else 0,
        "missed": total - attempt.score,
        # Cards this quiz's wrong answers made leeches: said here, not in the middle of the quiz.
        "leeches": [bank.questions[i] for i in quiz_selectors.attempt_new_leeches(attempt=attempt)],
        # Retake asks for the same quiz again: what was asked for, not what was delivered.
        "retake": {
            "category": attempt.category.slug if attempt.category else "",
            "length": attempt.requested_length,
            "seconds_per_question": attempt.seconds_per_question,
        },
    }
    return page(request, "quizzes/quiz_results.html", context)


MARKED_RIGHT = "Your answer is marked right, as your own mark, and your score and schedule updated."
NOT_MARKED = (
    "Nothing changed: only a typed answer marked wrong, in a finished quiz, can be marked right."
)


@login_required
@require_POST
def quiz_mark_right(request: LearnerRequest, attempt_id: int, answer_id: int) -> HttpResponse:
    """ "I was right" about a typed answer of a finished quiz that was marked wrong."""
    bank = bank_current()
    question_id = (
        AttemptAnswer.objects.filter(pk=answer_id, attempt_id=attempt_id)
        .values_list("question_id", flat=True)
        .first()
    )
    try:
        marked = claim_services.answer_mark_right(
            user=request.user,
            attempt_id=attempt_id,
            answer_id=answer_id,
            question=bank.questions.get(question_id) if question_id is not None else None,
            now=timezone.now(),
        )
    except claim_services.NotFound:
        raise Http404("No such answer in your quizzes.") from None
    if marked.marked:
        messages.success(request, MARKED_RIGHT)
    else:
        messages.info(request, NOT_MARKED)
    url = reverse("quizzes:quiz_results", args=[attempt_id])
    return go_to(request, f"{url}#answer-{answer_id}")
