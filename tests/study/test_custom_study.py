"""Custom study (Anki's): more new cards today, for every category or one, and review ahead
(logged as such), each ending with "That was all of them"."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from quizzes.enums import MemoryState, Rating, ReviewOrigin
from quizzes.limits import EXTRA_NEW_MAX
from quizzes.models import CardState, NewCardsExtra, ReviewLog
from quizzes.study.queue import study_queue
from quizzes.study.services import new_cards_extra_add
from tests.factories import CardHoldFactory, CardStateFactory, CategoryFactory, QuestionFactory
from tests.helpers import rate, shown_slug, utc_day_profile
from tests.html import elements, find

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)


@pytest.fixture
def bank(db):
    dates = CategoryFactory.create(slug="dates", name="Dates")
    people = CategoryFactory.create(slug="people", name="People")
    return {
        **{f"d{n}": QuestionFactory.create(slug=f"d{n}", category=dates) for n in range(3)},
        **{f"p{n}": QuestionFactory.create(slug=f"p{n}", category=people) for n in range(2)},
    }


def study_all(client, url):
    """Study every card `url` offers now, rating each Easy; the slugs shown and the last page."""
    shown = []
    page = client.get(url)
    while page.context["side"] == "front":
        shown.append(shown_slug(page.content.decode()))
        rate(client, page.content.decode(), Rating.EASY, htmx=False)
        page = client.get(url)
    return shown, page


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- more new cards today ---------------------------------------------------------------------


def test_more_new_cards_for_all_categories_today(learner_client, user, bank, frozen):
    utc_day_profile(user, new_per_day=1)
    shown, page = study_all(learner_client, reverse("quizzes:study"))
    assert len(shown) == 1
    assert not page.context["queue"].extra_done
    response = learner_client.post(reverse("quizzes:study_custom"), {"count": "2", "scope": ""})
    assert response.status_code == 302
    assert response.url == reverse("quizzes:study")
    assert "You can study 2 more new cards today, from all categories." in messages_of(response)
    shown, page = study_all(learner_client, reverse("quizzes:study"))
    assert len(shown) == 2
    assert page.context["queue"].extra_done
    assert "That was all of them" in page.content.decode()
    # The extra is for today only: tomorrow the limit is the setting's again.
    frozen.move_to(NEXT_DAY)
    assert study_queue(user=user, now=NEXT_DAY).day.new_limit == 1


def test_more_new_cards_for_one_category_come_in_that_category_only(learner_client, user, bank):
    utc_day_profile(user, new_per_day=0)
    response = learner_client.post(
        reverse("quizzes:study_custom"), {"count": "5", "scope": "people"}
    )
    assert response.url == reverse("quizzes:study_category", args=["people"])
    assert study_queue(user=user, now=NOW).next_question is None  # not in every category
    shown, page = study_all(learner_client, response.url)
    assert sorted(shown) == ["p0", "p1"]
    assert page.context["queue"].extra_done


def test_asking_again_adds_to_the_days_extra_up_to_the_maximum(user):
    utc_day_profile(user)
    assert new_cards_extra_add(user=user, now=NOW, scope="", count=3) == 3
    assert new_cards_extra_add(user=user, now=NOW, scope="", count=4) == 7
    assert new_cards_extra_add(user=user, now=NOW, scope="", count=EXTRA_NEW_MAX) == EXTRA_NEW_MAX
    assert NewCardsExtra.objects.get(user=user).day == NOW.date()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            {"count": "0", "scope": ""},
            "count",
            "The number of new cards to add must be a whole number from 1 to 999.",
        ),
        ({"count": "", "scope": ""}, "count", "Say how many more new cards you want today."),
        (
            {"count": "abc", "scope": ""},
            "count",
            "The number of new cards to add must be a whole number from 1 to 999.",
        ),
        (
            {"count": "2", "scope": "no-such-category"},
            "scope",
            "Choose a category from the list, or all of them.",
        ),
    ],
)
def test_a_bad_more_new_cards_request_is_said_once_beside_its_field(
    learner_client, user, bank, data, name, message
):
    """Not again as a message at the page's top: it was said twice (an outside tester)."""
    utc_day_profile(user)
    response = learner_client.post(reverse("quizzes:study_custom"), data)
    assert response.status_code == 400
    assert_said_once_beside(response, name, message)
    assert not NewCardsExtra.objects.exists()


@pytest.mark.parametrize("days", ["0", "", "-1", "366", "x"])
def test_a_bad_review_ahead_request_is_said_once_beside_its_field(learner_client, user, bank, days):
    utc_day_profile(user)
    response = learner_client.post(reverse("quizzes:study_custom_ahead"), {"days": days})
    assert response.status_code == 400
    message = (
        "Say how many days ahead to review."
        if days == ""
        else "The number of days to review ahead must be a whole number from 1 to 365."
    )
    assert_said_once_beside(response, "days", message)


def assert_said_once_beside(response, name, message):
    """`message` is on the page once, as the error of field `name`, which points at it."""
    assert messages_of(response) == []
    html = response.content.decode()
    assert html.count(message) == 1
    assert find(html, "ul", id=f"id_{name}_error").text == message
    field = find(html, name=name)
    assert field.attrs["aria-invalid"] == "true"
    assert f"id_{name}_error" in field.attrs["aria-describedby"].split()
    assert not [e for e in elements(html) if e.has_class("nonfield")]


def test_the_custom_study_page_has_labelled_forms(learner_client, user, bank):
    utc_day_profile(user)
    page = learner_client.get(reverse("quizzes:study_custom"))
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("How many more new cards", "From", "Cards due in the next (days)"):
        assert label in html
    assert (
        reverse("quizzes:study_custom")
        in learner_client.get(reverse("quizzes:study")).content.decode()
    )


# --- review ahead -----------------------------------------------------------------------------


def in_review(user, question, *, due):
    return CardStateFactory.create(
        user=user, question=question, in_review=True, due=due, reps=3, now=NOW
    )


def test_review_ahead_shows_the_cards_due_in_the_next_days_and_logs_them_as_ahead(
    learner_client, user, bank
):
    utc_day_profile(user, new_per_day=0)
    soon = in_review(user, bank["d0"], due=NEXT_DAY + timedelta(days=1))  # in 2 of their days
    in_review(user, bank["d1"], due=NEXT_DAY + timedelta(days=9))
    response = learner_client.post(reverse("quizzes:study_custom_ahead"), {"days": "3"})
    assert response.url == reverse("quizzes:study_ahead", args=[3])
    shown, page = study_all(learner_client, response.url)
    assert shown == ["d0"]
    assert page.context["queue"].all_done
    assert "That was all of them" in page.content.decode()
    log = ReviewLog.objects.get(user=user)
    assert log.origin == ReviewOrigin.AHEAD
    soon.refresh_from_db()
    assert soon.last_review == NOW
    # Undo takes a review ahead back like any study rating.
    learner_client.post(reverse("quizzes:study_undo"), {"scope": "ahead:3"})
    assert not ReviewLog.objects.exists()
    assert CardState.objects.get(pk=soon.pk).due == NEXT_DAY + timedelta(days=1)


def test_a_card_forgotten_ahead_comes_back_in_the_same_session(learner_client, user, bank, frozen):
    utc_day_profile(user, new_per_day=0)
    in_review(user, bank["d0"], due=NEXT_DAY + timedelta(days=1))
    url = reverse("quizzes:study_ahead", args=[2])
    page = learner_client.get(url)
    rate(learner_client, page.content.decode(), Rating.AGAIN, htmx=False)
    assert CardState.objects.get(question=bank["d0"]).state == MemoryState.RELEARNING
    frozen.move_to(NOW + timedelta(minutes=30))
    page = learner_client.get(url)
    assert page.context["side"] == "front"
    assert page.context["question"].id == bank["d0"].pk
    # Asked for again from custom study, the session goes on with it: it said none was due (a
    # review of this pass's change).
    response = learner_client.post(reverse("quizzes:study_custom_ahead"), {"days": "2"})
    assert response.url == url
    assert not messages_of(response)


def test_review_ahead_with_nothing_due_says_so(learner_client, user, bank):
    utc_day_profile(user)
    response = learner_client.post(reverse("quizzes:study_custom_ahead"), {"days": "7"})
    assert "None of your cards is due in the next 7 days." in messages_of(response)
    # Back on custom study, which says so, not in an empty session saying "That was all of
    # them" of cards there never were (an outside test).
    assert response.url == reverse("quizzes:study_custom")
    page = learner_client.get(response.url).content.decode()
    assert "None of your cards is due in the next 7 days." in page
    assert "That was all of them" not in page


def test_review_ahead_of_cards_all_reviewed_today_says_why_and_offers_none(
    learner_client, user, bank
):
    """The cards due in those days were reviewed today, and a session offers each once a day:
    it went to an empty session saying "That was all of them. You have been through every
    card" of cards it never showed (an outside test)."""
    utc_day_profile(user, new_per_day=0)
    for slug in ("d0", "d1"):
        card = in_review(user, bank[slug], due=NEXT_DAY + timedelta(days=1))
        CardState.objects.filter(pk=card.pk).update(last_review=NOW - timedelta(hours=2))
    response = learner_client.post(reverse("quizzes:study_custom_ahead"), {"days": "3"})
    said = (
        "Your 2 cards due in the next 3 days were all reviewed today, and review ahead shows a "
        "card once a day, so come back tomorrow."
    )
    assert response.url == reverse("quizzes:study_custom")
    assert said in messages_of(response)
    # Reached by its address, the session says the same, not that they went through any.
    page = learner_client.get(reverse("quizzes:study_ahead", args=[3]))
    assert page.context["side"] == "done"
    assert page.context["none_offered"] == said
    html = page.content.decode()
    assert "That was all of them" not in html
    assert "You have been through every card" not in html


def test_review_ahead_of_held_cards_says_so(learner_client, user, bank):
    utc_day_profile(user, new_per_day=0)
    in_review(user, bank["d0"], due=NEXT_DAY)
    reviewed = in_review(user, bank["d1"], due=NEXT_DAY)
    CardState.objects.filter(pk=reviewed.pk).update(last_review=NOW - timedelta(hours=2))
    CardHoldFactory(user=user, question=bank["d0"])
    response = learner_client.post(reverse("quizzes:study_custom_ahead"), {"days": "1"})
    assert response.url == reverse("quizzes:study_custom")
    assert messages_of(response) == [
        "Of your 2 cards due in the next day, 1 was reviewed today (review ahead shows a card "
        "once a day, so come back tomorrow) and 1 is suspended or buried."
    ]


def test_review_ahead_after_reviewing_ahead_today_still_says_that_was_all(
    learner_client, user, bank
):
    utc_day_profile(user, new_per_day=0)
    in_review(user, bank["d0"], due=NEXT_DAY + timedelta(days=1))
    shown, page = study_all(learner_client, reverse("quizzes:study_ahead", args=[3]))
    assert shown == ["d0"]
    assert page.context["none_offered"] == ""
    assert "That was all of them" in page.content.decode()


def test_a_review_ahead_session_of_no_days_is_not_found(learner_client, user, bank):
    utc_day_profile(user)
    assert learner_client.get(reverse("quizzes:study_ahead", args=[0])).status_code == 404
    assert learner_client.get(reverse("quizzes:study_ahead", args=[400])).status_code == 404


def test_with_no_new_cards_a_day_extra_ones_studied_promise_none_tomorrow(
    learner_client, user, bank
):
    """With the setting at 0, new cards added for today and studied, and the card suspended: the
    panel said new cards "start again tomorrow" (an outside review), which they never would."""
    utc_day_profile(user, new_per_day=0)
    learner_client.post(reverse("quizzes:study_custom"), {"count": "1", "scope": ""})
    shown, _page = study_all(learner_client, reverse("quizzes:study"))
    assert len(shown) == 1
    CardHoldFactory(user=user, question=bank[shown[0]])
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert "new cards start again tomorrow" not in html
    assert "your settings ask for no new cards a day" in html
    assert reverse("quizzes:study_custom") in html
