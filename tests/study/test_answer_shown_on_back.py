"""A card's back shows answers too: the article's passage it quotes may hold another fact's
answer, and the learner reads it once they have answered. A new card whose answer the back of a
card first studied today showed waits for the learner's next day, as one a front showed does
(test_answer_shown_waits.py); and a card due now, or a new card still to come today, whose
answer the back of the card due next shows comes before that card."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from quizzes.bank.cache import bank_current
from quizzes.cards.edits import card_forget
from quizzes.quiz.services import attempt_finish_by_learner
from quizzes.study.queue import study_queue
from quizzes.study.siblings import answers_shown_waiting
from tests.factories import QuestionFactory
from tests.helpers import (
    BUNDLED,
    offered_alone,
    shown_slug,
    studied_in_order,
    token_of,
    utc_day_profile,
)
from tests.study.test_answer_shown_waits import (
    LEADERS,
    NEXT_DAY,
    NOW,
    due_review,
    in_turn,
    quiz_asks,
    quiz_started,
    quizzed_alone,
    showing_nothing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# One sentence of the article, two facts: who helped the company across, and the day it crossed.
PASSAGE = (
    "they crossed to the Ukrainian side with the help of the Security Service of Ukraine on 27 "
    "February 2022"
)


@pytest.fixture
def backed(db):
    """In the bank's order: a question whose front says nothing of the next one's answer but
    whose passage (its back) does, that question, and one that shows nothing of either."""
    return {
        "helped": QuestionFactory.create(
            slug="helped",
            prompt="With whose help did the company cross to the Ukrainian side?",
            answer="the Security Service of Ukraine",
            explanation="The company commander named the agency that helped them.",
            source_passage=PASSAGE,
            position=0,
        ),
        "asked": QuestionFactory.create(slug="asked", answer="27 February 2022", position=1),
        "other": showing_nothing(),
    }


def test_the_bank_reads_a_cards_back_as_well_as_its_front(backed):
    bank = bank_current()
    helped, asked = backed["helped"].pk, backed["asked"].pk
    assert asked not in bank.quiz_order.shows[helped]  # its front says nothing of the day
    assert asked in bank.shown_once_answered[helped]
    # A back's own fact is no giveaway; the front's giveaways stay.
    assert helped not in bank.shown_once_answered[helped]
    for question, shown in bank.quiz_order.shows.items():
        assert shown <= bank.shown_once_answered[question]


def test_the_rule_holds_back_what_a_studied_cards_passage_showed(backed):
    bank = bank_current()
    helped = frozenset({backed["helped"].pk})
    assert answers_shown_waiting(helped, helped, bank, seen=helped) == {backed["asked"].pk}


def test_a_new_card_whose_answer_a_studied_cards_passage_showed_waits(
    learner_client, user, backed, frozen
):
    """Before, the day it crossed came right after the card whose passage had just said it."""
    utc_day_profile(user)
    shown, _ = studied_in_order(learner_client, 2)
    assert shown == ["helped", "other"]
    assert not offered_alone(user, backed["asked"], NOW)
    assert study_queue(user=user, now=NOW).waiting_new == 1
    frozen.move_to(NEXT_DAY)
    assert offered_alone(user, backed["asked"], NEXT_DAY)


def test_the_back_counts_for_a_card_studied_then_forgotten_in_study_as_in_a_quiz(
    learner_client, user, backed
):
    """Forget takes the card away, not the back read today: a quiz (which reads today's first
    reviews from the log) and study hold back the same card."""
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    card_forget(user=user, question_id=backed["helped"].pk, now=NOW)
    assert not offered_alone(user, backed["asked"], NOW)
    assert backed["asked"].pk not in quiz_asks(user)


def test_a_quiz_leaves_out_what_a_studied_cards_back_showed(learner_client, user, backed):
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    asked = quiz_asks(user)
    assert backed["asked"].pk not in asked
    assert backed["other"].pk in asked


@pytest.mark.parametrize("action", ["bury", "suspend"])
def test_a_card_held_from_its_back_holds_back_what_its_back_showed(
    learner_client, user, backed, action
):
    utc_day_profile(user)
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    assert shown_slug(front) == "helped"
    back = learner_client.post(reverse("quizzes:study_answer"), {"token": token_of(front)})
    learner_client.post(
        reverse("quizzes:study_hold"), {"token": back.context_data["token"], "action": action}
    )
    assert not offered_alone(user, backed["asked"], NOW)
    assert study_queue(user=user, now=NOW).waiting_shown == 1


def test_a_finished_quiz_whose_results_showed_a_back_holds_it_back(user, backed):
    """The results page shows each question's answer, explanation and passage."""
    utc_day_profile(user)
    quizzed_alone(backed["helped"])
    attempt = quiz_started(user, "quizzed")
    attempt_finish_by_learner(attempt=attempt, now=NOW)
    assert not offered_alone(user, backed["asked"], NOW)


def test_an_explanation_shows_answers_too(db):
    told = QuestionFactory.create(
        slug="told",
        answer="a company",
        explanation="The company crossed on 27 February 2022, its commander said.",
        source_passage=LEADERS,
    )
    asked = QuestionFactory.create(slug="asked", answer="27 February 2022")
    assert asked.pk in bank_current().shown_once_answered[told.pk]


def test_a_card_holds_back_no_multiple_choice_card_with_its_own_answer_by_its_back(db):
    """The multiple-choice card's answer is its right choice: the learner just gave it, and only
    a front tells the two apart (as for typed cards with one answer, "Caesar")."""
    mc = QuestionFactory.create(slug="mc", multiple_choice=True, with_choices=True)
    right = mc.choices.get(is_correct=True).text
    told = QuestionFactory.create(
        slug="told",
        answer=right,
        explanation=f"The raids began on {right}.",
        source_passage=LEADERS,
    )
    assert mc.pk not in bank_current().shown_once_answered[told.pk]


def test_a_new_card_whose_answer_a_reviews_back_shows_comes_in_its_place(user, backed):
    """Before, the review came first and its passage said the day the new card asks for."""
    utc_day_profile(user)
    due_review(user, backed["helped"], minutes=10)
    assert in_turn(user, 3) == ["asked", "helped", "other"]


def test_a_due_card_whose_answer_the_next_cards_back_shows_comes_first(user, backed):
    utc_day_profile(user)
    due_review(user, backed["helped"], minutes=10)
    due_review(user, backed["asked"], minutes=5)
    assert in_turn(user, 2) == ["asked", "helped"]


def test_the_review_keeps_its_place_where_the_new_cards_back_shows_its_answer(user, db):
    """The review's front names who helped, the new card's answer; the new card's back says the
    day, the review's answer: either order gives one away, so the review keeps its place (by
    fronts alone the new card came first and its back gave the day away)."""
    day = QuestionFactory.create(
        slug="day",
        prompt="On what day did the company cross with the help of the Security Service of "
        "Ukraine?",
        answer="27 February 2022",
        source_passage=LEADERS,
        position=1,
    )
    helped = QuestionFactory.create(
        slug="helped",
        prompt="With whose help did the company cross to the Ukrainian side?",
        answer="the Security Service of Ukraine",
        source_passage=PASSAGE,
        position=0,
    )
    bank = bank_current()
    assert helped.pk in bank.quiz_order.shows[day.pk]
    assert day.pk not in bank.quiz_order.shows[helped.pk]
    assert day.pk in bank.shown_once_answered[helped.pk]
    utc_day_profile(user)
    due_review(user, day, minutes=10)
    assert in_turn(user, 2) == ["day", "helped"]


def test_a_back_naming_a_right_choice_beside_a_wrong_one_tells_it(db):
    """On a front, a list naming the right choice and a wrong one tells nothing; on a back the
    prose says which is which ("abbr. ЛСР, romanized: LSR" beside "FRL": an outside tester)."""
    mc = QuestionFactory.create(
        slug="mc", multiple_choice=True, with_choices=True, answer="22 May 2023"
    )
    told = QuestionFactory.create(
        slug="told",
        answer="a company",
        explanation="The raid began on 22 May 2023; another was announced for 5 April.",
        source_passage=LEADERS,
    )
    assert mc.pk in bank_current().shown_once_answered[told.pk]


def test_a_passage_quoted_on_a_back_decides_the_statements_written_from_it(db):
    """A true/false card's answer is one of two words, on every back: what gives it away is the
    passage it was written from, read on another card's back."""
    statement = QuestionFactory.create(
        slug="statement", true_false=True, with_choices=True, source_passage="27 February 2022"
    )
    told = QuestionFactory.create(
        slug="told", answer="the Security Service of Ukraine", source_passage=PASSAGE
    )
    elsewhere = QuestionFactory.create(slug="elsewhere", answer="a company", source_passage=LEADERS)
    shown = bank_current().shown_once_answered
    assert statement.pk in shown[told.pk]
    assert statement.pk not in shown[elsewhere.pk]


def test_the_bundled_banks_first_card_holds_back_what_its_back_tells(db):
    """An outside tester's first card: its passage gave away two statements and a
    multiple-choice card that came third, fourth and fifth the same day."""
    call_command("load_questions", BUNDLED, stdout=StringIO())
    bank = bank_current()
    ids = {q.slug: q.id for q in bank.active}
    first = bank.new_cards_in_order[0]
    assert first == ids["organizations-frl-abbreviation-typed"]
    told = {
        "symbols-russian-name-romanized-tf",
        "organizations-ukrainian-name-romanized-tf",
        "organizations-lsr-romanized-abbreviation-mc",
    }
    assert {ids[slug] for slug in told} <= bank.shown_once_answered[first]
