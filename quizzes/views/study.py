"""The study page: one card at a time, its answer, ratings, undo and study settings."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from learnfrl.views import bad_request_page
from quizzes import scheduling, study_selectors, study_services
from quizzes.bank_cache import Bank, QuestionData, bank_current
from quizzes.enums import Rating
from quizzes.forms import StudySettingsForm
from quizzes.grading import response_grade
from quizzes.limits import MAX_RESPONSE_LENGTH
from quizzes.study_scopes import Scope, scope_everything, scope_resolve
from quizzes.study_selectors import StudyQueue
from quizzes.tokens import BadCard, card_token_make, card_token_read

STALE_NOTICE = (
    "That card was already rated (a double click or another tab), so nothing was recorded."
)


def _scope_resolve(request, bank: Bank, key: str) -> Scope:
    return scope_resolve(user=request.user, bank=bank, key=key, now=timezone.now())


def _render_card(request, context: dict, status: int = 200) -> HttpResponse:
    template = "quizzes/study.html#card" if request.htmx else "quizzes/study.html"
    return render(request, template, context, status=status)


def _base_context(bank: Bank, scope: Scope) -> dict:
    return {
        "scope": scope.key,
        "scope_name": scope.name,
        "scope_url": scope.url,
        "categories": bank.categories,
        "TIME_ZONE_NAME": settings.TIME_ZONE,
        "quizzes_url": reverse("quiz_list"),
        "max_response_length": MAX_RESPONSE_LENGTH,
    }


def _front_context(request, queue: StudyQueue, bank, now: datetime, scope: Scope) -> dict:
    question = queue.next_question
    context = {
        **_base_context(bank, scope),
        "queue": queue,
        "question": question,
        "side": "front" if question else "done",
    }
    if question is not None:
        context["token"] = card_token_make(
            user_id=request.user.pk,
            question_id=question.id,
            reps=queue.next_reps,
            now=now,
            scope=scope.key,
            retention=queue.day.desired_retention,
        )
    return context


def _queue(request, scope: Scope, now: datetime, bank) -> StudyQueue:
    return study_selectors.study_queue(
        user=request.user,
        now=now,
        category_slug=scope.category_slug,
        question_ids=scope.question_ids,
        offer_reviewed_before=scope.offer_reviewed_before,
        bank=bank,
    )


def _study_page(request, key: str, *, notice: str = "", bank=None) -> HttpResponse:
    now = timezone.now()
    bank = bank or bank_current()
    scope = _scope_resolve(request, bank, key)
    queue = _queue(request, scope, now, bank)
    context = _front_context(request, queue, bank, now, scope)
    context["notice"] = notice
    return _render_card(request, context)


@login_required
@require_GET
def study(request) -> HttpResponse:
    return _study_page(request, "")


@login_required
@require_GET
def study_category(request, category_slug: str) -> HttpResponse:
    return _study_page(request, category_slug)


@login_required
@require_GET
def study_missed(request, attempt_id: int) -> HttpResponse:
    return _study_page(request, f"missed:{attempt_id}")


@login_required
@require_GET
def study_passage(request, sentence: int) -> HttpResponse:
    return _study_page(request, f"passage:{sentence}")


def _question_for(bank: Bank, question_id: int) -> QuestionData:
    question = bank.questions.get(question_id)
    if question is None or not question.is_active:
        raise Http404("This question is not in the bank any more.")
    return question


@login_required
@require_GET
def study_answer(request) -> HttpResponse:
    try:
        token = card_token_read(request.GET.get("token", ""), user_id=request.user.pk)
    except BadCard:
        return bad_request_page(request, "This card was not shown to you. Reload the study page.")
    response = request.GET.get("response", "").strip()
    if len(response) > MAX_RESPONSE_LENGTH:
        return bad_request_page(request, f"Answers are at most {MAX_RESPONSE_LENGTH} characters.")
    now = timezone.now()
    bank = bank_current()
    question = _question_for(bank, token.question_id)
    card = study_selectors.card_values(
        study_selectors.card_state_for(user=request.user, question_id=question.id)
    )
    if card.reps != token.reps:
        return _study_page(request, token.scope, notice=STALE_NOTICE, bank=bank)
    intervals = scheduling.preview(
        card,
        now=now,
        desired_retention=token.retention,
        seed=f"{request.user.pk}:{question.id}",
    )
    correct, chosen = response_grade(question, response)
    buttons = [
        {
            "rating": rating,
            "name": rating.label,
            "hint": rating.hint,
            # Hard is the rating learners misread as a fail: its button says it is a pass.
            "title": "Recalled, with effort — a pass, not a fail" if rating == Rating.HARD else "",
            "interval": scheduling.interval_label(intervals[rating]),
            "suggested": (correct is False and rating == Rating.AGAIN)
            or (correct is True and rating == Rating.GOOD),
        }
        for rating in Rating
    ]
    scope = _scope_resolve(request, bank, token.scope)
    context = {
        "queue": _queue(request, scope, now, bank),
        **_base_context(bank, scope),
        "question": question,
        "side": "back",
        "token": request.GET["token"],
        "response": response,
        "chosen": chosen,
        "correct": correct,
        "buttons": buttons,
    }
    return _render_card(request, context)


@login_required
@require_POST
def study_review(request) -> HttpResponse:
    try:
        token = card_token_read(request.POST.get("token", ""), user_id=request.user.pk)
    except BadCard:
        return bad_request_page(request, "This card was not shown to you. Reload the study page.")
    try:
        rating = int(request.POST.get("rating", ""))
    except ValueError:
        rating = 0
    if rating not in Rating:
        return bad_request_page(request, "Choose a rating: Again, Hard, Good or Easy.")
    now = timezone.now()
    bank = bank_current()
    question = _question_for(bank, token.question_id)
    elapsed_ms = int((now - token.shown_at).total_seconds() * 1000)
    try:
        study_services.review_record(
            user=request.user,
            question_id=question.id,
            rating=rating,
            now=now,
            desired_retention=token.retention,
            shown_reps=token.reps,
            duration_ms=min(max(elapsed_ms, 0), 60 * 60 * 1000),
        )
    except study_services.ReviewStale:
        if not request.htmx:
            messages.warning(request, STALE_NOTICE)
            return redirect(_scope_resolve(request, bank, token.scope).url)
        return _study_page(request, token.scope, notice=STALE_NOTICE, bank=bank)
    if not request.htmx:
        return redirect(_scope_resolve(request, bank, token.scope).url)
    return _study_page(request, token.scope, bank=bank)


@login_required
@require_POST
def study_undo(request) -> HttpResponse:
    key = request.POST.get("scope", "")[:100]
    try:
        scope = _scope_resolve(request, bank_current(), key)
    except Http404:
        key, scope = "", scope_everything()
    undone = study_services.review_undo(user=request.user)
    notice = "Your last rating was taken back." if undone else "There is no rating to take back."
    if not request.htmx:
        (messages.success if undone else messages.info)(request, notice)
        return redirect(scope.url)
    return _study_page(request, key, notice=notice)


@login_required
@require_http_methods(["GET", "POST"])
def study_settings(request) -> HttpResponse:
    profile = study_selectors.study_profile(user=request.user)
    initial = {
        "desired_retention": profile.desired_retention,
        "new_per_day": profile.new_per_day,
        "max_reviews_per_day": profile.max_reviews_per_day,
    }
    form = StudySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        study_services.profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Your study settings are saved.")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("study"))
        return redirect("study")
    return render(request, "quizzes/study_settings.html", {"form": form})
