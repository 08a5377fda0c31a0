"""Timed quizzes: start, answer against the server's clock, finish and read the results."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from learnfrl.parsing import ascii_id
from learnfrl.views import bad_request_page
from quizzes import selectors, services
from quizzes.forms import QuizStartForm
from quizzes.models import QuizAttempt, StudyProfile
from quizzes.views.study import MAX_RESPONSE_LENGTH

# --- quizzes ------------------------------------------------------------------------------------


def _owned_attempt(request, attempt_id: int, *, with_profile: bool = False) -> QuizAttempt:
    attempts = QuizAttempt.objects.filter(user=request.user)
    if with_profile:
        attempts = attempts.select_related("user__study_profile")
    return get_object_or_404(attempts, pk=attempt_id)


def _finish_if_overdue(attempt: QuizAttempt, now: datetime) -> None:
    grace = timedelta(seconds=settings.QUIZ_GRACE_SECONDS)
    if attempt.is_running and now > attempt.deadline + grace:
        services.attempt_finish(attempt=attempt, now=now, ending=QuizAttempt.Ending.TIME_UP)


def _results_redirect(request, attempt: QuizAttempt) -> HttpResponse:
    url = reverse("quiz_results", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_GET
def quiz_list(request) -> HttpResponse:
    now = timezone.now()
    services.attempts_finish_overdue(now=now, user=request.user)
    bank = selectors.bank_current()
    attempts = selectors.attempts_recent(user=request.user)
    running = next((a for a in attempts if a.is_running), None)
    form = QuizStartForm(
        categories=bank.categories, initial={"category": request.GET.get("category", "")}
    )
    return render(
        request,
        "quizzes/quiz_list.html",
        {"form": form, "running": running, "attempts": [a for a in attempts if not a.is_running]},
    )


@login_required
@require_POST
def quiz_start(request) -> HttpResponse:
    bank = selectors.bank_current()
    form = QuizStartForm(request.POST, categories=bank.categories)
    if not form.is_valid():
        attempts = selectors.attempts_recent(user=request.user)
        running = next((a for a in attempts if a.is_running), None)
        context = {"form": form, "running": running, "attempts": attempts}
        return render(request, "quizzes/quiz_list.html", context, status=400)
    try:
        attempt = services.attempt_start(
            user=request.user,
            category_slug=form.cleaned_data["category"] or None,
            length=form.cleaned_data["length"],
            seconds_per_question=form.cleaned_data["seconds_per_question"],
            now=timezone.now(),
        )
    except services.AttemptRunning as running:
        messages.info(
            request, "You already have a quiz running, so it was not replaced: here it is."
        )
        return redirect(running.attempt)
    except services.NotEnoughQuestions:
        messages.error(request, "That category has no questions yet. Choose another.")
        return redirect("quiz_list")
    return redirect(attempt)


def _quiz_context(view: selectors.AttemptView, bank: selectors.Bank, now: datetime) -> dict:
    attempt, current = view.attempt, view.current
    question = bank.questions[current.question_id]
    by_id = {c.id: c for c in question.choices}
    return {
        "attempt": attempt,
        "current": current,
        "question": question,
        # The choices in the order fixed at the start; never which one is right.
        "choices": [by_id[i] for i in current.choice_order if i in by_id],
        "number": view.answered_count + 1,
        "total": len(view.answers),
        "remaining": max(0.0, (attempt.deadline - now).total_seconds()),
        "grace": settings.QUIZ_GRACE_SECONDS,
    }


def _quiz_page(request, view: selectors.AttemptView, bank, now, notice: str = "") -> HttpResponse:
    context = {**_quiz_context(view, bank, now), "notice": notice}
    template = "quizzes/quiz_attempt.html#question" if request.htmx else "quizzes/quiz_attempt.html"
    return render(request, template, context)


@login_required
@require_GET
def quiz_attempt(request, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    attempt = _owned_attempt(request, attempt_id)
    _finish_if_overdue(attempt, now)
    if not attempt.is_running:
        return _results_redirect(request, attempt)
    view = selectors.attempt_view(attempt=attempt)
    if view.current is None:  # every question answered but not yet finished
        services.attempt_finish(attempt=attempt, now=now, ending=QuizAttempt.Ending.COMPLETED)
        return _results_redirect(request, attempt)
    return _quiz_page(request, view, selectors.bank_current(), now)


@login_required
@require_POST
def quiz_answer(request, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    attempt = _owned_attempt(request, attempt_id, with_profile=True)
    question_id = ascii_id(request.POST.get("question", ""))
    if question_id is None:
        return bad_request_page(request, "Say which question you are answering.")
    response = request.POST.get("response", "").strip()
    if len(response) > MAX_RESPONSE_LENGTH:
        return bad_request_page(request, f"Answers are at most {MAX_RESPONSE_LENGTH} characters.")
    if not attempt.is_running:
        return _results_redirect(request, attempt)
    view = selectors.attempt_view(attempt=attempt)
    answer = next((a for a in view.answers if a.question_id == question_id), None)
    if answer is None:
        return bad_request_page(request, "That question is not part of this quiz.")
    bank = selectors.bank_current()
    try:
        retention = attempt.user.study_profile.desired_retention
    except StudyProfile.DoesNotExist:
        retention = StudyProfile._meta.get_field("desired_retention").default
    unanswered = [a for a in view.answers if a.answered_at is None and a.pk != answer.pk]
    result = services.attempt_answer(
        attempt=attempt,
        answer=answer,
        question=bank.questions[question_id],
        response=response,
        now=now,
        desired_retention=retention,
        unanswered_after=len(unanswered),
    )
    if result.outcome == services.AnswerOutcome.TOO_LATE:
        messages.warning(request, "Time was up before that answer arrived, so it was not scored.")
    if result.finished:
        return _results_redirect(request, attempt)
    notice = ""
    if result.outcome == services.AnswerOutcome.ALREADY_ANSWERED:
        notice = "You had already answered that question; your first answer stands."
    elif result.outcome == services.AnswerOutcome.CONFLICT:
        notice = "Your answer could not be saved just then. Please submit it again."
    else:
        answer.answered_at = now
    if not request.htmx:
        if notice:
            messages.info(request, notice)
        return redirect(attempt)
    return _quiz_page(request, view, bank, now, notice)


@login_required
@require_POST
def quiz_finish(request, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    attempt = _owned_attempt(request, attempt_id)
    if attempt.is_running:
        overdue = now >= attempt.deadline
        ending = QuizAttempt.Ending.TIME_UP if overdue else QuizAttempt.Ending.FINISHED_EARLY
        services.attempt_finish(attempt=attempt, now=now, ending=ending)
    return _results_redirect(request, attempt)


@login_required
@require_GET
def quiz_results(request, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    attempt = _owned_attempt(request, attempt_id)
    _finish_if_overdue(attempt, now)
    if attempt.is_running:
        messages.info(request, "Results are shown once the quiz is finished.")
        return redirect(attempt)
    view = selectors.attempt_view(attempt=attempt)
    bank = selectors.bank_current()
    rows = [(a, bank.questions[a.question_id]) for a in view.answers]
    total = len(rows)
    return render(
        request,
        "quizzes/quiz_results.html",
        {
            "attempt": attempt,
            "rows": rows,
            "total": total,
            "percent": round(100 * attempt.score / total) if total else 0,
            "time_allowed": f"{attempt.length * attempt.seconds_per_question} s",
            "missed": total - attempt.score,
        },
    )
