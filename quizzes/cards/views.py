"""The cards page: every card of the learner, filtered, sorted and paged; bulk suspend; one card."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from quizzes.bank.cache import Bank, bank_current
from quizzes.cards import selectors as card_selectors
from quizzes.cards import services as card_services
from quizzes.cards.forms import CardFilterForm, CardsBulkForm
from quizzes.enums import CardsBulkAction
from quizzes.limits import CARDS_PER_PAGE
from quizzes.study.scopes import scope_resolve_or_everything
from quizzes.web import LearnerRequest, go_to, page

CARDS_PAGE = "quizzes/cards.html"
FILTER_FIELDS = ("category", "state", "q", "sort")
# What says which cards match, for "all N matching cards".
MATCH_FIELDS = ("category", "state", "q")
# The columns a learner may sort by, with their headings (short, to fit the table in 1280 px;
# the full name for the abbreviation's title and for screen readers), in the table's order.
COLUMNS = (
    ("prompt", "Question", ""),
    ("category", "Category", ""),
    ("state", "State", ""),
    ("due", "Due", ""),
    ("stability", "Stab.", "Stability"),
    ("difficulty", "Diff.", "Difficulty"),
    ("recall", "Recall", "Recall now"),
    ("lapses", "Lapses", ""),
    ("reviews", "Revs", "Reviews"),
)


def _query(filters: dict[str, object], **changes: object) -> str:
    """The query string of the cards page with these filters (empty ones left out)."""
    merged = {**{k: filters.get(k) for k in FILTER_FIELDS}, **changes}
    return urlencode({k: v for k, v in merged.items() if v})


def _headings(filters: dict[str, object]) -> list[dict[str, str]]:
    """Each column's heading with the link that sorts by it (again: the other way round)."""
    current = str(filters.get("sort") or "position")
    headings = []
    for key, label, title in COLUMNS:
        ascending = current == key
        headings.append(
            {
                "label": label,
                "title": title,
                "url": "?" + _query(filters, sort=f"-{key}" if ascending else key),
                "aria_sort": "ascending"
                if ascending
                else ("descending" if current == f"-{key}" else ""),
            }
        )
    return headings


@login_required
@require_GET
def cards(request: LearnerRequest) -> HttpResponse:
    bank = bank_current()
    form = CardFilterForm(request.GET)
    rows: list[card_selectors.CardRow] = []
    if form.search_problem:
        # A search the syntax cannot read: the page says why beside the box, and what was
        # typed stays in it to be mended. Nothing is listed.
        filters = {**form.cleaned_data, "q": form.data.get("q", "")}
    else:
        filters = form.cleaned_or_bad_request()
        rows = _matching(request, bank, form, filters)
    paginator = Paginator(rows, CARDS_PER_PAGE)
    cards_page = paginator.get_page(filters["page"] or 1)
    context = {
        "form": form,
        "cards_page": cards_page,
        "total": paginator.count,
        "headings": _headings(filters),
        # Pages link to "?{query}&page=n"; a bulk action comes back to this very page.
        "query": _query(filters),
        "back": reverse("quizzes:cards") + "?" + _query(filters, page=cards_page.number),
        # "All N matching cards" posts the search again, not the cards it found.
        "match_filters": [
            (k, filters.get(k)) for k in ("category", "state", "q") if filters.get(k)
        ],
        "search_error": form.errors.get("q"),
    }
    return page(request, CARDS_PAGE, context, partial="results")


def _matching(
    request: LearnerRequest, bank: Bank, form: CardFilterForm, filters: dict[str, Any]
) -> list[card_selectors.CardRow]:
    """The learner's cards that the filters and search of a valid `form` match, sorted."""
    return card_selectors.cards_list(
        user=request.user,
        now=timezone.now(),
        bank=bank,
        category_slug=filters["category"],
        state=filters["state"],
        terms=form.search_terms,
        sort=filters.get("sort") or "position",
    )


def _back_url(request: LearnerRequest, back: str) -> str:
    """Where to return after a bulk action: a cards page of this site, else the cards list."""
    cards_url = reverse("quizzes:cards")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return back if back and safe and back.startswith(cards_url) else cards_url


@login_required
@require_POST
def cards_bulk(request: LearnerRequest) -> HttpResponse:
    """Suspend or unsuspend the ticked cards, then go back to the page they were ticked on."""
    data = CardsBulkForm(request.POST).cleaned_or_bad_request()
    chosen = data["card"]
    if data["all_matches"]:
        form = CardFilterForm(request.POST)
        filters = form.cleaned_or_bad_request()
        chosen = [row.question.id for row in _matching(request, bank_current(), form, filters)]
    if data["action"] == CardsBulkAction.SUSPEND:
        count = card_services.holds_suspend(
            user=request.user, question_ids=chosen, now=timezone.now()
        )
        notice = f"{count} card{'s' if count != 1 else ''} suspended."
    else:
        count = card_services.holds_unsuspend(user=request.user, question_ids=chosen)
        notice = f"{count} card{'s' if count != 1 else ''} unsuspended."
    messages.success(request, notice)
    return go_to(request, _back_url(request, data["back"]))


@login_required
@require_GET
def card_detail(request: LearnerRequest, question_id: int) -> HttpResponse:
    """One card: its question, answer and passage, its schedule, and suspend or unsuspend."""
    bank = bank_current()
    now = timezone.now()
    row = card_selectors.card_row(user=request.user, now=now, bank=bank, question_id=question_id)
    if row is None:
        raise Http404("This question is not in the bank any more.")
    study_key = request.GET.get("study")
    study_url = ""
    if study_key is not None:
        scope = scope_resolve_or_everything(
            user=request.user, bank=bank, key=study_key[:100], now=now
        )
        study_url = scope.url
    context = {
        "row": row,
        "question": row.question,
        "just_became_leech": request.GET.get("leech") == "1" and row.is_leech,
        "study_url": study_url,
        "back": reverse("quizzes:card_detail", args=[question_id]),
    }
    return page(request, "quizzes/card_detail.html", context)
