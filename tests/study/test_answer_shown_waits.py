"""A new card waits for the learner's next day when a card they saw for the first time today
showed its answer (rules.giveaways): its first rating, which sets its first interval, would be
read off the other card's front. Only a card new today holds one back (a card reviewed today was
seen before), and only new cards wait for the next day. Where the card due next is a review whose
front shows the answer of a new card still to come today, that new card comes first, the same
day; and a card due now whose answer the card due next shows comes before it. A quiz leaves the
same questions out."""

import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import cast

import pytest
from django.core.management import call_command
from django.urls import reverse

from quizzes.bank.cache import Bank, bank_current
from quizzes.cards.edits import card_forget
from quizzes.enums import Rating
from quizzes.models import CardState, NewCardsExtra
from quizzes.quiz.services import attempt_answer, attempt_start
from quizzes.study.queue import study_queue
from quizzes.study.siblings import answer_shown_first, answers_shown_waiting
from tests.factories import (
    CardStateFactory,
    CategoryFactory,
    QuestionFactory,
)
from tests.helpers import (
    BUNDLED,
    offered_alone,
    queue_plan_statements,
    rate,
    rating_recorded,
    shown_slug,
    studied_in_order,
    token_of,
    utc_day_profile,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# 3 p.m. UTC: the learner's day (UTC, from 4 a.m.) started at 4 a.m.; the next starts tomorrow.
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)


LEADERS = "The Legion has not publicly identified its leaders"


def showing_nothing():
    """The third card of the fixtures here, "other", whose front and back show neither of the
    others' answers: a passage of its own (the factory's, "on 27 February 2022", gives the
    asked one's answer on its back, which a quiz's results show)."""
    return QuestionFactory.create(
        slug="other", answer="1 May 2023", position=2, source_passage=LEADERS
    )


@pytest.fixture
def telling(db):
    """In the bank's order: a question whose prompt says the next one's answer, that question,
    and one that shows nothing of either. Three facts."""
    return {
        "telling": QuestionFactory.create(
            slug="telling",
            prompt="Which unit crossed to Ukraine on 27 February 2022?",
            answer="a company",
            position=0,
        ),
        "asked": QuestionFactory.create(slug="asked", answer="27 February 2022", position=1),
        "other": showing_nothing(),
    }


def quiz_started(user, category=""):
    """A quiz of ten started now, of every category or of `category`."""
    return attempt_start(
        user=user,
        category_slug=category,
        length=10,
        seconds_per_question=30,
        now=NOW,
        rng=random.Random(1),
    )


def quiz_asks(user):
    """The questions a quiz of every category started now asks."""
    return set(quiz_started(user).answers.values_list("question_id", flat=True))


def quizzed_alone(question):
    """`question` moved to a category of its own, "quizzed", for a quiz of it alone."""
    question.category = CategoryFactory.create(slug="quizzed")
    question.save()


def test_the_rule_finds_the_telling_cards_answers_among_those_never_studied(telling):
    bank = bank_current()
    ids = {slug: q.pk for slug, q in telling.items()}
    told = frozenset({ids["telling"]})
    assert answers_shown_waiting(told, told, bank, seen=told) == {ids["asked"]}
    # Nothing studied today, or the card told of studied already: nothing waits.
    assert answers_shown_waiting(frozenset(), told, bank, seen=()) == set()
    assert answers_shown_waiting(told, told | {ids["asked"]}, bank, seen=told) == set()
    # The other card's front says nothing of the telling card's answer.
    asked = frozenset({ids["asked"]})
    assert answers_shown_waiting(asked, asked, bank, seen=asked) == set()
    # Seen today without a card (held from its back, in a quiz): its front was read first today.
    assert answers_shown_waiting(frozenset(), frozenset(), bank, seen=told) == {ids["asked"]}


def test_a_new_card_whose_answer_a_card_studied_today_showed_waits(learner_client, user, telling):
    """Before, the card came right after the one that had just shown its answer."""
    utc_day_profile(user)
    shown, _ = studied_in_order(learner_client, 2)
    assert shown == ["telling", "other"]
    assert not offered_alone(user, telling["asked"], NOW)
    queue = study_queue(user=user, now=NOW)
    assert queue.unseen == 0  # not counted among today's new cards
    assert queue.waiting_new == 1
    assert queue.new_today == 2


def test_it_comes_at_the_start_of_the_learners_next_day(learner_client, user, telling, frozen):
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    later = NEXT_DAY - timedelta(minutes=1)
    frozen.move_to(later)
    assert not offered_alone(user, telling["asked"], later)
    frozen.move_to(NEXT_DAY)
    assert offered_alone(user, telling["asked"], NEXT_DAY)


def test_the_done_panel_says_the_card_waits_and_when_it_comes(learner_client, user, telling):
    utc_day_profile(user, new_per_day=10)
    studied_in_order(learner_client, 2)
    # The two cards studied are in their learning steps, due within minutes: past them, the
    # panel shows (learn-ahead is 20 minutes by default, so rate them through).
    for card in CardState.objects.filter(user=user):
        card.due = NOW + timedelta(days=3)
        card.save()
    page = learner_client.get(reverse("quizzes:study"))
    assert page.context["side"] == "done"
    assert page.context["queue"].waiting_shown_today == 1
    assert page.context["next_at"] == NEXT_DAY
    assert (
        "1 new card here waits for your next day: a card you saw for the first time today"
        " showed its answer." in page.content.decode()
    )


def test_the_panel_does_not_say_so_once_the_days_new_cards_are_met(learner_client, user, telling):
    utc_day_profile(user, new_per_day=2)
    studied_in_order(learner_client, 2)
    queue = study_queue(user=user, now=NOW)
    assert (queue.waiting_shown, queue.new_left) == (1, 0)
    # The day's limit, not the other card, keeps it till tomorrow.
    assert queue.waiting_shown_today == 0


def test_a_card_reviewed_today_but_first_studied_before_holds_nothing_back(
    learner_client, user, telling
):
    utc_day_profile(user)
    CardStateFactory.create(
        user=user, question=telling["telling"], in_review=True, due_now=True, now=NOW
    )
    shown, _ = studied_in_order(learner_client, 2)
    # Both come today; the new card first, so that the review's front does not show its answer
    # before its first rating (the next tests).
    assert shown == ["asked", "telling"]


def test_a_review_that_shows_a_new_cards_answer_comes_after_that_new_card(
    learner_client, user, telling
):
    """Before, the review came first (due cards before new ones) and the new card's first
    rating was read off its front: 50 new cards of the bundled bank came so (bench.new_cards)."""
    utc_day_profile(user)
    CardStateFactory.create(
        user=user, question=telling["telling"], in_review=True, due_now=True, now=NOW
    )
    queue = study_queue(user=user, now=NOW)
    assert queue.next_question is not None
    assert queue.next_question.id == telling["asked"].pk
    # Still counted among today's reviews: it comes once the new card is studied.
    assert queue.review_count == 1
    shown, _ = studied_in_order(learner_client, 3)
    assert shown == ["asked", "telling", "other"]


def test_the_review_comes_first_when_the_new_card_is_not_to_come_today(user, telling):
    """Past today's new cards (the limit met, or none a day) the review does not wait."""
    utc_day_profile(user, new_per_day=0)
    CardStateFactory.create(
        user=user, question=telling["telling"], in_review=True, due_now=True, now=NOW
    )
    queue = study_queue(user=user, now=NOW)
    assert queue.next_question is not None
    assert queue.next_question.id == telling["telling"].pk


def test_the_review_comes_first_when_the_new_card_is_beyond_todays_share(user, telling):
    """One new card a day, and another comes before the one the review shows: the review waits
    for nothing."""
    utc_day_profile(user, new_per_day=1)
    telling["asked"].position = 5
    telling["asked"].save()
    CardStateFactory.create(
        user=user, question=telling["telling"], in_review=True, due_now=True, now=NOW
    )
    queue = study_queue(user=user, now=NOW)
    assert queue.next_question is not None
    assert queue.next_question.id == telling["telling"].pk


def test_a_review_showing_a_new_cards_answer_comes_first_with_the_siblings_setting_off(
    user, telling
):
    utc_day_profile(user, bury_siblings=False)
    CardStateFactory.create(
        user=user, question=telling["telling"], in_review=True, due_now=True, now=NOW
    )
    queue = study_queue(user=user, now=NOW)
    assert queue.next_question is not None
    assert queue.next_question.id == telling["telling"].pk


def in_turn(user, count, now=NOW):
    """The slugs of the next `count` cards the queue offers, each rated Good 20 s apart."""
    shown = []
    for _ in range(count):
        queue = study_queue(user=user, now=now)
        if queue.next_question is None:
            break
        shown.append(queue.next_question.slug)
        rating_recorded(user, queue.next_question.id, shown_reps=queue.next_reps, now=now)
        now += timedelta(seconds=20)
    return shown


def due_review(user, question, *, minutes=0):
    """A review card of `question`, first studied days ago, due `minutes` before NOW."""
    return CardStateFactory.create(
        user=user,
        question=question,
        in_review=True,
        due_now=True,
        now=NOW - timedelta(minutes=minutes),
    )


def twin_of_asked(telling):
    """A multiple-choice question of "asked"'s fact: its right choice is not what the telling
    card's front says, so that front shows "asked"'s answer alone."""
    return QuestionFactory.create(
        slug="twin",
        multiple_choice=True,
        fact=telling["asked"].fact,
        prompt="On what day did the unit cross?",
        position=3,
    )


def test_the_new_card_comes_in_the_reviews_place(user, telling):
    """The most overdue review shows the new card's answer: the new card comes in its place,
    then the review, then a card due later that shows nothing of it."""
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, telling["other"], minutes=5)
    assert in_turn(user, 3) == ["asked", "telling", "other"]


def test_a_learning_card_keeps_its_place(user, telling):
    """A relearning card's steps are minutes: it is not held behind new cards."""
    utc_day_profile(user)
    CardStateFactory.create(
        user=user, question=telling["telling"], lapsed=True, due=NOW - timedelta(minutes=1)
    )
    assert in_turn(user, 1) == ["telling"]


def test_the_review_comes_first_where_the_new_card_shows_its_answer(user, telling):
    """Two cards that show each other's answer: either order gives one away, and the review
    keeps its place."""
    telling["asked"].prompt = "When did a company cross to Ukraine?"
    telling["asked"].save()
    utc_day_profile(user)
    due_review(user, telling["telling"])
    assert in_turn(user, 2) == ["telling", "asked"]


def test_the_review_comes_first_where_the_new_card_shows_another_due_cards_answer(user, telling):
    """Brought forward, the new card would show the answer of a card due now that came before
    it: the review keeps its place."""
    telling["asked"].prompt = "What happened between 1 May 2023 and the next raid?"
    telling["asked"].save()
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, telling["other"], minutes=5)
    assert in_turn(user, 3) == ["telling", "other", "asked"]


def test_a_review_already_seen_today_does_not_wait(user, telling):
    """Rated Again this morning and due again: its front was read today, so waiting would keep
    nothing from the new card that custom study added since."""
    utc_day_profile(user, new_per_day=0)
    due_review(user, telling["telling"], minutes=120)
    queue = study_queue(user=user, now=NOW - timedelta(minutes=60))
    assert queue.next_question is not None
    assert queue.next_question.slug == "telling"
    rating_recorded(
        user, telling["telling"].pk, shown_reps=queue.next_reps, now=NOW - timedelta(minutes=60)
    )
    CardState.objects.filter(user=user, question=telling["telling"]).update(due=NOW)
    NewCardsExtra.objects.create(user=user, day=NOW.date(), scope="", count=1)
    assert in_turn(user, 1) == ["telling"]


def test_the_days_review_limit_goes_to_the_due_card_first(user, telling):
    """Every rating counts toward the review limit: a new card brought forward would take the
    last one from the review that was due."""
    utc_day_profile(user, max_reviews_per_day=1)
    due_review(user, telling["telling"])
    assert in_turn(user, 3) == ["telling"]


def test_the_review_comes_first_where_the_new_card_has_a_sibling_due(user, telling):
    """Brought forward, the new card would be seen first today and hold back its own fact's
    review, due now, for a day (the siblings rule): the review keeps its place, and both
    reviews come today, the new card waiting for its sibling as before."""
    twin = twin_of_asked(telling)
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, twin, minutes=5)
    shows = bank_current().shown_once_answered
    assert shows[telling["telling"].pk] == {telling["asked"].pk}
    assert in_turn(user, 3) == ["telling", "twin", "other"]


def test_the_new_card_comes_first_when_everything_fits_the_review_limit_exactly(user, telling):
    """A limit of 2, one review due and one new card to come: both come today in either order."""
    utc_day_profile(user, new_per_day=1, max_reviews_per_day=2)
    due_review(user, telling["telling"])
    assert in_turn(user, 3) == ["asked", "telling"]


def test_undo_brings_back_the_new_card_then_the_review(learner_client, user, telling):
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert shown_slug(html) == "asked"
    rate(learner_client, html, Rating.GOOD, htmx=False)
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert shown_slug(html) == "telling"
    learner_client.post(reverse("quizzes:study_undo"), {"scope": ""})
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert shown_slug(html) == "asked"
    queue = study_queue(user=user, now=NOW)
    assert (queue.review_count, queue.new_count) == (1, 2)


def test_a_due_card_whose_answer_the_next_ones_front_shows_comes_first(user, telling):
    """Before, the most overdue card came first and showed the other's answer before its
    rating."""
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, telling["asked"], minutes=5)
    assert in_turn(user, 2) == ["asked", "telling"]


def test_cards_due_come_along_a_chain_of_fronts(user, telling):
    """ "telling" shows "asked"'s answer, and "asked" shows "other"'s: "other" first."""
    telling["asked"].prompt = "What came before 1 May 2023?"
    telling["asked"].save()
    utc_day_profile(user)
    for slug, minutes in (("telling", 10), ("asked", 5), ("other", 1)):
        due_review(user, telling[slug], minutes=minutes)
    assert in_turn(user, 3) == ["other", "asked", "telling"]


def test_two_due_cards_that_show_each_others_answer_both_come(user, telling):
    """Either order gives one away: the walk from the most overdue stops where the ring
    closes, and both come, one after the other."""
    telling["asked"].prompt = "When did a company cross to Ukraine?"
    telling["asked"].save()
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, telling["asked"], minutes=5)
    assert in_turn(user, 2) == ["asked", "telling"]


def test_a_due_card_seen_today_is_not_put_first(user, telling):
    """Answered an hour ago (its answer was shown then) and due again: the most overdue card
    keeps its place."""
    utc_day_profile(user)
    due_review(user, telling["asked"], minutes=120)
    rating_recorded(user, telling["asked"].pk, shown_reps=None, now=NOW - timedelta(hours=1))
    CardState.objects.filter(user=user, question=telling["asked"]).update(due=NOW)
    due_review(user, telling["telling"], minutes=10)
    assert in_turn(user, 1) == ["telling"]


def test_a_due_card_seen_today_keeps_its_place(user, telling):
    """Its front showed the other card's answer this morning already: putting that card first
    now would save nothing."""
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=120)
    rating_recorded(user, telling["telling"].pk, shown_reps=None, now=NOW - timedelta(hours=1))
    CardState.objects.filter(user=user, question=telling["telling"]).update(
        due=NOW - timedelta(minutes=10)
    )
    due_review(user, telling["asked"], minutes=5)
    assert in_turn(user, 2) == ["telling", "asked"]


def test_the_walk_passes_over_a_card_with_a_sibling_due(user, telling):
    """Seen first, "asked" would hold its twin, due before it, back a day (the siblings rule):
    the most overdue card keeps its place, and the twin comes today."""
    twin = twin_of_asked(telling)
    assert bank_current().shown_once_answered[telling["telling"].pk] == {telling["asked"].pk}
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, twin, minutes=7)
    due_review(user, telling["asked"], minutes=5)
    assert in_turn(user, 2) == ["telling", "twin"]


def test_the_walk_reaches_a_card_whose_sibling_is_due_after_it(user, telling):
    """Its twin, due after it, waits a day whichever comes first: "asked" still comes before
    the card whose front shows its answer."""
    twin = twin_of_asked(telling)
    utc_day_profile(user)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, telling["asked"], minutes=7)
    due_review(user, twin, minutes=5)
    assert in_turn(user, 2) == ["asked", "telling"]


def test_the_walk_stops_at_a_ring_that_does_not_pass_through_its_start():
    """1 shows 2's answer, 2 shows 3's, 3 shows 2's: the walk ends at 3, not going round."""
    facts = {q: (q,) for q in (1, 2, 3)}
    bank = SimpleNamespace(
        shown_once_answered={1: frozenset({2}), 2: frozenset({3}), 3: frozenset({2})},
        fact_questions=facts,
        questions={q: SimpleNamespace(fact_id=q) for q in facts},
    )
    offered = {1: ("a", 1), 2: ("b", 2), 3: ("c", 3)}
    assert answer_shown_first(1, offered, (), cast(Bank, bank)) == 3


def test_due_cards_keep_their_order_with_the_siblings_setting_off(user, telling):
    utc_day_profile(user, bury_siblings=False)
    due_review(user, telling["telling"], minutes=10)
    due_review(user, telling["asked"], minutes=5)
    assert in_turn(user, 2) == ["telling", "asked"]


def test_custom_studys_extra_new_cards_count_as_to_come_today(user, telling):
    utc_day_profile(user, new_per_day=0)
    NewCardsExtra.objects.create(user=user, day=NOW.date(), scope="", count=1)
    due_review(user, telling["telling"])
    assert in_turn(user, 2) == ["asked", "telling"]


def test_the_new_cards_studied_today_count_against_todays_share(user, telling):
    utc_day_profile(user, new_per_day=1)
    rating_recorded(user, telling["other"].pk, shown_reps=0, now=NOW - timedelta(hours=1))
    CardState.objects.filter(user=user, question=telling["other"]).update(
        due=NOW + timedelta(days=3)
    )
    due_review(user, telling["telling"])
    assert in_turn(user, 2) == ["telling"]


def test_chosen_cards_bring_every_new_card_forward(user, telling):
    """A session of chosen cards (a passage, a quiz's misses) has no daily limit: every new card
    of it is still to come."""
    utc_day_profile(user, new_per_day=0)
    due_review(user, telling["telling"])
    queue = study_queue(
        user=user,
        now=NOW,
        question_ids=frozenset({telling["telling"].pk, telling["asked"].pk}),
        ignore_limits=True,
    )
    assert queue.next_question is not None
    assert queue.next_question.slug == "asked"


def test_a_card_already_studied_is_not_held_back(user, telling):
    """Only new cards wait: a review due today comes, whatever card showed its answer today."""
    utc_day_profile(user)
    CardStateFactory.create(
        user=user, question=telling["asked"], in_review=True, due_now=True, now=NOW
    )
    # The telling card first studied an hour ago.
    CardStateFactory.create(
        user=user, question=telling["telling"], in_review=True, now=NOW - timedelta(hours=1)
    )
    CardState.objects.filter(question=telling["telling"]).update(
        created_at=NOW - timedelta(hours=1)
    )
    queue = study_queue(user=user, now=NOW)
    assert queue.next_question is not None
    assert queue.next_question.id == telling["asked"].pk
    assert queue.new_today == 1


def test_with_the_siblings_setting_off_it_comes_the_same_day(learner_client, user, telling):
    utc_day_profile(user, bury_siblings=False)
    shown, _ = studied_in_order(learner_client, 2)
    assert shown == ["telling", "asked"]


def test_undo_of_the_telling_cards_first_review_frees_it(learner_client, user, telling):
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    assert not offered_alone(user, telling["asked"], NOW)
    learner_client.post(reverse("quizzes:study_undo"), {"scope": ""})
    assert offered_alone(user, telling["asked"], NOW)


def test_a_quiz_leaves_it_out_the_same_day(learner_client, user, telling):
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    asked = quiz_asks(user)
    assert telling["asked"].pk not in asked
    assert telling["other"].pk in asked


def test_a_quiz_may_ask_it_once_it_has_been_studied(user, telling):
    utc_day_profile(user)
    for slug in ("telling", "asked"):
        CardStateFactory.create(
            user=user, question=telling[slug], in_review=True, now=NOW - timedelta(hours=1)
        )
        CardState.objects.filter(user=user, question=telling[slug]).update(
            created_at=NOW - timedelta(hours=1)
        )
    assert telling["asked"].pk in quiz_asks(user)


def test_the_study_page_stays_within_its_budget_with_a_card_waiting(
    learner_client, user, telling, django_assert_max_num_queries
):
    """Today's new cards are read inside the queue statement: no query more."""
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    with django_assert_max_num_queries(8 + queue_plan_statements()):
        page = learner_client.get(reverse("quizzes:study"))
    assert page.context["question"].slug != "asked"


def test_a_card_first_answered_in_a_quiz_today_holds_it_back_in_study(
    learner_client, user, telling
):
    utc_day_profile(user)
    quizzed_alone(telling["telling"])
    attempt = quiz_started(user, "quizzed")
    attempt_answer(
        attempt=attempt, question_id=telling["telling"].pk, response="a company", now=NOW
    )
    shown, _ = studied_in_order(learner_client, 1)
    assert shown == ["other"]
    assert not offered_alone(user, telling["asked"], NOW)


def test_the_settings_page_says_the_siblings_choice_holds_these_back_too(learner_client):
    page = learner_client.get(reverse("quizzes:study_settings")).content.decode()
    assert (
        "So does a new card whose answer a card you saw for the first time that day showed. And"
        " where a card's front shows the answer of another card due now, or a review's that of a"
        " new card due to come today, that card comes first." in page
    )


@pytest.mark.parametrize("action", ["bury", "suspend"])
def test_a_new_card_held_from_its_back_holds_back_what_its_front_showed(
    learner_client, user, telling, action
):
    """Its front was read today, first, as a rated card's is; before, the card whose answer it
    showed came next."""
    utc_day_profile(user)
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    assert shown_slug(front) == "telling"
    back = learner_client.post(reverse("quizzes:study_answer"), {"token": token_of(front)})
    learner_client.post(
        reverse("quizzes:study_hold"), {"token": back.context_data["token"], "action": action}
    )
    assert not offered_alone(user, telling["asked"], NOW)
    assert study_queue(user=user, now=NOW).waiting_shown == 1
    assert telling["asked"].pk not in quiz_asks(user)
    # Undo of the hold frees it, as Undo of a first rating does.
    learner_client.post(reverse("quizzes:study_undo"), {"scope": ""})
    assert offered_alone(user, telling["asked"], NOW)


def test_a_card_first_studied_today_then_forgotten_holds_it_back_in_study_as_in_a_quiz(
    learner_client, user, telling
):
    """Forget takes the card (not its front, read today) away: a quiz, which reads today's first
    reviews from the log, held the card back and study offered it."""
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    card_forget(user=user, question_id=telling["telling"].pk, now=NOW)
    assert not offered_alone(user, telling["asked"], NOW)
    assert telling["asked"].pk not in quiz_asks(user)


def test_a_new_card_left_unanswered_in_a_quiz_holds_back_what_its_front_showed(
    learner_client, user, telling
):
    """The quiz showed its front (its results show every question), and no card was made."""
    utc_day_profile(user)
    quizzed_alone(telling["telling"])
    attempt = quiz_started(user, "quizzed")
    learner_client.post(reverse("quizzes:quiz_finish", args=[attempt.pk]))
    assert not CardState.objects.filter(user=user).exists()
    assert not offered_alone(user, telling["asked"], NOW)


def test_custom_studys_more_new_cards_are_not_all_done_while_one_waits(
    learner_client, user, telling
):
    """Before, the panel said "That was all of them: you have studied the more new cards you
    asked for" above the line that one of them waits."""
    utc_day_profile(user, new_per_day=1)
    NewCardsExtra.objects.create(user=user, day=NOW.date(), scope="", count=2)
    studied_in_order(learner_client, 2)
    CardState.objects.filter(user=user).update(due=NOW + timedelta(days=3))
    page = learner_client.get(reverse("quizzes:study"))
    queue = page.context["queue"]
    assert (queue.new_left, queue.waiting_shown_today) == (1, 1)
    assert not queue.extra_done
    assert "You are done for now" in page.content.decode()


def test_in_the_bundled_bank_no_new_card_comes_after_a_card_first_seen_that_day_showed_it(user):
    """The README's claim, over a day and a half of the bundled bank: a learner taking every card
    the queue offers (20 new a day, each rated Good) meets no new card whose answer a card first
    seen earlier that day showed, on its front or its back. Without the rule the first day alone
    had such cards; reading fronts alone, these two days had 5 whose answer a back had shown."""
    call_command("load_questions", str(BUNDLED), stdout=None, stderr=None)
    utc_day_profile(user, new_per_day=20)
    bank = bank_current()
    shows = bank.shown_once_answered
    met = 0
    for day in range(2):
        now = NOW.replace(hour=5) + timedelta(days=day)
        first_today: list[int] = []
        while (queue := study_queue(user=user, now=now)).next_question is not None:
            question = queue.next_question
            if not CardState.objects.filter(user=user, question_id=question.id).exists():
                assert not any(question.id in shows.get(g, ()) for g in first_today)
                first_today.append(question.id)
                met += 1
            rating_recorded(user, question.id, shown_reps=queue.next_reps, now=now)
            now += timedelta(seconds=20)
    assert met == 40


def test_in_the_bundled_bank_new_cards_come_after_what_showed_them_once_in_three_days(user):
    """The README's claim for its first three days: a learner taking every card the queue offers
    (20 new a day, each rated Good) meets one new card whose answer a card seen earlier that day,
    a review included, showed on its front or its back (a review's front, on the third day).
    Without the order, those days had 2 by fronts alone. While a back's prose was excused for
    naming a wrong choice beside the right one, and true/false statements were never read off
    the passage they were written from, there were 11 (an outside tester met three of them in
    their first five cards). Over forty days (bench.new_cards) 37 still come after a card's front
    showed them (59 counting backs), most where the new card would cost a due card, the rest
    moved into the day's share after the review."""
    call_command("load_questions", str(BUNDLED), stdout=None, stderr=None)
    utc_day_profile(user, new_per_day=20)
    shows = bank_current().shown_once_answered
    met, after = 0, []
    for day in range(3):
        now = NOW.replace(hour=5) + timedelta(days=day)
        seen_today: list[int] = []
        while (queue := study_queue(user=user, now=now)).next_question is not None:
            question = queue.next_question
            if not CardState.objects.filter(user=user, question_id=question.id).exists():
                if any(question.id in shows.get(g, ()) for g in seen_today):
                    after.append((day, question.slug))
                met += 1
            seen_today.append(question.id)
            rating_recorded(user, question.id, shown_reps=queue.next_reps, now=now)
            now += timedelta(seconds=20)
    assert met == 60
    assert after == [(2, "symbols-press-conference-three-men-mc")]
