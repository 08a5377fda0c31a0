"""The cards page: every card of the learner, filtered, sorted and paged; bulk suspend; one card."""

import random
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizzes.bank.cache import Bank, bank_current
from quizzes.cards import edits as card_edits
from quizzes.cards import selectors as card_selectors
from quizzes.cards import services as card_services
from quizzes.cards.forms import CardFilterForm, CardsBulkForm, SetDueForm
from quizzes.cards.history import card_history
from quizzes.enums import CardEditKind, CardFilterState, CardsBulkAction
from quizzes.limits import CARDS_PER_PAGE
from quizzes.progress.figures import FIGURES_SECONDS, cards_rows_key
from quizzes.quiz.waiting import running_quiz_first
from quizzes.rules.days import day_of
from quizzes.study.scopes import scope_resolve_or_everything
from quizzes.study.selectors import study_profile
from quizzes.web import LearnerRequest, go_to, one_at_a_time, page

CARDS_PAGE = "quizzes/cards.html"
# The filter fields and the column headings are the same for every learner with the same query
# string (and bank): the template caches them this long (about a millisecond of every visit).
FRAGMENT_SECONDS = FIGURES_SECONDS
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


def _browser_query(request: LearnerRequest) -> str:
    """The card browser's filters, sort and page that a card's page was opened from, as the
    browser reads them (only its own fields, each valid), so that its "All your cards" leads
    back to them; anything the browser would refuse leaves the plain list."""
    form = CardFilterForm(request.GET)
    return _query(form.cleaned_data, page=form.cleaned_data["page"]) if form.is_valid() else ""


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


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
@require_safe
@one_at_a_time
def cards(request: LearnerRequest) -> HttpResponse:
    bank = bank_current()
    form = CardFilterForm(request.GET)
    cards_page: Page[Any]
    if form.search_problem:
        # A search the syntax cannot read: the page says why beside the box, and what was
        # typed stays in it to be mended. Nothing is listed.
        filters = {**form.cleaned_data, "q": form.data.get("q", "")}
        cards_page, card_rows = Paginator[Any]([], CARDS_PER_PAGE).get_page(1), ""
    else:
        filters = form.cleaned_or_bad_request()
        cards_page, card_rows = _rows_rendered(request, bank, form, filters)
    total = cards_page.paginator.count
    context = {
        "form": form,
        "cards_page": cards_page,
        "card_rows": card_rows,
        "total": total,
        # Made only when the template's cached fragment of the headings is not there.
        "headings": SimpleLazyObject(lambda: _headings(filters)),
        "bank_version": bank.version,
        "fragment_seconds": FRAGMENT_SECONDS,
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


def _rows_rendered(
    request: LearnerRequest, bank: Bank, form: CardFilterForm, filters: dict[str, Any]
) -> tuple[Page[Any], str]:
    """The page of cards asked for and its rows, rendered: from the cache while nothing of the
    learner's has changed (cards_rows_key), as with 20,000 reviews the rows cost several times
    the rest of the page. From the cache, the page is of numbers (the pager needs only how many
    cards matched)."""
    number = filters["page"] or 1
    key = cards_rows_key(
        user=request.user, now=timezone.now(), bank=bank, query=_query(filters, page=number)
    )
    cached: tuple[int, str] | None = cache.get(key)
    if cached is not None:
        total, html = cached
        return Paginator(range(total), CARDS_PER_PAGE).get_page(number), html
    rows = _matching(request, bank, form, filters)
    cards_page = Paginator(rows, CARDS_PER_PAGE).get_page(number)
    # Each card's link carries the filters and page it is listed on, for its page's way back.
    number = cards_page.number if cards_page.number > 1 else None
    context = {"cards_page": cards_page, "card_query": _query(filters, page=number)}
    html = render_to_string(f"{CARDS_PAGE}#card_rows", context, request)
    cache.set(key, (len(rows), html), timeout=FIGURES_SECONDS)
    return cards_page, html


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
    bulk = CardsBulkForm(request.POST)
    if bulk.nothing_chosen:
        messages.error(request, _choose_cards(request, bulk.cleaned_data["action"]))
        return go_to(request, _back_url(request, bulk.cleaned_data["back"]))
    data = bulk.cleaned_or_bad_request()
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


def _choose_cards(request: LearnerRequest, action: CardsBulkAction) -> str:
    """What to do when Suspend or Unsuspend was pressed with no card chosen, in the words of the
    page's own controls (its "All N matching cards" box shows when more than one card matches:
    the search the form carries is run again to count them)."""
    verb = action.label.lower()
    form = CardFilterForm(request.POST)
    if form.is_valid():
        total = len(_matching(request, bank_current(), form, form.cleaned_data))
        if total > 1:
            return f"Tick at least one card to {verb}, or “All {total} matching cards”."
    return f"Tick at least one card to {verb}."


def _card_page(
    request: LearnerRequest,
    question_id: int,
    *,
    due_form: SetDueForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """One card: its question, answer and passage, its schedule, its history, and what can be
    done to it (suspend, forget, set its due date, undo the last of those two)."""
    bank = bank_current()
    now = timezone.now()
    row = card_selectors.card_row(user=request.user, now=now, bank=bank, question_id=question_id)
    if row is None:
        raise Http404("This question is not in the bank any more.")
    if (waiting := running_quiz_first(request)) is not None:
        return waiting
    browser_query = _browser_query(request)
    study_key = request.GET.get("study")
    study_url = ""
    if study_key is not None:
        scope = scope_resolve_or_everything(
            user=request.user, bank=bank, key=study_key[:100], now=now
        )
        study_url = scope.url
    history = card_history(
        user=request.user,
        question_id=question_id,
        # The learner's own schedule, even for a card they made new again (whose card row,
        # gone, carried none).
        schedule=study_profile(user=request.user).schedule,
        is_new=row.memory == CardFilterState.NEW,
        due=row.due,
    )
    context = {
        "row": row,
        "question": row.question,
        "just_became_leech": request.GET.get("leech") == "1" and row.is_leech,
        "study_url": study_url,
        "back": _with_query(reverse("quizzes:card_detail", args=[question_id]), browser_query),
        "browser_query": browser_query,
        "cards_url": _with_query(reverse("quizzes:cards"), browser_query),
        "history": history,
        "due_form": due_form or SetDueForm(),
        "is_new": row.memory == CardFilterState.NEW,
    }
    return page(request, "quizzes/card_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def card_detail(request: LearnerRequest, question_id: int) -> HttpResponse:
    """The card's page; its "Set due date" form posts here (card_due_set), so that a refused
    date is shown at the card's own address: reloaded or bookmarked, it is still the card."""
    if request.method == "POST":
        return card_due_set(request, question_id)
    return _card_page(request, question_id)


def _active_question(question_id: int) -> None:
    question = bank_current().questions.get(question_id)
    if question is None or not question.is_active:
        raise Http404("This question is not in the bank any more.")


def _card_url(request: LearnerRequest, question_id: int) -> str:
    """The card's page, still leading back to the browser's filters it was opened from."""
    url = reverse("quizzes:card_detail", args=[question_id])
    return _with_query(url, _browser_query(request))


NEW_CARD_NOTICE = "This card is new: it has no schedule to forget or move. Study it first."


@login_required
@require_POST
def card_forget(request: LearnerRequest, question_id: int) -> HttpResponse:
    """Put the card back to new, its history kept (Anki's "Reset"); undoable from its page."""
    _active_question(question_id)
    try:
        card_edits.card_forget(user=request.user, question_id=question_id, now=timezone.now())
    except card_edits.CardIsNew:
        messages.info(request, NEW_CARD_NOTICE)
    else:
        messages.success(request, "The card is new again. Its reviews stay in its history.")
    return go_to(request, _card_url(request, question_id))


@login_required
@require_POST
def card_due_set(request: LearnerRequest, question_id: int) -> HttpResponse:
    """Make the card due on a day, or a day of a range, from today (Anki's "Set due date")."""
    _active_question(question_id)
    form = SetDueForm(request.POST)
    if not form.is_valid():
        return _card_page(request, question_id, due_form=form, status=400)
    clock = study_profile(user=request.user).day
    now = timezone.now()
    try:
        due = card_edits.card_due_set(
            user=request.user,
            question_id=question_id,
            days=form.cleaned_data["days"],
            now=now,
            clock=clock,
            rng=random.Random(),
        )
    except card_edits.CardIsNew:
        messages.info(request, NEW_CARD_NOTICE)
    else:
        # Today's (0) is due already: before the day's start hour its date is yesterday's.
        when = date_format(day_of(due, clock), "j F Y")
        said = "The card is due now." if due <= now else f"The card is due on {when}."
        messages.success(request, said)
    return go_to(request, _card_url(request, question_id))


UNDO_EDIT_NOTICES = {
    CardEditKind.FORGET: "Forget is undone: the card has its schedule back.",
    CardEditKind.SET_DUE: "The due date you set is undone: the card is due as before.",
}


@login_required
@require_POST
def card_undo(request: LearnerRequest, question_id: int) -> HttpResponse:
    """Undo the card's latest Forget or Set due date, unless it has been rated since."""
    _active_question(question_id)
    undone = card_edits.card_edit_undo(user=request.user, question_id=question_id)
    if undone is None:
        messages.info(request, "There is nothing to undo on this card.")
    else:
        messages.success(request, UNDO_EDIT_NOTICES[undone])
    return go_to(request, _card_url(request, question_id))
