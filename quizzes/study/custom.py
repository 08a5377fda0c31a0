"""Custom study (Anki's): more new cards today, for every category or one, and review ahead."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from quizzes.bank.cache import bank_current
from quizzes.bank.selectors import category_choices
from quizzes.study import services as study_services
from quizzes.study.forms import MoreNewCardsForm, ReviewAheadForm
from quizzes.study.scopes import AHEAD_PREFIX, scope_resolve
from quizzes.web import LearnerRequest, go_to, page

CUSTOM_PAGE = "quizzes/custom_study.html"


def _custom_page(
    request: LearnerRequest,
    *,
    more_new: MoreNewCardsForm | None = None,
    ahead: ReviewAheadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "more_new": more_new or MoreNewCardsForm(),
        "ahead": ahead or ReviewAheadForm(),
    }
    return page(request, CUSTOM_PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def study_custom(request: LearnerRequest) -> HttpResponse:
    """The custom study page; a post adds new cards to today's limit and goes to study them."""
    if request.method != "POST":
        return _custom_page(request)
    form = MoreNewCardsForm(request.POST)
    if not form.is_valid():
        # Said once, beside its field (which has the cursor), not again as a message on top.
        return _custom_page(request, more_new=form, status=400)
    scope = form.cleaned_data["scope"]
    total = study_services.new_cards_extra_add(
        user=request.user, now=timezone.now(), scope=scope, count=form.cleaned_data["count"]
    )
    where = dict(category_choices()).get(scope, "all categories") if scope else "all categories"
    messages.success(
        request,
        f"You can study {total} more new card{'s' if total != 1 else ''} today, from {where}.",
    )
    url = reverse("quizzes:study_category", args=[scope]) if scope else reverse("quizzes:study")
    return go_to(request, url)


@login_required
@require_POST
def study_custom_ahead(request: LearnerRequest) -> HttpResponse:
    """Review ahead: go to a session of the cards due in the next days the learner chose."""
    form = ReviewAheadForm(request.POST)
    if not form.is_valid():
        return _custom_page(request, ahead=form, status=400)
    days_ahead = form.cleaned_data["days"]
    scope = scope_resolve(
        user=request.user,
        bank=bank_current(),
        key=f"{AHEAD_PREFIX}{days_ahead}",
        now=timezone.now(),
    )
    if scope.none_offered:
        # Back to the choice, saying why: a session with nothing to offer said "That was all of
        # them: you have been through every card", of cards it never showed (outside tests: none
        # due in those days, and all of them reviewed today, which it offers once a day). A card
        # reviewed ahead today still in its relearning steps is the session's, and it goes on.
        messages.info(request, scope.none_offered)
        return go_to(request, reverse("quizzes:study_custom"))
    return go_to(request, scope.url)
