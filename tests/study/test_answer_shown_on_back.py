"""A card's back shows answers too: the article's passage it quotes may hold another fact's
answer, and the learner reads it once they have answered. A new card whose answer the back of a
card first studied today showed waits for the learner's next day, as one a front showed does
(test_answer_shown_waits.py)."""

from datetime import UTC, datetime

import pytest

from quizzes.bank.cache import bank_current
from quizzes.rules.article import passage_offset
from quizzes.study.queue import study_queue
from quizzes.study.siblings import answers_shown_waiting
from tests.factories import QuestionFactory
from tests.helpers import offered_alone, studied_in_order, utc_day_profile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
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
            passage_offset=passage_offset(PASSAGE),
            position=0,
        ),
        "asked": QuestionFactory.create(slug="asked", answer="27 February 2022", position=1),
        "other": QuestionFactory.create(slug="other", answer="1 May 2023", position=2),
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
