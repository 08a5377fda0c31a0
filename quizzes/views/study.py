"""The study page: one card at a time, its answer, ratings, undo and study settings."""

import dataclasses
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from learnfrl.parsing import ascii_id
from learnfrl.views import bad_request_page
from quizzes import scheduling, selectors, services
from quizzes.forms import StudySettingsForm
from quizzes.models import QuizAttempt
from quizzes.selectors import QuestionData, StudyQueue

CARD_TOKEN_SALT = "learnfrl.study.card"
CARD_TOKEN_MAX_AGE = 60 * 60 * 24  # a card left open for a day is shown afresh
MAX_RESPONSE_LENGTH = 500
STALE_NOTICE = (
    "That card was already rated (a double click or another tab), so nothing was recorded."
)


class BadCard(Exception):
    """The request names a card the learner was not shown."""


@dataclasses.dataclass(frozen=True)
class CardToken:
    question_id: int
    reps: int
    shown_at: datetime
    scope: str
    retention: float


def card_token_make(
    *, user_id: int, question_id: int, reps: int, now: datetime, scope: str, retention: float
) -> str:
    # The desired retention travels with the card, so the intervals previewed on the buttons are
    # computed exactly as the rating will be, even if the settings change in between.
    payload = {
        "u": user_id,
        "q": question_id,
        "r": reps,
        "t": now.timestamp(),
        "s": scope,
        "d": retention,
    }
    return signing.dumps(payload, salt=CARD_TOKEN_SALT)


def card_token_read(token: str, *, user_id: int) -> CardToken:
    """Check that the token was issued by us, to this learner, recently; raise BadCard if not."""
    if not token or len(token) > 500:
        raise BadCard
    try:
        data = signing.loads(token, salt=CARD_TOKEN_SALT, max_age=CARD_TOKEN_MAX_AGE)
        if data["u"] != user_id:
            raise BadCard
        shown_at = datetime.fromtimestamp(float(data["t"]), tz=UTC)
        retention = float(data["d"])
        if not 0.5 <= retention < 1:
            raise BadCard
        return CardToken(int(data["q"]), int(data["r"]), shown_at, str(data["s"]), retention)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadCard from None


@dataclasses.dataclass(frozen=True)
class Scope:
    """Which cards a study session draws from: all, one category, or the misses of one quiz."""

    key: str = ""
    name: str = ""
    url: str = ""
    category_slug: str | None = None
    question_ids: frozenset[int] | None = None
    offer_reviewed_before: datetime | None = None


def _scope_resolve(request, bank: selectors.Bank, key: str) -> Scope:
    """Read a scope key ("", a category slug, or "missed:<attempt id>"); 404 if it is not ours."""
    if not key:
        return Scope(url=reverse("study"))
    if key.startswith("missed:"):
        attempt_id = key.removeprefix("missed:")
        if ascii_id(attempt_id) is None:
            raise Http404("No such quiz.")
        attempt = get_object_or_404(
            QuizAttempt,
            pk=ascii_id(attempt_id),
            user=request.user,
            state=QuizAttempt.State.FINISHED,
        )
        missed = attempt.answers.exclude(is_correct=True).values_list("question_id", flat=True)
        return Scope(
            key=key,
            name=f"the questions you missed in quiz {attempt.pk}",
            url=reverse("study_missed", args=[attempt.pk]),
            question_ids=frozenset(missed),
            # Missed cards are offered even before they are due, once each after the quiz.
            offer_reviewed_before=attempt.finished_at,
        )
    if key.startswith("passage:"):
        index = key.removeprefix("passage:")
        sentence = ascii_id(index)
        ids = None if sentence is None else selectors.passage_question_ids(sentence_index=sentence)
        if not ids:
            raise Http404("No questions come from that passage.")
        return Scope(
            key=key,
            name="one passage of the article",
            url=reverse("study_passage", args=[sentence]),
            question_ids=ids,
            # A passage chosen from the article is studied now, each card once, due or not.
            offer_reviewed_before=timezone.now() - timedelta(minutes=10),
        )
    name = next((c.name for c in bank.categories if c.slug == key), "")
    if not name:
        raise Http404("No such category.")
    return Scope(key=key, name=name, url=reverse("study_category", args=[key]), category_slug=key)


def _render_card(request, context: dict, status: int = 200) -> HttpResponse:
    template = "quizzes/study.html#card" if request.htmx else "quizzes/study.html"
    return render(request, template, context, status=status)


def _base_context(bank: selectors.Bank, scope: Scope) -> dict:
    return {
        "scope": scope.key,
        "scope_name": scope.name,
        "scope_url": scope.url,
        "categories": bank.categories,
        "TIME_ZONE_NAME": settings.TIME_ZONE,
        "quizzes_url": reverse("quiz_list"),
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
    return selectors.study_queue(
        user=request.user,
        now=now,
        category_slug=scope.category_slug,
        question_ids=scope.question_ids,
        offer_reviewed_before=scope.offer_reviewed_before,
        bank=bank,
    )


def _study_page(request, key: str, *, notice: str = "", bank=None) -> HttpResponse:
    now = timezone.now()
    bank = bank or selectors.bank_current()
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


def _question_for(bank: selectors.Bank, question_id: int) -> QuestionData:
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
    bank = selectors.bank_current()
    question = _question_for(bank, token.question_id)
    card = selectors.card_values(
        selectors.card_state_for(user=request.user, question_id=question.id)
    )
    if card.reps != token.reps:
        return _study_page(request, token.scope, notice=STALE_NOTICE, bank=bank)
    intervals = scheduling.preview(
        card,
        now=now,
        desired_retention=token.retention,
        seed=f"{request.user.pk}:{question.id}",
    )
    correct, chosen = question.judge(response)
    buttons = [
        {
            "rating": rating,
            "name": scheduling.RATING_NAMES[rating],
            "interval": scheduling.interval_label(intervals[rating]),
            "suggested": (correct is False and rating == scheduling.AGAIN)
            or (correct is True and rating == scheduling.GOOD),
        }
        for rating in scheduling.RATINGS
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
    rating = ascii_id(request.POST.get("rating", "")) or 0
    if rating not in scheduling.RATINGS:
        return bad_request_page(request, "Choose a rating: Again, Hard, Good or Easy.")
    now = timezone.now()
    bank = selectors.bank_current()
    question = _question_for(bank, token.question_id)
    elapsed_ms = int((now - token.shown_at).total_seconds() * 1000)
    try:
        services.review_record(
            user=request.user,
            question_id=question.id,
            rating=rating,
            now=now,
            desired_retention=token.retention,
            shown_reps=token.reps,
            duration_ms=min(max(elapsed_ms, 0), 60 * 60 * 1000),
        )
    except services.ReviewStale:
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
        scope = _scope_resolve(request, selectors.bank_current(), key)
    except Http404:
        key, scope = "", Scope(url=reverse("study"))
    undone = services.review_undo(user=request.user)
    notice = "Your last rating was taken back." if undone else "There is no rating to take back."
    if not request.htmx:
        (messages.success if undone else messages.info)(request, notice)
        return redirect(scope.url)
    return _study_page(request, key, notice=notice)


@login_required
@require_http_methods(["GET", "POST"])
def study_settings(request) -> HttpResponse:
    profile = selectors.study_profile(user=request.user)
    initial = {
        "desired_retention": profile.desired_retention,
        "new_per_day": profile.new_per_day,
        "max_reviews_per_day": profile.max_reviews_per_day,
    }
    form = StudySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Your study settings are saved.")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("study"))
        return redirect("study")
    return render(request, "quizzes/study_settings.html", {"form": form})
