"""make bench times each scenario's own requests: what a learner needs first (a started quiz, the
first card) is done before the clock, not charged to the requests timed."""

import asyncio

import pytest

from bench import load, seed
from quizzes.models import QuizAttempt

# Concurrent clients against the live server: SQLite's in-memory test database locks its tables.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

POOLS = [["bench-00001", "bench-00003"], ["bench-00002", "bench-00004"]]


@pytest.fixture
def learners(settings):
    settings.LEARNER_REQUEST_RATE = ""  # the clients are machines, as make bench sets it
    seed.seed(learners=4, reviews=5, heavy_reviews=0, heavy_learners=0)


@pytest.mark.usefixtures("learners")
def test_every_learner_has_a_quiz_started_before_the_answers_are_timed(live_server):
    summary = asyncio.run(
        load.run_scenario("quiz_answer", live_server.url, POOLS, duration=30, max_requests=40)
    )
    assert (summary["errors"], summary["error_samples"]) == (0, [])
    assert summary["requests"] >= 40
    # Twenty answers a quiz: the clients went on to their second learners' quizzes, started
    # before the clock like the first ones, and started none on it (one quiz each learner).
    started = QuizAttempt.objects.values_list("user__username", flat=True)
    assert sorted(started) == sorted(name for pool in POOLS for name in pool)
    assert summary.get("unmeasured") == 0


@pytest.mark.usefixtures("learners")
def test_every_learner_is_shown_a_card_before_the_ratings_are_timed(live_server):
    summary = asyncio.run(
        load.run_scenario("study_rating", live_server.url, POOLS, duration=30, max_requests=20)
    )
    assert (summary["errors"], summary["error_samples"]) == (0, [])
    assert summary["recorded"] >= 20
    assert summary.get("unmeasured") == 0
