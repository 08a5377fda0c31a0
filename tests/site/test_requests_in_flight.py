"""A learner's requests that take a while are served one at a time (LEARNER_REQUESTS_IN_FLIGHT):
one more while one is in flight gets a 429 that says so, and other learners are served as ever."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.parameters import selectors as schedule_selectors
from tests.helpers import HX

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

STATISTICS = reverse("quizzes:progress_statistics")
WORKLOAD = reverse("quizzes:schedule_workload")


@pytest.fixture
def while_simulating(monkeypatch):
    """Run `during()` while the learner's workload request is in flight (in place of the
    simulation, which is then refused), and return what it returned."""

    def run(learner_client: Client, during):
        seen = []

        def in_flight(**kwargs):
            seen.append(during())
            raise schedule_selectors.WorkloadRefused("Not simulated in this test.")

        monkeypatch.setattr(schedule_selectors, "workload", in_flight)
        assert learner_client.get(WORKLOAD, headers=HX).status_code == 200
        return seen[0]

    return run


def test_a_second_slow_request_from_the_same_learner_gets_429_while_another_learners_is_served(
    learner_client, user, other_user, while_simulating, settings
):
    settings.LEARNER_REQUESTS_IN_FLIGHT = 1
    other = Client()
    other.force_login(other_user)

    def during():
        return (
            learner_client.get(STATISTICS, headers=HX),
            learner_client.post(reverse("quizzes:schedule_optimize"), headers=HX),
            learner_client.get(reverse("quizzes:cards")),
            other.get(STATISTICS, headers=HX),
        )

    statistics, optimize, cards, others = while_simulating(learner_client, during)
    assert [statistics.status_code, optimize.status_code, cards.status_code] == [429, 429, 429]
    assert others.status_code == 200
    assert statistics["Retry-After"] == "5"
    assert "still being answered" in statistics.context_data["message"]
    # htmx gets the message alone, shown in the page's busy notice (the part it asked for stays
    # as it was, so its forms keep their target); a page load gets the whole page, titled, in
    # the site's layout.
    assert "<html" not in statistics.content.decode()
    assert "still being answered" in statistics.content.decode()
    assert statistics["HX-Retarget"] == "#busy-notice"
    assert statistics["HX-Reswap"] == "innerHTML"
    assert 'id="busy-notice"' in other.get(reverse("quizzes:progress")).content.decode()
    assert cards.context_data["title"] == "One moment, please"
    assert "<html" in cards.content.decode()
    assert cards.context_data["again_url"] == reverse("quizzes:cards")


def test_when_it_is_done_the_next_is_served(learner_client, while_simulating, settings):
    settings.LEARNER_REQUESTS_IN_FLIGHT = 1
    while_simulating(learner_client, lambda: None)
    assert learner_client.get(STATISTICS, headers=HX).status_code == 200


def test_the_limit_is_a_setting_of_two_by_default(learner_client, while_simulating, settings):
    """Two, so that a double click (the browser drops the first request; the server is still
    answering it) or a second tab is served."""
    assert settings.LEARNER_REQUESTS_IN_FLIGHT == 2
    statistics = while_simulating(
        learner_client, lambda: learner_client.get(STATISTICS, headers=HX)
    )
    assert statistics.status_code == 200


def test_the_slot_is_freed_when_the_request_fails(learner_client, monkeypatch, settings):
    settings.LEARNER_REQUESTS_IN_FLIGHT = 1

    def broken(**kwargs):
        raise RuntimeError("the simulator broke")

    monkeypatch.setattr(schedule_selectors, "workload", broken)
    with pytest.raises(RuntimeError):
        learner_client.get(WORKLOAD, headers=HX)
    assert learner_client.get(STATISTICS, headers=HX).status_code == 200


def test_pages_that_are_quick_are_not_limited(learner_client, while_simulating):
    study = while_simulating(learner_client, lambda: learner_client.get(reverse("quizzes:study")))
    assert study.status_code == 200
