"""Progress: the dashboard, the article as a map of what the learner knows, and their exports."""

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from quizzes.bank.cache import Bank, bank_current
from quizzes.bank.selectors import anki_package
from quizzes.enums import Mastery, MemoryState, Rating
from quizzes.models import CardState, ReviewLog
from quizzes.progress import selectors as progress_selectors
from quizzes.progress.export import account_data
from quizzes.progress.figures import FIGURES_SECONDS, progress_figures_key
from quizzes.progress.forms import AnkiDeckForm, ForecastForm
from quizzes.quiz.waiting import ANSWERS_IN_DOWNLOAD, running_quiz_first
from quizzes.rules import charts
from quizzes.study.selectors import study_profile
from quizzes.web import LearnerRequest, page

FORECAST_BOX = (600, 160)
# The Anki download's file name: the article's, with the category's slug for one category.
DECK_FILE_NAME = "freedom-of-russia-legion"
SCORES_BOX = (600, 160)


@login_required
@require_safe
def progress_dashboard(request: LearnerRequest) -> HttpResponse:
    """The dashboard. Its figures are rendered once and reused, in the cache, under a key that
    changes whenever anything they are made of does (progress_figures_key): a learner with
    20,000 reviews pays for the year's calendar, every card's recall and the charts only after
    a change. The forecast's range (htmx) is rendered afresh."""
    forecast_form = ForecastForm(request.GET)
    forecast_days = forecast_form.cleaned_or_bad_request()["days"]
    now = timezone.now()
    bank = bank_current()
    if request.htmx:
        context = _figures(request, now=now, forecast_form=forecast_form, bank=bank)
        return page(request, "quizzes/progress.html", context, partial="forecast")
    key = progress_figures_key(
        user=request.user, now=now, part=f"figures:{forecast_days}", bank=bank
    )
    figures = cache.get(key)
    if figures is None:
        context = _figures(request, now=now, forecast_form=forecast_form, bank=bank)
        figures = render_to_string("quizzes/progress.html#figures", context, request)
        cache.set(key, figures, timeout=FIGURES_SECONDS)
    return page(request, "quizzes/progress.html", {"figures": figures})


def _figures(
    request: LearnerRequest,
    *,
    now: datetime,
    forecast_form: ForecastForm,
    bank: Bank,
) -> dict[str, Any]:
    """The dashboard's figures and charts, for its template."""
    forecast_days = forecast_form.cleaned_data["days"]
    profile = study_profile(user=request.user)
    summary = progress_selectors.progress_summary(
        user=request.user,
        now=now,
        schedule=profile.schedule,
        forecast_days=forecast_days,
        daily_goal=profile.daily_goal,
        bank=bank,
    )
    forecast_chart = charts.bar_chart(
        [(day.strftime("%-d %b"), n) for day, n in summary.forecast],
        y_title="Cards due",
        x_title="Day",
        noun="due",
        label_every={30: 7, 90: 14}.get(forecast_days, 61),
        width=FORECAST_BOX[0],
        height=FORECAST_BOX[1],
    )
    score_chart = charts.bar_chart(
        [(s.started_at.strftime("%-d %b"), s.percent) for s in summary.quiz_scores],
        y_title="Score",
        x_title="Quiz, oldest first",
        css="score",
        unit="%",
        top=100,
        label_every=max(1, len(summary.quiz_scores) // 5),
        width=SCORES_BOX[0],
        height=SCORES_BOX[1],
    )
    year = {day: n for day, n in summary.reviews_by_day.items() if (summary.today - day).days < 371}
    cells = charts.heatmap(year, summary.today)
    return {
        "s": summary,
        "state_segments": charts.stack(list(summary.by_state.items()), width=600),
        "forecast_chart": forecast_chart,
        "forecast_form": forecast_form,
        "forecast_days": forecast_days,
        "forecast_title": f"Cards due each day for the next {forecast_days} days",
        "forecast_desc": (
            f"{summary.due_today} due today, {summary.due_tomorrow} tomorrow; at most "
            f"{max((n for _d, n in summary.forecast), default=0)} on one day."
        ),
        "scores_title": f"Scores of your last {len(summary.quiz_scores)} quizzes, oldest first",
        "scores_desc": (
            f"The latest quiz scored {summary.quiz_scores[-1].percent}%."
            if summary.quiz_scores
            else ""
        ),
        "score_chart": score_chart,
        "heat_rects": charts.heatmap_rects(cells),
        "heat_months": charts.heatmap_months(cells),
        "heat_width": (cells[-1].x + 11) if cells else 0,
        "year_reviews": sum(year.values()),
        "year_days": sum(1 for n in year.values() if n),
        "box": FORECAST_BOX,
    }


@login_required
@require_safe
def article(request: LearnerRequest) -> HttpResponse:
    marks = progress_selectors.article_map(
        user=request.user, now=timezone.now(), schedule=study_profile(user=request.user).schedule
    )
    counts = dict.fromkeys(Mastery, 0)
    for mark in marks:
        if mark.level:
            counts[mark.level] += 1
    legend = [(level, level.label, counts[level]) for level in Mastery]
    return page(request, "quizzes/article.html", {"marks": marks, "legend": legend})


@login_required
@require_safe
def progress_export(request: LearnerRequest) -> HttpResponse:
    deck_form = AnkiDeckForm(None)
    return page(request, "quizzes/progress_export.html", {"deck_form": deck_form})


class _Echo:
    """A file that hands back what is written to it: csv.writer's rows, one at a time."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_safe
def export_reviews(request: LearnerRequest) -> HttpResponseBase:
    """Stream the learner's own review log as CSV."""
    if (waiting := running_quiz_first(request, notice=ANSWERS_IN_DOWNLOAD)) is not None:
        return waiting
    rows = (
        ReviewLog.objects.filter(user=request.user)
        .select_related("question")
        .order_by("reviewed_at", "id")
        .values_list(
            "reviewed_at", "question__slug", "rating", "origin", "duration_ms", "state_before"
        )
        .iterator(chunk_size=2000)
    )
    writer = csv.writer(_Echo())
    names = dict(Rating.choices)
    states = {state.value: state.name.lower() for state in MemoryState}

    def lines() -> Iterator[str]:
        yield writer.writerow(
            [
                "reviewed_at",
                "question",
                "rating",
                "rating_name",
                "origin",
                "duration_ms",
                "state_before",
                # Last, so that the columns before keep their places: the state in words, as
                # the cards' download has it ("new" for a card's first review).
                "state_before_name",
            ]
        )
        for reviewed_at, slug, rating, origin, duration, state_before in rows:
            yield writer.writerow(
                [
                    reviewed_at.isoformat(),
                    slug,
                    rating,
                    names[rating],
                    origin,
                    "" if duration is None else duration,
                    "" if state_before is None else state_before,
                    "new" if state_before is None else states[state_before],
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="learnfrl-reviews.csv"'
    return response


@login_required
@require_safe
def export_cards(request: LearnerRequest) -> HttpResponse:
    """Download the learner's own card states as JSON."""
    if (waiting := running_quiz_first(request, notice=ANSWERS_IN_DOWNLOAD)) is not None:
        return waiting
    cards = [
        {
            "question": state.question.slug,
            **state.values().as_dict(),
            "state": MemoryState(state.state).slug,
            "first_reviewed": state.created_at.isoformat(),
        }
        for state in CardState.objects.filter(user=request.user)
        .select_related("question")
        .order_by("question__position", "id")
    ]
    body = json.dumps({"user": request.user.get_username(), "cards": cards}, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="learnfrl-cards.json"'
    return response


@login_required
@require_safe
def export_account(request: LearnerRequest) -> HttpResponse:
    """Download everything else the site holds of the learner as JSON (progress.export)."""
    if (waiting := running_quiz_first(request, notice=ANSWERS_IN_DOWNLOAD)) is not None:
        return waiting
    body = json.dumps(account_data(user=request.user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="learnfrl-account.json"'
    return response


@login_required
@require_safe
def export_anki(request: LearnerRequest) -> HttpResponse:
    """Download the active questions (all, or one category's) as an Anki package."""
    form = AnkiDeckForm(request.GET)
    category = form.cleaned_or_bad_request()["category"] or None
    # The deck holds every answer; the review log and the cards name questions by slugs that may
    # spell them: each download waits for a quiz taking answers.
    if (waiting := running_quiz_first(request, notice=ANSWERS_IN_DOWNLOAD)) is not None:
        return waiting
    package = anki_package(category_slug=category)
    name = f"{DECK_FILE_NAME}-{category}.apkg" if category else f"{DECK_FILE_NAME}.apkg"
    response = HttpResponse(package, content_type="application/octet-stream")
    disposition = content_disposition_header(as_attachment=True, filename=name)
    assert disposition is not None, "an attachment always has a Content-Disposition"
    response["Content-Disposition"] = disposition
    return response
