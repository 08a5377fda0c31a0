"""A regrade of a past quiz answer ("I was right", an editor accepting the phrasing) shows in the
statistics at once, though the days before today are counted once a day and cached: the regrade
keeps the reviews' count and latest id, which the cached counts' key holds. So do the keys of the
simulator's rating habits and the optimizer's usable count."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from quizzes.claims.decisions import phrasing_accept
from quizzes.claims.services import card_regrade, phrasing_key
from quizzes.enums import Rating
from quizzes.models import ReviewLog
from quizzes.progress.statistics import _history_key, statistics
from quizzes.quiz import services as quiz_services
from quizzes.study.selectors import study_profile
from quizzes.study.services import review_record
from tests.claims.test_quiz_mark_right import mark, typed_answer
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
QUIZZED = NOW - timedelta(days=2)  # two days back: counted with the cached days, in the week
WRONG = "Ilya Ponomarjov"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def question(db):
    people = CategoryFactory.create(slug="people", name="People")
    return QuestionFactory.create(category=people, slug="typed", answer="Ilya Ponomarev")


def quizzed_in_review(user, question):
    """A young card in review (three Goods from twelve days back), then a quiz two days back
    that refused the learner's phrasing: an Again on it. Returns the finished quiz."""
    schedule = study_profile(user=user).schedule
    learned = NOW - timedelta(days=12)
    for after in (timedelta(0), timedelta(minutes=15), timedelta(days=4)):
        review_record(
            user=user,
            question_id=question.pk,
            rating=Rating.GOOD,
            now=learned + after,
            schedule=schedule,
            shown_reps=None,
        )
    attempt = quiz_services.attempt_start(
        user=user, category_slug="people", length=5, seconds_per_question=30, now=QUIZZED
    )
    quiz_services.attempt_answer(
        attempt=attempt, question_id=question.pk, response=WRONG, now=QUIZZED
    )
    attempt.refresh_from_db()
    assert ReviewLog.objects.get(user=user, reviewed_at=QUIZZED).rating == Rating.AGAIN
    return attempt


def week(user):
    """The young cards' (passed, failed) of the last week in the retention table."""
    figures = statistics(
        user=user, now=NOW, schedule=study_profile(user=user).schedule, range_days=None
    )
    row = next(r for r in figures.log.retention if r.period.name == "week")
    return row.young_passed, row.young_failed


def panel(client):
    """The statistics panel as htmx loads it, over all time."""
    url = reverse("quizzes:progress_statistics")
    return client.get(url, {"range": "all"}, headers={"HX-Request": "true"})


def test_i_was_right_on_a_past_quiz_shows_in_the_retention_table_at_once(
    learner_client, user, question, django_capture_on_commit_callbacks
):
    attempt = quizzed_in_review(user, question)
    assert week(user) == (0, 1)  # the days before today are cached now
    before = panel(learner_client).content
    with django_capture_on_commit_callbacks(execute=True):
        assert mark(learner_client, attempt, typed_answer(attempt).pk).status_code == 302
    assert week(user) == (1, 0)
    # The panel's rendered HTML is keyed by the card's values, which the regrade changed.
    response = panel(learner_client)
    assert response.content != before
    young = next(r for r in response.context["st"].log.retention if r.period.name == "week")
    assert (young.young_passed, young.young_failed) == (1, 0)
    cache.clear()
    assert panel(learner_client).content == response.content


def test_an_editor_accepting_a_phrasing_shows_in_every_learners_statistics(
    user, other_user, question, django_capture_on_commit_callbacks
):
    learners = (user, other_user)
    for learner in learners:
        quizzed_in_review(learner, question)
        assert week(learner) == (0, 1)
    editor = UserFactory.create(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = phrasing_accept(
            fact_id=question.fact_id, normalised=phrasing_key(WRONG), editor=editor, now=NOW
        )
    assert accepted.learners == 2
    assert [week(learner) for learner in learners] == [(1, 0), (1, 0)]


def test_the_regrade_is_said_once_committed(user, question, django_capture_on_commit_callbacks):
    # Said before the commit, a request in between could count the old rows under the new mark.
    quizzed_in_review(user, question)
    assert week(user) == (0, 1)
    with django_capture_on_commit_callbacks() as callbacks:
        card_regrade(user=user, question_id=question.pk, reviewed_at=QUIZZED)
        assert week(user) == (0, 1)
    assert len(callbacks) == 1
    callbacks[0]()
    assert week(user) == (1, 0)


def test_an_evicted_marker_never_brings_back_counts_from_before_a_regrade(
    user, question, django_capture_on_commit_callbacks
):
    quizzed_in_review(user, question)
    assert week(user) == (0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        card_regrade(user=user, question_id=question.pk, reviewed_at=QUIZZED)
    assert week(user) == (1, 0)
    cache.delete(_history_key(user.pk))  # evicted by the cache, or expired
    assert week(user) == (1, 0)


def test_the_simulators_habits_and_the_optimizers_count_notice_a_regrade(
    user, question, monkeypatch, django_capture_on_commit_callbacks
):
    """The learner's rating habits and usable-review count are kept by the log's count and latest
    id, which a regrade leaves: read again after one, not taken from before it."""
    from quizzes.parameters import selectors as parameters
    from quizzes.rules import optimizing, simulating

    quizzed_in_review(user, question)
    read = []

    def counted(name, function):
        def wrapper(*args, **kwargs):
            read.append(name)
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(simulating, "rating_odds", counted("odds", simulating.rating_odds))
    monkeypatch.setattr(optimizing, "history_usable", counted("usable", optimizing.history_usable))
    profile = study_profile(user=user)

    def both():
        parameters._rating_odds(user, profile, NOW)
        parameters.usable_reviews(user=user, profile=profile, now=NOW)

    both()
    both()
    assert read == ["odds", "usable"]  # kept while the log is as it was
    with django_capture_on_commit_callbacks(execute=True):
        card_regrade(user=user, question_id=question.pk, reviewed_at=QUIZZED)
    both()
    assert read == ["odds", "usable", "odds", "usable"]
