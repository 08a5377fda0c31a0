"""The "done for now" panel counts the cards that wait for the learner's next day: those buried,
and those whose fact the learner saw today through another card. They come back when the day
turns, so the panel says so, and a session of chosen cards is not "all of them" while they wait."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from quizzes.bank.cache import bank_current
from quizzes.enums import Rating
from quizzes.models import CardHold
from quizzes.study.done import next_card_at
from quizzes.study.queue import study_queue
from tests.factories import (
    CardHoldFactory,
    CardStateFactory,
    FactFactory,
    QuestionFactory,
    ReviewLogFactory,
)
from tests.helpers import HX, queue_plan_statements, rate, utc_day_profile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# 3 p.m. UTC: the learner's day (UTC, from 4 a.m.) started at 4 a.m.; the next starts tomorrow.
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
IN_FIVE_DAYS = NOW + timedelta(days=5)


@pytest.fixture
def twins(db):
    """A fact asked twice (its multiple-choice question first), and a fact of its own."""
    march = FactFactory.create(slug="march-2022", answer="March 2022")
    return {
        "mc": QuestionFactory.create(
            slug="mc", fact=march, multiple_choice=True, with_choices=True, position=0
        ),
        "typed": QuestionFactory.create(slug="typed", fact=march, answer="March 2022", position=1),
        "other": QuestionFactory.create(slug="other", position=2),
    }


def in_review_later(user, question):
    """A review card of `question`, due in five days."""
    return CardStateFactory.create(
        user=user, question=question, in_review=True, due=IN_FIVE_DAYS, now=NOW
    )


def study_mc_and_see_done(client):
    """Rate the multiple-choice card (the only one offered), then read the panel."""
    html = client.get(reverse("quizzes:study")).content.decode()
    assert "March 2022" in html  # the multiple-choice card, its choices shown
    rate(client, html, Rating.EASY, htmx=False)
    return client.get(reverse("quizzes:study"))


def test_a_new_card_waiting_for_its_sibling_comes_at_the_next_days_start(
    learner_client, user, twins
):
    """Before, the panel named the card due in five days: the new sibling waiting was
    neither offered nor counted, so nothing said it came tomorrow."""
    utc_day_profile(user, new_per_day=10)
    in_review_later(user, twins["other"])
    page = study_mc_and_see_done(learner_client)
    assert page.context["side"] == "done"
    queue = page.context["queue"]
    assert (queue.waiting_new, queue.waiting_siblings, queue.waiting_siblings_today) == (1, 1, 1)
    assert page.context["next_at"] == NEXT_DAY
    assert "1 card here waits for your next day" in page.content.decode()


def test_a_new_sibling_past_the_days_new_card_limit_is_not_said_to_wait(
    learner_client, user, twins
):
    """One new card a day: the multiple-choice card was it, so its typed twin would not come
    today anyway. Before, the panel said it waited for the sibling seen today."""
    utc_day_profile(user, new_per_day=1)
    in_review_later(user, twins["other"])
    page = study_mc_and_see_done(learner_client)
    queue = page.context["queue"]
    assert (queue.waiting_siblings, queue.waiting_siblings_today) == (1, 0)
    assert "here wait" not in page.content.decode()


def test_past_the_days_review_limit_no_sibling_is_said_to_wait(learner_client, user, twins):
    """One review a day: the multiple-choice card was it, so no card comes today, its typed twin
    neither. Before, the panel said the twin waited for the sibling seen today."""
    utc_day_profile(user, new_per_day=10, max_reviews_per_day=1)
    in_review_later(user, twins["other"])
    page = study_mc_and_see_done(learner_client)
    queue = page.context["queue"]
    assert queue.review_limit_reached
    assert (queue.waiting_siblings, queue.waiting_siblings_today) == (1, 0)
    assert "here wait" not in page.content.decode()


def test_past_the_days_review_limit_no_review_sibling_is_said_to_wait(learner_client, user, twins):
    utc_day_profile(user, new_per_day=0, max_reviews_per_day=1)
    in_review_later(user, twins["other"])
    for question in (twins["mc"], twins["typed"]):
        CardStateFactory.create(user=user, question=question, in_review=True, overdue=True, now=NOW)
    page = study_mc_and_see_done(learner_client)
    queue = page.context["queue"]
    assert queue.review_limit_reached
    assert (queue.waiting_siblings_offered, queue.waiting_siblings_today) == (1, 0)
    assert "here wait" not in page.content.decode()


def test_a_review_card_waiting_for_its_sibling_comes_when_the_day_turns(
    learner_client, user, twins
):
    utc_day_profile(user, new_per_day=0)
    in_review_later(user, twins["other"])
    two_days_ago, yesterday = NOW - timedelta(days=2), NOW - timedelta(days=1)
    CardStateFactory.create(user=user, question=twins["mc"], in_review=True, due=two_days_ago)
    CardStateFactory.create(user=user, question=twins["typed"], in_review=True, due=yesterday)
    page = study_mc_and_see_done(learner_client)
    assert page.context["queue"].waiting_due_at == yesterday
    assert page.context["next_at"] == NEXT_DAY


def test_a_waiting_card_not_due_till_later_comes_when_it_is_due(learner_client, user, twins):
    utc_day_profile(user, new_per_day=10)
    in_review_later(user, twins["other"])
    due = NOW + timedelta(days=3)
    CardStateFactory.create(user=user, question=twins["typed"], in_review=True, due=due, now=NOW)
    page = study_mc_and_see_done(learner_client)
    assert page.context["next_at"] == due


def test_with_no_new_cards_a_day_a_waiting_new_card_does_not_come_tomorrow(
    learner_client, user, twins
):
    utc_day_profile(user, new_per_day=0)
    in_review_later(user, twins["other"])
    CardStateFactory.create(user=user, question=twins["mc"], in_review=True, overdue=True, now=NOW)
    page = study_mc_and_see_done(learner_client)
    assert page.context["queue"].waiting_new == 1
    assert page.context["next_at"] == IN_FIVE_DAYS


def test_a_buried_card_comes_back_at_the_next_days_start_and_a_suspended_one_does_not(
    learner_client, user, twins
):
    utc_day_profile(user, new_per_day=10, bury_siblings=False)
    in_review_later(user, twins["other"])
    in_review_later(user, twins["mc"])
    CardHoldFactory.create(user=user, question=twins["typed"])  # suspended
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["side"] == "done"
    assert page.context["next_at"] == IN_FIVE_DAYS
    assert page.context["queue"].waiting_new == 0

    CardHold.objects.filter(user=user).delete()
    CardHoldFactory.create(user=user, question=twins["typed"], buried=True, until=NEXT_DAY)
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["next_at"] == NEXT_DAY
    # Buried, not waiting for a sibling: said by the panel's line for buried cards.
    assert page.context["queue"].waiting_siblings == 0
    assert "1 card you buried comes back tomorrow" in page.content.decode()


def _passage_session(user, twins):
    return study_queue(
        user=user,
        now=NOW,
        question_ids=frozenset({twins["mc"].pk, twins["typed"].pk}),
        ignore_limits=True,
        offer_reviewed_before=NOW - timedelta(minutes=10),
    )


def test_a_session_of_chosen_cards_is_not_all_of_them_while_one_waits(user, twins):
    """The multiple-choice card was studied in the session; its typed twin waits for the next
    day. Before, the session said "That was all of them"."""
    utc_day_profile(user, new_per_day=10)
    CardStateFactory.create(
        user=user, question=twins["mc"], in_review=True, last_review=NOW, now=NOW
    )
    ReviewLogFactory.create(user=user, question=twins["mc"], reviewed_at=NOW)
    queue = _passage_session(user, twins)
    assert queue.next_question is None
    assert queue.waiting_new == 1
    assert not queue.all_done

    profile_off = user.study_profile
    profile_off.bury_siblings = False
    profile_off.save()
    queue = _passage_session(user, twins)
    assert queue.next_question is not None
    assert queue.next_question.id == twins["typed"].pk


def test_a_sibling_not_due_for_weeks_is_not_said_to_wait_for_the_next_day(
    learner_client, user, twins
):
    """The typed twin is due in twenty days: seeing its sibling today holds nothing back, so
    the panel does not count it among the cards waiting for the next day."""
    utc_day_profile(user, new_per_day=10)
    in_review_later(user, twins["other"])
    CardStateFactory.create(
        user=user, question=twins["typed"], in_review=True, due=NOW + timedelta(days=20), now=NOW
    )
    page = study_mc_and_see_done(learner_client)
    assert page.context["queue"].waiting_siblings == 0
    assert "wait" not in page.content.decode().split("done for now", 1)[-1].split("</div>")[0]
    assert page.context["next_at"] == IN_FIVE_DAYS


def _mc_studied_now_typed_last_reviewed(user, twins, last_review):
    """The multiple-choice twin reviewed now (its typed twin waits for the next day), the typed
    twin a review card due in twenty days, last reviewed at `last_review`."""
    utc_day_profile(user, new_per_day=10)
    CardStateFactory.create(
        user=user, question=twins["mc"], in_review=True, last_review=NOW, now=NOW
    )
    ReviewLogFactory.create(user=user, question=twins["mc"], reviewed_at=NOW)
    CardStateFactory.create(
        user=user,
        question=twins["typed"],
        in_review=True,
        due=NOW + timedelta(days=20),
        last_review=last_review,
        now=NOW,
    )


def test_a_waiting_card_a_chosen_session_offers_before_it_is_due_comes_at_the_days_start(
    user, twins
):
    """A passage offers a card last reviewed long ago whatever its due: held back for its
    sibling seen today, it comes when the day turns, not when it falls due in twenty days."""
    _mc_studied_now_typed_last_reviewed(user, twins, NOW - timedelta(days=30))
    queue = _passage_session(user, twins)
    assert queue.next_question is None
    assert not queue.all_done
    assert next_card_at(queue, NOW) == NEXT_DAY


def test_a_chosen_session_is_all_done_when_the_waiting_card_was_studied_in_it(user, twins):
    """The typed twin was studied in this session too: held back or not, it would not come again
    in the session till it is due."""
    _mc_studied_now_typed_last_reviewed(user, twins, NOW - timedelta(minutes=5))
    queue = _passage_session(user, twins)
    assert queue.next_question is None
    assert queue.all_done


def test_done_for_now_reads_no_more_than_the_card(
    learner_client, user, twins, django_assert_max_num_queries
):
    """The session, the user, the settings and the queue, whose statement reads the holds the
    panel counts (it read them again, one statement more on every "done for now")."""
    utc_day_profile(user, new_per_day=0)
    in_review_later(user, twins["other"])
    CardHoldFactory.create(user=user, question=twins["typed"], buried=True, until=NEXT_DAY)
    bank_current()  # counted as in production, the bank's version re-checked seldom
    with (
        override_settings(BANK_CACHE_SECONDS=3600),
        django_assert_max_num_queries(4 + queue_plan_statements()),
    ):
        page = learner_client.get(reverse("quizzes:study"), headers=HX)
    assert page.context_data["side"] == "done"
    assert page.context_data["buried"] == 1


def test_with_no_new_cards_a_day_the_panel_never_promises_them_tomorrow(learner_client, user):
    """With "new cards per day" at 0 the panel said new cards "start again tomorrow", which
    they never would (an outside audit): it says the settings ask for none, and where to change
    them."""
    QuestionFactory()
    utc_day_profile(user, new_per_day=0)
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert "new cards start again tomorrow" not in html
    assert "your settings ask for no new cards a day" in html
    assert reverse("quizzes:study_settings") in html
