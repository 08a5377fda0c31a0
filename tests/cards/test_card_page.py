"""A card's page: its whole review history, Forget, Set due date, and undoing either."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.enums import CardEditKind, MemoryState, Rating, ReviewOrigin
from quizzes.limits import CARDS_PER_PAGE
from quizzes.models import CardEdit, CardState, ReviewLog
from quizzes.rules import scheduling
from quizzes.rules.days import day_start, next_day_start
from quizzes.study.services import review_record
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import rating_recorded
from tests.html import elements, find, form_data, input_value
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def question(db):
    return QuestionFactory(category=CategoryFactory(slug="dates", name="Dates"))


@pytest.fixture
def rated(user, question, frozen):
    """Four ratings over three weeks, the third from a quiz; returns their times."""
    times = [NOW - timedelta(days=20), NOW - timedelta(days=19), NOW - timedelta(days=10), NOW]
    ratings = [Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.HARD]
    for when, rating, origin in zip(
        times, ratings, ["study", "study", "quiz", "study"], strict=True
    ):
        frozen.move_to(when)
        rating_recorded(user, question.pk, shown_reps=None, now=when, rating=rating, origin=origin)
    frozen.move_to(NOW + timedelta(hours=1))
    return times


def card_page(client, question):
    response = client.get(reverse("quizzes:card_detail", args=[question.pk]))
    assert response.status_code == 200
    return response


def test_the_history_shows_every_rating_with_what_it_made_of_the_card(
    learner_client, user, question, rated
):
    entries = card_page(learner_client, question).context["history"].entries
    assert [e.at for e in entries] == sorted(rated, reverse=True)
    assert [e.rating for e in entries] == [Rating.HARD, Rating.GOOD, Rating.AGAIN, Rating.GOOD]
    assert [e.origin for e in entries] == ["Study", "Quiz", "Study", "Study"]
    card = CardState.objects.get(user=user, question=question)
    latest = entries[0]
    # Replaying the last rating gives exactly the card as stored.
    assert (latest.stability, latest.difficulty) == (card.stability, card.difficulty)
    assert latest.interval == card.due - rated[-1]
    # Recall at the time: of the card before each rating; none for the first, a new card.
    assert entries[-1].recall is None
    before = ReviewLog.objects.get(user=user, reviewed_at=rated[-1]).previous_card
    assert before is not None
    expected = scheduling.retrievability(
        scheduling.CardValues.from_dict(before), now=rated[-1], schedule=DEFAULT_SCHEDULE
    )
    assert latest.recall == pytest.approx(expected)
    html = card_page(learner_client, question).content.decode()
    assert "Its history" in html
    assert html.count('<th scope="row">Good</th>') == 2


def test_forget_makes_the_card_new_keeps_its_history_and_undo_puts_it_back(
    learner_client, user, question, rated
):
    card = CardState.objects.get(user=user, question=question)
    CardState.objects.filter(pk=card.pk).update(is_leech=True)
    before = CardState.objects.get(pk=card.pk)
    response = learner_client.post(reverse("quizzes:card_forget", args=[question.pk]), follow=True)
    assert "The card is new again." in response.content.decode()
    assert not CardState.objects.filter(user=user, question=question).exists()
    assert ReviewLog.objects.filter(user=user, question=question).count() == 4
    page = card_page(learner_client, question)
    history = page.context["history"]
    assert history.entries[0].edit == CardEditKind.FORGET
    assert history.undoable == CardEditKind.FORGET
    assert page.context["row"].memory == "new"
    learner_client.post(reverse("quizzes:card_undo", args=[question.pk]))
    after = CardState.objects.get(user=user, question=question)
    assert after.values() == before.values()
    assert (after.is_leech, after.created_at) == (True, before.created_at)
    assert not CardEdit.objects.exists()
    assert card_page(learner_client, question).context["history"].undoable is None


def test_set_due_date_moves_the_card_to_the_start_of_that_day_and_undo_moves_it_back(
    learner_client, user, question, rated
):
    before = CardState.objects.get(user=user, question=question)
    response = learner_client.post(
        reverse("quizzes:card_due_set", args=[question.pk]), {"days": "3"}, follow=True
    )
    three_days = day_start(NOW, UTC_DAY)
    for _day in range(3):
        three_days = next_day_start(three_days, UTC_DAY)
    card = CardState.objects.get(pk=before.pk)
    assert card.due == three_days
    assert (card.state, card.stability, card.reps) == (
        MemoryState.REVIEW,
        before.stability,
        before.reps,
    )
    assert "The card is due on 5 March 2026." in response.content.decode()
    history = response.context["history"]
    assert (history.entries[0].edit, history.entries[0].due_set) == (
        CardEditKind.SET_DUE,
        three_days,
    )
    learner_client.post(reverse("quizzes:card_undo", args=[question.pk]))
    assert CardState.objects.get(pk=before.pk).values() == before.values()


def test_a_range_of_days_picks_a_day_within_it_and_zero_is_today(
    learner_client, user, question, rated
):
    url = reverse("quizzes:card_due_set", args=[question.pk])
    starts = {day_start(NOW, UTC_DAY)}
    for _ in range(4):
        starts.add(next_day_start(max(starts), UTC_DAY))
    for _ in range(10):
        learner_client.post(url, {"days": "1-4"})
        assert CardState.objects.get(user=user, question=question).due in (
            starts - {day_start(NOW, UTC_DAY)}
        )
    response = learner_client.post(url, {"days": "0"}, follow=True)
    assert CardState.objects.get(user=user, question=question).due == day_start(NOW, UTC_DAY)
    # Due already: "now", not a date that before the day's start hour reads as yesterday.
    assert "The card is due now." in response.content.decode()


@pytest.mark.parametrize(
    ("days", "says"),
    [
        ("soon", "Write a number of days"),
        ("7-3", "from the smaller number"),
        ("3!", "is not offered"),
        ("99999", "at most 3650 days"),
        ("100000", "at most 3650 days"),
        ("3-000000000009999", "at most 3650 days"),
        ("", "Say in how many days"),
        ("-2", "Write a number of days"),
    ],
)
def test_a_bad_due_date_is_a_message_beside_the_field_and_changes_nothing(
    learner_client, user, question, rated, days, says
):
    before = CardState.objects.get(user=user, question=question).values()
    response = learner_client.post(
        reverse("quizzes:card_due_set", args=[question.pk]), {"days": days}
    )
    assert response.status_code == 400
    assert says in response.context["due_form"].errors["days"][0]
    assert response.context["due_form"]["days"].field.widget.attrs.get("autofocus")
    assert CardState.objects.get(user=user, question=question).values() == before
    assert not CardEdit.objects.exists()


def test_a_refused_due_date_is_shown_at_the_cards_address_with_the_cursor_on_its_field(
    learner_client, user, question, rated
):
    """The form is far below the fold: refused, the page came back at its top, the error out of
    view and focus nowhere, and at the address of the post, which a reload posted again (an
    outside test). The form now posts to the card's own page, and its field has the cursor."""
    url = reverse("quizzes:card_detail", args=[question.pk])
    data = form_data(card_page(learner_client, question).content.decode(), action=url)
    assert "days" in data
    before = CardState.objects.get(user=user, question=question).values()
    response = learner_client.post(url, {**data, "days": "7-3"})
    assert response.status_code == 400
    html = response.content.decode()
    assert [e.attrs.get("id") for e in elements(html) if "autofocus" in e.attrs] == ["id_days"]
    assert "from the smaller number" in find(html, "ul", id="id_days_error").text
    assert CardState.objects.get(user=user, question=question).values() == before
    moved = learner_client.post(url, {**data, "days": "3"})
    assert (moved.status_code, moved.url) == (302, url)
    assert CardState.objects.get(user=user, question=question).values() != before


def test_undo_takes_back_nothing_once_the_card_was_rated_again(
    learner_client, user, question, rated, frozen
):
    learner_client.post(reverse("quizzes:card_due_set", args=[question.pk]), {"days": "0"})
    review_record(
        user=user,
        question_id=question.pk,
        rating=Rating.GOOD,
        now=NOW + timedelta(hours=2),
        schedule=DEFAULT_SCHEDULE,
        shown_reps=None,
        origin=ReviewOrigin.STUDY,
    )
    rated_again = CardState.objects.get(user=user, question=question).values()
    assert card_page(learner_client, question).context["history"].undoable is None
    response = learner_client.post(reverse("quizzes:card_undo", args=[question.pk]), follow=True)
    assert "There is nothing to undo on this card." in response.content.decode()
    assert CardState.objects.get(user=user, question=question).values() == rated_again


def test_a_new_card_cannot_be_forgotten_or_moved_and_says_why(learner_client, user, question):
    for name, data in [("quizzes:card_forget", {}), ("quizzes:card_due_set", {"days": "2"})]:
        response = learner_client.post(reverse(name, args=[question.pk]), data, follow=True)
        assert "This card is new" in response.content.decode()
    assert not CardState.objects.exists()
    assert not CardEdit.objects.exists()


def test_another_learners_card_is_untouched_and_an_unknown_card_is_404(
    learner_client, other_user, question, frozen
):
    review_record(
        user=other_user,
        question_id=question.pk,
        rating=Rating.GOOD,
        now=NOW,
        schedule=DEFAULT_SCHEDULE,
        shown_reps=None,
    )
    learner_client.post(reverse("quizzes:card_forget", args=[question.pk]))
    assert CardState.objects.filter(user=other_user).exists()
    for name in ("quizzes:card_forget", "quizzes:card_due_set", "quizzes:card_undo"):
        assert learner_client.post(reverse(name, args=[999999])).status_code == 404
        assert learner_client.get(reverse(name, args=[question.pk])).status_code == 405


def test_a_cards_page_leads_back_to_the_filters_sort_and_page_it_was_opened_from(
    learner_client, question
):
    QuestionFactory.create_batch(CARDS_PER_PAGE, category=question.category)
    chosen = {"state": "new", "sort": "-prompt", "q": "cat:dates", "page": "2"}
    listing = learner_client.get(reverse("quizzes:cards"), chosen)
    on_page_two = listing.context["cards_page"][0].question.id
    query = "state=new&q=cat%3Adates&sort=-prompt&page=2"
    card_url = reverse("quizzes:card_detail", args=[on_page_two]) + "?" + query
    find(listing.content.decode(), "a", href=card_url)

    card = learner_client.get(card_url)
    html = card.content.decode()
    assert find(html, "a", href=reverse("quizzes:cards") + "?" + query).text == "All your cards"
    # Suspending it, forgetting it or moving it comes back to this same page, still leading back.
    assert input_value(html, "back") == card_url
    forget = reverse("quizzes:card_forget", args=[on_page_two]) + "?" + query
    assert learner_client.post(forget).url == card_url


@pytest.mark.parametrize(
    ("asked", "back"),
    [
        ("", ""),
        ("?study=everything", ""),
        ("?state=held", ""),
        ("?sort=-password", ""),
        ("?page=0", ""),
        ("?q=is:fresh", ""),
        ("?q=" + "x" * 1000, ""),
        # Parameters the card browser does not know are never carried, whatever they hold.
        ("?state=new&next=https://evil.example/&back=//evil.example", "?state=new"),
    ],
)
def test_a_bad_or_unknown_browser_parameter_leads_back_to_the_plain_list(
    learner_client, question, asked, back
):
    card = card_page_at(learner_client, question, asked)
    assert card.context["cards_url"] == reverse("quizzes:cards") + back


def card_page_at(client, question, query):
    response = client.get(reverse("quizzes:card_detail", args=[question.pk]) + query)
    assert response.status_code == 200
    return response


def test_difficulty_reads_as_the_statistics_show_it(learner_client, user, question, rated):
    """(D - 1) / 9 in percent, as Anki shows it and the statistics bin it: the page said
    "1.0 of 10" and the list "1.0" for a card the statistics put in their 0–10% bin (an
    outside tester)."""
    CardState.objects.filter(user=user, question=question).update(difficulty=5.5)
    page = card_page(learner_client, question).content.decode()
    assert "<dt>Difficulty</dt><dd>50%</dd>" in page
    listed = learner_client.get(reverse("quizzes:cards")).content.decode()
    assert "<td>50%</td>" in listed
