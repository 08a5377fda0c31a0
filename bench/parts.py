"""The benchmark server's URLs: the app's own, plus one view that times a part of a page.

`/bench/rating-write/` does what a rating POST does up to its write (the form, the token, the card
and settings read, the scheduler, the write) and answers with a token for the same card, without
reading the next card's queue or rendering it. `make bench`'s rating is this plus a next card;
timed apart (bench.load's `study_rating_write`), the two parts show which one a rating's cost is
in. Served only by the benchmark (bench.settings): the app has no such URL.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from learnfrl import urls as app_urls
from quizzes.bank.cache import bank_current
from quizzes.study import services as study_services
from quizzes.study.forms import RatingForm
from quizzes.study.tokens import card_token_make
from quizzes.study.views import _question_for
from quizzes.web import LearnerRequest


@login_required
@require_POST
def rating_write(request: LearnerRequest) -> HttpResponse:
    data = RatingForm(request.POST, user_id=request.user.pk).cleaned_or_bad_request()
    shown = data["token"]
    question = _question_for(bank_current(), shown)  # as the rating's own view
    recorded = study_services.review_record_shown(
        user=request.user,
        question_id=question.id,
        token=shown,
        rating=data["rating"],
        now=timezone.now(),
    )
    token = card_token_make(
        user_id=request.user.pk,
        question_id=question.id,
        reps=recorded.card.reps,
        now=timezone.now(),
        scope=shown.scope,
        retention=shown.retention,
    )
    return HttpResponse(f'name="token" value="{token}"')


urlpatterns = [path("bench/rating-write/", rating_write), path("", include(app_urls))]
handler400 = app_urls.handler400
handler403 = app_urls.handler403
handler404 = app_urls.handler404
handler500 = app_urls.handler500
