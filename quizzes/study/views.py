"""The study page: one card at a time, its answer, ratings, bury and suspend, undo."""

import re
from dataclasses import replace
from datetime import datetime
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from learnfrl.parsing import ID_PATTERN
from quizzes.bank.cache import Bank, QuestionData, bank_current
from quizzes.cards import services as card_services
from quizzes.claims import services as claim_services
from quizzes.enums import HoldOrigin, ReviewOrigin
from quizzes.limits import MAX_RESPONSE_LENGTH
from quizzes.quiz.waiting import running_quiz_first, to_running_quiz
from quizzes.reports.views import study_report_box
from quizzes.rules import scheduling
from quizzes.study import selectors as study_selectors
from quizzes.study import services as study_services
from quizzes.study.done import DONE_REFRESH_SECONDS, next_card_due
from quizzes.study.forms import (
    CardAnswerForm,
    CardShownAfresh,
    CardWithdrawn,
    ClaimForm,
    HoldForm,
    RatingForm,
    UndoForm,
)
from quizzes.study.notices import (
    HOLD_NOTICES,
    NOTHING_TO_UNDO,
    PREVIEW_STALE_NOTICE,
    STALE_NOTICE,
    UNDO_NOTICES,
)
from quizzes.study.queue import study_queue
from quizzes.study.queued import StudyQueue
from quizzes.study.scopes import AHEAD_PREFIX, Scope, scope_resolve, scope_resolve_or_everything
from quizzes.study.tokens import CardToken, card_token_make
from quizzes.web import LearnerRequest, ViewT, after_post, go_to, page

STUDY_PAGE = "quizzes/study.html"


def _scope(request: LearnerRequest, bank: Bank, key: str) -> Scope:
    return scope_resolve(user=request.user, bank=bank, key=key, now=timezone.now())


def _queue(request: LearnerRequest, scope: Scope, now: datetime, bank: Bank) -> StudyQueue:
    return study_queue(
        user=request.user,
        now=now,
        category_slug=scope.category_slug,
        question_ids=scope.question_ids,
        offer_reviewed_before=scope.offer_reviewed_before,
        ignore_limits=scope.ignores_limits,
        bank=bank,
    )


def _base_context(bank: Bank, scope: Scope, queue: StudyQueue) -> dict[str, object]:
    return {
        "queue": queue,
        "scope": scope.key,
        "scope_name": scope.name,
        "scope_url": scope.url,
        "none_offered": scope.none_offered,
        "categories": bank.categories,
        "day_zone": str(queue.day.schedule.day.zone),
        "day_starts_at": queue.day.schedule.day.starts_at,
        "quizzes_url": reverse("quizzes:quiz_list"),
        "max_response_length": MAX_RESPONSE_LENGTH,
    }


def _card(request: LearnerRequest, context: dict[str, object]) -> HttpResponse:
    """The study page, or for htmx the card's partial for its side (front, back or done)."""
    return page(request, STUDY_PAGE, context, partial=str(context["side"]))


def _undone_card(
    request: LearnerRequest, queue: StudyQueue, bank: Bank, show: int | None, reps: int | None
) -> StudyQueue:
    """The queue with the card Undo just took back as its next card, as Anki shows it again
    (not whichever card has come due meanwhile); the queue as it is if that card is gone.
    `reps` is the card's review count when the caller knows it (else it is read)."""
    if show is None or (queue.next_question is not None and queue.next_question.id == show):
        return queue
    question = bank.questions.get(show)
    if question is None or not question.is_active:
        return queue
    if reps is None:
        state = study_selectors.card_state_for(user=request.user, question_id=show)
        reps = state.reps if state else 0
    return replace(queue, next_question=question, next_reps=reps)


def _shown_after_undo(request: LearnerRequest) -> int | None:
    """The card a plain post's Undo redirected with (?undone=id): shown first, once."""
    value = request.GET.get("undone", "")
    return int(value) if re.fullmatch(ID_PATTERN, value) else None


def _study_page(
    request: LearnerRequest,
    key: str,
    *,
    notice: str = "",
    bank: Bank | None = None,
    show: int | None = None,
    show_reps: int | None = None,
) -> HttpResponse:
    """The front of the next card in the scope `key` (or "done for now"); `show` puts a card
    first (the one Undo just took back)."""
    now = timezone.now()
    bank = bank or bank_current()
    scope = _scope(request, bank, key)
    queue = _queue(request, scope, now, bank)
    if queue.quiz_running is not None:
        # Study waits while a quiz takes answers: its questions are the learner's cards.
        quiz_url = reverse("quizzes:quiz_attempt", args=[queue.quiz_running])
        waiting = {
            "side": "quiz",
            "quiz_url": quiz_url,
            "notice": notice,
            "refresh_seconds": DONE_REFRESH_SECONDS,
            "refreshed": request.GET.get("refresh") == "1",
        }
        return _card(request, {**_base_context(bank, scope, queue), **waiting})
    if show is None:
        show = _shown_after_undo(request)
    queue = _undone_card(request, queue, bank, show, show_reps)
    question = queue.next_question
    context = {
        **_base_context(bank, scope, queue),
        "question": question,
        "side": "front" if question else "done",
        "notice": notice,
    }
    if question is None:
        # Done for now: cards buried come back at the start of the learner's next day (the
        # queue's statement read the holds).
        context["buried"] = queue.buried
        context.update(next_card_due(queue, now))
        context["refreshed"] = request.GET.get("refresh") == "1"
    else:
        context["token"] = card_token_make(
            user_id=request.user.pk,
            question_id=question.id,
            reps=queue.next_reps,
            now=now,
            scope=scope.key,
            retention=queue.day.schedule.desired_retention,
        )
    return _card(request, context)


@login_required
@require_safe
def study(request: LearnerRequest) -> HttpResponse:
    return _study_page(request, "")


@login_required
@require_safe
def study_category(request: LearnerRequest, category_slug: str) -> HttpResponse:
    return _study_page(request, category_slug)


@login_required
@require_safe
def study_category_moved(request: LearnerRequest, category_slug: str) -> HttpResponse:
    """A category's study page at its old address, /study/<slug>/: moved for good to
    /study/category/<slug>/. Only a category of the bank moves; any other word is a 404."""
    if bank_current().category(category_slug) is None:
        raise Http404("No such category.")
    url = reverse("quizzes:study_category", args=[category_slug])
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@login_required
@require_safe
def study_missed(request: LearnerRequest, attempt_id: int) -> HttpResponse:
    return _study_page(request, f"missed:{attempt_id}")


@login_required
@require_safe
def study_passage(request: LearnerRequest, sentence: int) -> HttpResponse:
    return _study_page(request, f"passage:{sentence}")


@login_required
@require_safe
def study_ahead(request: LearnerRequest, days_ahead: int) -> HttpResponse:
    """Custom study's "review ahead": the cards due in the next `days_ahead` days, now."""
    return _study_page(request, f"{AHEAD_PREFIX}{days_ahead}")


def shown_afresh_if_expired(view: ViewT) -> ViewT:
    """A card shown more than a day ago (its token too old) is shown afresh, in its scope, saying
    so, and after a card withdrawn since it was shown comes the next: nothing recorded, as for
    any card not shown, but no dead end."""

    @wraps(view)
    def wrapped(request: LearnerRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (CardShownAfresh, CardWithdrawn) as shown:
            scope = scope_resolve_or_everything(
                user=request.user, bank=bank_current(), key=shown.scope, now=timezone.now()
            )
            return after_post(
                request,
                url=scope.url,
                notice=shown.notice,
                level=messages.WARNING,
                render=lambda notice: _study_page(request, scope.key, notice=notice),
            )

    return cast(ViewT, wrapped)


def _question_for(bank: Bank, token: CardToken) -> QuestionData:
    question = bank.questions.get(token.question_id)
    if question is None or not question.is_active:
        raise CardWithdrawn(token.scope)
    return question


def _back_page(
    request: LearnerRequest,
    token: CardToken,
    response: str,
    *,
    notice: str = "",
    claimed: bool = False,
    claim_sent: bool = False,
) -> HttpResponse:
    """The back of the card the token names: the answer, and each rating's interval as of now;
    while a quiz takes answers, the learner is sent back to it instead (its queue says so).
    `claim_sent`: the answer to "I was right", which announces the claim, not the answer again."""
    now = timezone.now()
    bank = bank_current()
    question = _question_for(bank, token)
    scope = _scope(request, bank, token.scope)
    queue = _queue(request, scope, now, bank)
    if queue.quiz_running is not None:
        return to_running_quiz(request, queue.quiz_running)
    schedule = queue.day.schedule
    back = study_selectors.card_back(
        user=request.user,
        question=question,
        token=token,
        response=response,
        now=now,
        schedule=schedule,
        claimed=claimed,
    )
    if back is None:
        return _study_page(request, token.scope, notice=STALE_NOTICE, bank=bank)
    # The rating carries when these intervals were computed, with which parameters, from which card.
    fresh = card_token_make(
        user_id=request.user.pk,
        question_id=question.id,
        reps=token.reps,
        now=token.shown_at,
        scope=token.scope,
        retention=token.retention,
        previewed_at=now,
        parameters_key=scheduling.parameters_key(schedule.parameters),
        card_key=back.card_key,
    )
    context = {
        **_base_context(bank, scope, queue),
        "question": question,
        "side": "back",
        "token": fresh,
        "response": response,
        "chosen": back.graded.chosen,
        "back_choices": back.choices,
        "correct": back.graded.correct,
        "compared": back.compared,
        "claimed": back.claimed,
        "claim_sent": claim_sent,
        "can_claim": back.can_claim,
        "buttons": back.buttons,
        "report": study_report_box(
            user=request.user,
            question_id=question.id,
            token=fresh,
            response=response,
            claimed=back.claimed,
        ),
        "is_leech": back.is_leech,
        "lapses": back.lapses,
        "notice": notice,
    }
    return _card(request, context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@shown_afresh_if_expired
def study_answer(request: LearnerRequest) -> HttpResponse:
    """Show the answer: a POST, so what the learner typed stays out of addresses (the browser's
    history, server and proxy logs)."""
    if request.method != "POST":  # GET or HEAD
        # A GET comes from an address kept from before answers were posted (history, a bookmark)
        # or from logging in again after "Show answer" found the session ended (?next=): the
        # study page, with nothing the address carries read.
        return redirect("quizzes:study")
    data = CardAnswerForm(request.POST, user_id=request.user.pk).cleaned_or_bad_request()
    return _back_page(request, data["token"], data["response"], claimed=data["claimed"])


@login_required
@require_POST
@shown_afresh_if_expired
def study_claim(request: LearnerRequest) -> HttpResponse:
    """ "I was right" about a typed answer graded wrong (a button and the R key on the back): the
    back again with Good suggested, and the phrasing sent to the editors. A right answer or a
    choice question changes nothing."""
    data = ClaimForm(request.POST, user_id=request.user.pk).cleaned_or_bad_request()
    token, response = data["token"], data["response"]
    question = _question_for(bank_current(), token)
    # Before the claim: a card whose back waits for a quiz makes no claim either.
    if (waiting := running_quiz_first(request)) is not None:
        return waiting
    claim = claim_services.phrasing_claim_study(
        user=request.user, question=question, response=response, now=timezone.now()
    )
    return _back_page(request, token, response, claimed=claim is not None, claim_sent=True)


@login_required
@require_POST
@shown_afresh_if_expired
def study_review(request: LearnerRequest) -> HttpResponse:
    data = RatingForm(request.POST, user_id=request.user.pk).cleaned_or_bad_request()
    shown, rating = data["token"], data["rating"]
    bank = bank_current()
    question = _question_for(bank, shown)
    notice = ""
    try:
        recorded = study_services.review_record_shown(
            user=request.user,
            question_id=question.id,
            token=shown,
            rating=rating,
            now=timezone.now(),
        )
    except study_services.ReviewStale:
        notice = STALE_NOTICE
    except study_services.PreviewStale:
        # Nothing was recorded: show the buttons again, with the intervals a rating gives now.
        # The same page answers a plain post, as a form with errors would be shown again.
        return _back_page(
            request,
            shown,
            data["response"],
            notice=PREVIEW_STALE_NOTICE,
            claimed=data["claimed"],
        )
    else:
        # A typed answer the grader refused goes to the editors' queue.
        claim_services.phrasing_record_refused(
            user=request.user,
            question=question,
            response=data["response"],
            origin=ReviewOrigin.STUDY,
            now=timezone.now(),
        )
        if recorded.became_leech:
            # The learner is told on the card's own page, with its passage to read.
            url = reverse("quizzes:card_detail", args=[question.id])
            return go_to(request, f"{url}?leech=1&{urlencode({'study': shown.scope})}")
    return after_post(
        request,
        url=lambda: _scope(request, bank, shown.scope).url,
        notice=notice,
        level=messages.WARNING,
        render=lambda notice: _study_page(request, shown.scope, notice=notice, bank=bank),
    )


@login_required
@require_POST
@shown_afresh_if_expired
def study_hold(request: LearnerRequest) -> HttpResponse:
    """Bury or suspend the card shown (buttons and the - and @ keys on its back)."""
    data = HoldForm(request.POST, user_id=request.user.pk).cleaned_or_bad_request()
    card, kind = data["token"], data["action"]
    bank = bank_current()
    question = _question_for(bank, card)
    held = card_services.hold_place(
        user=request.user,
        question_id=question.id,
        kind=kind,
        now=timezone.now(),
        clock=study_selectors.study_profile(user=request.user).day,
        origin=HoldOrigin.STUDY,
    )
    notice = HOLD_NOTICES[held]
    return after_post(
        request,
        url=lambda: _scope(request, bank, card.scope).url,
        notice=notice,
        level=messages.SUCCESS,
        render=lambda notice: _study_page(request, card.scope, notice=notice, bank=bank),
    )


@login_required
@require_POST
def study_undo(request: LearnerRequest) -> HttpResponse:
    key = UndoForm(request.POST).cleaned_or_bad_request()["scope"]
    scope = scope_resolve_or_everything(
        user=request.user, bank=bank_current(), key=key, now=timezone.now()
    )
    undone = study_services.study_undo(user=request.user, now=timezone.now())
    notice = UNDO_NOTICES[undone.hold] if undone else NOTHING_TO_UNDO
    # The card undone comes back first, whatever else has come due since.
    show = undone.question_id if undone else None
    url = f"{scope.url}?{urlencode({'undone': show})}" if show is not None else scope.url
    return after_post(
        request,
        url=url,
        notice=notice,
        level=messages.SUCCESS if undone else messages.INFO,
        render=lambda notice: _study_page(
            request,
            scope.key,
            notice=notice,
            show=show,
            show_reps=undone.reps if undone else None,
        ),
    )
