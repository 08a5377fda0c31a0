"""Bury and suspend, Undo of either, and leeches: from the back of a card, in study and quizzes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import HttpResponseRedirect
from django.urls import reverse

from quizzes.enums import HoldKind, HoldOrigin, LeechAction, MemoryState, Rating
from quizzes.models import CardHold, CardState, QuizAttempt, ReviewLog, StudyProfile
from quizzes.quiz import services as quiz_services
from quizzes.rules.days import DayClock, next_day_start
from quizzes.rules.scheduling import leech_reached
from quizzes.study import services as study_services
from tests.factories import (
    CardHoldFactory,
    CardStateFactory,
    CategoryFactory,
    QuestionFactory,
    QuizAttemptFactory,
)
from tests.helpers import HX, queue_plan_statements, rate, shown_slug, token_of
from tests.support.schedules import DEFAULT_SCHEDULE

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


# --- the rules --------------------------------------------------------------------------------


def test_a_bury_ends_when_the_learners_next_day_starts_in_their_zone():
    berlin = DayClock(zone=ZoneInfo("Europe/Berlin"), starts_at=4)
    late = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert next_day_start(late, berlin) == datetime(2026, 3, 3, 4, tzinfo=ZoneInfo("Europe/Berlin"))
    # 03:30 in Berlin is still the learner's 2nd: the bury ends at 4:00.
    assert next_day_start(late + timedelta(hours=4), berlin) == datetime(
        2026, 3, 3, 4, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )
    # 04:30 is the 3rd: the bury lasts until the 4th begins.
    assert next_day_start(late + timedelta(hours=5), berlin) == datetime(
        2026, 3, 4, 4, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )


@pytest.mark.parametrize(
    ("lapses", "threshold", "leech"),
    [(7, 8, False), (8, 8, True), (9, 8, False), (12, 8, True), (16, 8, True), (1, 1, True)],
)
def test_a_card_is_a_leech_at_the_threshold_and_every_half_threshold_after(
    lapses, threshold, leech
):
    assert leech_reached(lapses=lapses, threshold=threshold) is leech


# --- in the app -------------------------------------------------------------------------------


@pytest.fixture
def bank(db):
    dates = CategoryFactory(slug="dates", name="Dates")
    return [
        QuestionFactory(category=dates, slug=f"q-{i}", prompt=f"Prompt number {i}?")
        for i in range(4)
    ]


def back_of(client) -> str:
    front = client.get(reverse("quizzes:study")).content.decode()
    return client.post(reverse("quizzes:study_answer"), {"token": token_of(front)}).content.decode()


def hold(client, back: str, action: str, htmx=False):
    return client.post(
        reverse("quizzes:study_hold"),
        {"token": token_of(back), "action": action},
        headers=HX if htmx else {},
    )


def undo(client):
    return client.post(reverse("quizzes:study_undo"), headers=HX)


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
class TestBuryAndSuspend:
    def test_the_back_of_a_card_offers_bury_and_suspend_with_their_keys(self, learner_client, bank):
        back = back_of(learner_client)
        assert 'data-shortcut="bury"' in back
        assert 'Bury until tomorrow <kbd aria-hidden="true">-</kbd>' in back
        assert 'data-shortcut="suspend"' in back
        assert 'Suspend <kbd aria-hidden="true">@</kbd>' in back

    def test_a_buried_card_is_hidden_until_the_learners_next_day(
        self, learner_client, user, bank, frozen
    ):
        response = hold(learner_client, back_of(learner_client), "bury")
        assert response.status_code == 302
        held = CardHold.objects.get(user=user)
        assert (held.question, held.kind, held.origin) == (bank[0], HoldKind.BURY, "study")
        assert held.until == datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # the learner's next day
        page = learner_client.get(response.url)
        assert shown_slug(page.content.decode()) == "q-1"
        assert "The card is buried until tomorrow." in page.content.decode()
        frozen.move_to(datetime(2026, 3, 3, 3, 59, tzinfo=UTC))
        assert shown_slug(learner_client.get(reverse("quizzes:study")).content.decode()) == "q-1"
        frozen.move_to(datetime(2026, 3, 3, 4, 0, 1, tzinfo=UTC))
        assert shown_slug(learner_client.get(reverse("quizzes:study")).content.decode()) == "q-0"

    def test_done_for_now_says_buried_cards_come_back_tomorrow(self, learner_client, user, bank):
        for question in bank:
            CardHoldFactory(user=user, question=question, buried=True)
        page = learner_client.get(reverse("quizzes:study"))
        assert page.context["side"] == "done"
        assert page.context["buried"] == len(bank)
        assert f"{len(bank)} cards you buried come back tomorrow." in page.content.decode()

    def test_a_suspended_card_stays_hidden_until_it_is_unsuspended(
        self, learner_client, user, bank, frozen
    ):
        hold(learner_client, back_of(learner_client), "suspend", htmx=True)
        frozen.shift(timedelta(days=3))
        assert shown_slug(learner_client.get(reverse("quizzes:study")).content.decode()) == "q-1"
        learner_client.post(
            reverse("quizzes:cards_bulk"), {"action": "unsuspend", "card": [bank[0].pk]}
        )
        assert shown_slug(learner_client.get(reverse("quizzes:study")).content.decode()) == "q-0"

    def test_held_due_cards_are_neither_offered_nor_counted_as_due(
        self, learner_client, user, bank
    ):
        for question in bank[:3]:
            CardStateFactory(now=NOW, user=user, question=question, overdue=True)
        CardHoldFactory(user=user, question=bank[0])
        CardHoldFactory(user=user, question=bank[1], buried=True)
        response = learner_client.get(reverse("quizzes:study"))
        assert response.context["queue"].due_count == 1
        assert response.context["question"].id == bank[2].pk

    def test_an_expired_bury_no_longer_hides_the_card(self, learner_client, user, bank):
        CardStateFactory(now=NOW, user=user, question=bank[0], overdue=True)
        CardHoldFactory(user=user, question=bank[0], kind="bury", until=NOW - timedelta(minutes=1))
        assert learner_client.get(reverse("quizzes:study")).context["queue"].due_count == 1

    def test_burying_a_suspended_card_leaves_it_suspended(self, learner_client, user, bank):
        back = back_of(learner_client)
        hold(learner_client, back, "suspend")
        hold(learner_client, back, "bury")
        assert CardHold.objects.get(user=user).kind == HoldKind.SUSPEND

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"action": "forget"}, "Choose to bury or to suspend the card."),
            ({}, "Choose to bury or to suspend the card."),
            ({"token": "forged"}, "This card was not shown to you."),
        ],
    )
    def test_a_bad_hold_request_is_400_and_changes_nothing(
        self, learner_client, bank, data, message
    ):
        back = back_of(learner_client)
        response = learner_client.post(
            reverse("quizzes:study_hold"), {"token": token_of(back), **data}
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not CardHold.objects.exists()

    def test_a_quiz_never_draws_a_buried_or_suspended_card(self, learner_client, user, bank):
        CardHoldFactory(user=user, question=bank[0])
        CardHoldFactory(user=user, question=bank[1], buried=True)
        learner_client.post(
            reverse("quizzes:quiz_start"), {"category": "", "length": 5, "seconds_per_question": 30}
        )
        attempt = QuizAttempt.objects.get(user=user)
        drawn = set(attempt.answers.values_list("question_id", flat=True))
        assert drawn == {bank[2].pk, bank[3].pk}

    def test_a_quiz_draws_a_card_whose_bury_has_ended_and_is_not_held_by_other_learners_holds(
        self, learner_client, user, bank
    ):
        # The time is frozen at NOW: a bury until NOW has just ended, as the queue's SQL says.
        CardHoldFactory(user=user, question=bank[0], kind=HoldKind.BURY, until=NOW)
        CardHoldFactory(
            user=user, question=bank[1], kind=HoldKind.BURY, until=NOW - timedelta(minutes=1)
        )
        CardHoldFactory(question=bank[2])  # another learner's suspension
        CardHoldFactory(
            user=user, question=bank[3], kind=HoldKind.BURY, until=NOW + timedelta(seconds=1)
        )
        learner_client.post(
            reverse("quizzes:quiz_start"), {"category": "", "length": 5, "seconds_per_question": 30}
        )
        attempt = QuizAttempt.objects.get(user=user)
        drawn = set(attempt.answers.values_list("question_id", flat=True))
        assert drawn == {bank[0].pk, bank[1].pk, bank[2].pk}

    def test_a_quiz_with_every_card_held_is_refused_with_a_message(
        self, learner_client, user, bank
    ):
        for question in bank:
            CardHoldFactory(user=user, question=question)
        response = learner_client.post(
            reverse("quizzes:quiz_start"),
            {"category": "", "length": 5, "seconds_per_question": 30},
            follow=True,
        )
        assert not QuizAttempt.objects.exists()
        assert "no questions you have not buried or suspended" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
class TestUndo:
    def test_undo_takes_back_a_bury_made_after_a_rating(self, learner_client, user, bank, frozen):
        front = learner_client.get(reverse("quizzes:study")).content.decode()
        rate(learner_client, front, Rating.GOOD, htmx=False)
        frozen.shift(timedelta(seconds=5))
        hold(learner_client, back_of(learner_client), "bury")
        response = undo(learner_client)
        assert "The card you buried is back." in response.content.decode()
        assert not CardHold.objects.exists()
        assert ReviewLog.objects.filter(user=user).count() == 1
        assert shown_slug(response.content.decode()) == "q-1"

    def test_undo_takes_back_a_rating_made_after_a_suspend(
        self, learner_client, user, bank, frozen
    ):
        hold(learner_client, back_of(learner_client), "suspend")
        frozen.shift(timedelta(seconds=5))
        front = learner_client.get(reverse("quizzes:study")).content.decode()
        rate(learner_client, front, Rating.GOOD, htmx=False)
        response = undo(learner_client)
        assert "Your last rating was taken back." in response.content.decode()
        assert not ReviewLog.objects.exists()
        assert CardHold.objects.get(user=user).kind == HoldKind.SUSPEND
        # Undo again: now the suspension is the latest action.
        response = undo(learner_client)
        assert "The card you suspended is back." in response.content.decode()
        assert not CardHold.objects.exists()

    def test_the_undo_button_is_offered_after_a_bury_alone(self, learner_client, bank):
        hold(learner_client, back_of(learner_client), "bury")
        html = learner_client.get(reverse("quizzes:study")).content.decode()
        assert 'data-shortcut="undo"' in html
        assert "Undo last action" in html

    def test_undo_does_not_lift_a_suspension_made_on_the_cards_page(self, learner_client, bank):
        learner_client.post(
            reverse("quizzes:cards_bulk"), {"action": "suspend", "card": [bank[0].pk]}
        )
        assert not learner_client.get(reverse("quizzes:study")).context["queue"].can_undo
        response = undo(learner_client)
        assert "There is nothing to take back." in response.content.decode()
        assert CardHold.objects.count() == 1


# --- leeches ----------------------------------------------------------------------------------


def lapse(client) -> HttpResponseRedirect:
    """Show the card due now and forget it (Again)."""
    front = client.get(reverse("quizzes:study")).content.decode()
    response = rate(client, front, Rating.AGAIN, htmx=False)
    assert isinstance(response, HttpResponseRedirect)  # a plain post's answer is a redirect
    return response


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
class TestLeeches:
    @pytest.fixture
    def nearly_a_leech(self, user, bank):
        return CardStateFactory(now=NOW, user=user, question=bank[0], overdue=True, lapses=7)

    def test_a_quiz_answer_that_makes_a_leech_is_named_on_the_results(
        self, learner_client, user, bank, nearly_a_leech
    ):
        attempt = QuizAttemptFactory.create(user=user, started_at=NOW, with_answers=[bank[0]])
        result = quiz_services.attempt_answer(
            attempt=attempt, question_id=bank[0].pk, response="1 January 1999", now=NOW
        )
        assert result.finished
        assert CardState.objects.get(pk=nearly_a_leech.pk).is_leech
        response = learner_client.get(reverse("quizzes:quiz_results", args=[attempt.pk]))
        assert [q.id for q in response.context["leeches"]] == [bank[0].pk]
        assert "become a leech in this quiz" in response.content.decode()

    def test_results_name_no_leech_when_none_was_made(self, learner_client, user, bank):
        attempt = QuizAttemptFactory.create(user=user, started_at=NOW, with_answers=[bank[0]])
        quiz_services.attempt_answer(
            attempt=attempt, question_id=bank[0].pk, response="1 January 1999", now=NOW
        )
        response = learner_client.get(reverse("quizzes:quiz_results", args=[attempt.pk]))
        assert response.context["leeches"] == []

    def test_undoing_a_leech_rating_never_lifts_the_learners_own_suspension(
        self, user, bank, nearly_a_leech
    ):
        # Suspended on the cards page, then rated Again from a card back left open in a tab.
        CardHoldFactory(user=user, question=bank[0])
        study_services.review_record(
            user=user,
            question_id=bank[0].pk,
            rating=Rating.AGAIN,
            now=NOW,
            schedule=DEFAULT_SCHEDULE,
            shown_reps=None,
        )
        assert CardState.objects.get(pk=nearly_a_leech.pk).is_leech
        undone = study_services.study_undo(user=user, now=NOW)
        assert undone is not None
        assert undone.hold is None  # the rating was taken back
        held = CardHold.objects.get(user=user, question=bank[0])
        assert (held.kind, held.origin) == (HoldKind.SUSPEND, HoldOrigin.CARDS)

    def test_the_eighth_lapse_tags_and_suspends_the_card_and_says_so_with_its_passage(
        self, learner_client, user, bank, nearly_a_leech
    ):
        response = lapse(learner_client)
        card = CardState.objects.get(pk=nearly_a_leech.pk)
        assert (card.lapses, card.is_leech) == (8, True)
        held = CardHold.objects.get(user=user, question=bank[0])
        assert (held.kind, held.origin) == (HoldKind.SUSPEND, HoldOrigin.LEECH)
        assert held.review_log == ReviewLog.objects.get(user=user)
        assert response.url.startswith(reverse("quizzes:card_detail", args=[bank[0].pk]))
        page = learner_client.get(response.url)
        assert page.context["just_became_leech"] is True
        html = page.content.decode()
        assert "This card has become a leech" in html
        assert "It is suspended" in html
        assert f"“{bank[0].source_passage}”" in html
        assert f"{reverse('quizzes:article')}#s-" in html
        assert "read it in place in the article" in html
        assert 'href="/study/"' in html  # Continue studying

    def test_a_leech_is_only_tagged_when_the_setting_says_so_and_its_back_tells_the_learner(
        self, learner_client, user, bank, nearly_a_leech, frozen
    ):
        StudyProfile.objects.create(user=user, leech_action=LeechAction.TAG)
        lapse(learner_client)
        assert CardState.objects.get(pk=nearly_a_leech.pk).is_leech
        assert not CardHold.objects.exists()
        frozen.shift(timedelta(days=2))
        back = back_of(learner_client)
        assert shown_slug(back) == "q-0"
        assert "This card has become a leech" in back
        assert "It is tagged as a leech and stays in your studies." in back

    def test_undo_of_the_rating_that_made_a_leech_lifts_the_tag_and_the_suspension(
        self, learner_client, user, bank, nearly_a_leech
    ):
        lapse(learner_client)
        response = undo(learner_client)
        assert "Your last rating was taken back." in response.content.decode()
        card = CardState.objects.get(pk=nearly_a_leech.pk)
        assert (card.lapses, card.is_leech) == (7, False)
        assert not CardHold.objects.exists()
        assert not ReviewLog.objects.exists()

    def test_the_threshold_is_the_learners_setting(self, learner_client, user, bank):
        StudyProfile.objects.create(user=user, leech_threshold=2)
        CardStateFactory(now=NOW, user=user, question=bank[0], overdue=True, lapses=1)
        lapse(learner_client)
        assert CardState.objects.get(user=user).is_leech

    def test_a_lapse_below_the_threshold_is_no_leech(self, learner_client, user, bank):
        CardStateFactory(now=NOW, user=user, question=bank[0], overdue=True, lapses=3)
        response = lapse(learner_client)
        assert response.url == reverse("quizzes:study")
        assert not CardState.objects.get(user=user).is_leech
        assert not CardHold.objects.exists()

    def test_leech_settings_are_saved_in_their_own_fieldset(self, learner_client, user):
        page = learner_client.get(reverse("quizzes:study_settings"))
        assert "<legend>Leeches</legend>" in page.content.decode()
        assert page.context["leech_form"]["leech_threshold"].value() == 8
        response = learner_client.post(
            reverse("quizzes:study_settings"),
            {
                "desired_retention": "0.9",
                "new_per_day": "20",
                "max_reviews_per_day": "200",
                "leech_threshold": "5",
                "leech_action": "tag",
            },
        )
        assert response.status_code == 302
        profile = StudyProfile.objects.get(user=user)
        assert (profile.leech_threshold, profile.leech_action) == (5, LeechAction.TAG)

    def test_a_leech_threshold_out_of_range_is_refused_with_its_reason(self, learner_client, user):
        response = learner_client.post(
            reverse("quizzes:study_settings"),
            {
                "desired_retention": "0.9",
                "new_per_day": "20",
                "max_reviews_per_day": "200",
                "leech_threshold": "0",
            },
        )
        assert response.status_code == 200
        assert response.context["leech_form"].errors["leech_threshold"]
        assert not StudyProfile.objects.exists()


# --- progress and the article map ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_progress_shows_held_cards_as_such_not_as_due_and_lists_leeches(learner_client, user, bank):
    CardStateFactory(now=NOW, user=user, question=bank[0], overdue=True)
    CardStateFactory(now=NOW, user=user, question=bank[1], overdue=True, leech=True)
    CardHoldFactory(user=user, question=bank[0], buried=True)
    CardHoldFactory(user=user, question=bank[1])
    summary = learner_client.get(reverse("quizzes:progress")).context["s"]
    assert summary.by_state == {
        "new": 2,
        "learning": 0,
        "review": 0,
        "relearning": 0,
        "suspended": 1,
        "buried": 1,
    }
    assert summary.due_today == 0
    assert summary.due_tomorrow == 1  # the buried card, when its bury ends
    assert [q.id for q in summary.leeches] == [bank[1].pk]


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_the_article_map_says_which_passages_have_held_cards(learner_client, user):
    from quizzes.rules.article import article_body, sentences

    passage = "It was formed in March 2022"
    question = QuestionFactory(source_passage=passage, passage_offset=article_body().index(passage))
    CardStateFactory(now=NOW, user=user, question=question)
    CardHoldFactory(user=user, question=question)
    response = learner_client.get(reverse("quizzes:article"))
    index = next(s.index for s in sentences() if passage in s.text)
    mark = next(m for m in response.context["marks"] if m.index == index)
    assert (mark.suspended, mark.buried) == (1, 0)
    assert "1 suspended" in response.content.decode()
    assert MemoryState.REVIEW  # the card keeps its memory state under the hold


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_study_bury_and_undo_stay_within_the_study_pages_nine_queries(
    learner_client, user, bank, django_assert_max_num_queries
):
    for question in bank[:3]:
        CardStateFactory(now=NOW, user=user, question=question, overdue=True)
    CardHoldFactory(user=user, question=bank[0])
    back = back_of(learner_client)
    # One more than before the learner had a day of their own: their profile (zone, hour) is
    # read before the queue, whose counts start at their day's start.
    with django_assert_max_num_queries(9 + queue_plan_statements()):
        response = hold(learner_client, back, "bury", htmx=True)
    assert response.status_code == 200
    with django_assert_max_num_queries(9 + queue_plan_statements()):
        assert undo(learner_client).status_code == 200
    assert CardHold.objects.count() == 1
