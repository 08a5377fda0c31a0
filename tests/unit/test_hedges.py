"""An edit that takes the last hedge out of a prompt or a claim (rules.hedges)."""

import pytest

from quizzes.rules.hedges import hedge_dropped

PASSAGE = "On 15 March 2024, the FSB reportedly arrested a man who had ties with the FRL"


@pytest.mark.parametrize(
    ("before", "after", "dropped"),
    [
        ("Which agency reportedly arrested him?", "Which agency arrested him?", "reportedly"),
        ("Ponomarev said the RVC had signed it.", "The RVC signed it.", "said"),
        # Another hedge in its place, or one kept: a rewording.
        ("Which agency reportedly arrested him?", "According to reports, who arrested him?", None),
        ("Which agency reportedly arrested him?", "Which agency, reportedly, held him?", None),
        # None there before: not this rule's to judge.
        ("Which agency arrested him?", "What agency arrested him?", None),
    ],
)
def test_the_last_hedge_taken_out_is_named(before, after, dropped):
    assert hedge_dropped(before, after, PASSAGE) == dropped


def test_a_passage_that_hedges_nothing_lets_a_hedge_go():
    assert hedge_dropped("Who reportedly led it?", "Who led it?", "Caesar led it.") is None
