"""Whether, after a question's word that asks and a helping verb, what is asked for acts or is
acted on: it decides whether the question's verb may stand before the answer ("arrested
Okhlopkov" of "Which activist was arrested?", never "lead Ponomarev" of "Which MP was to
lead?")."""

import pytest

from quizzes.rules.prompt_words import asked_noun


@pytest.mark.parametrize(
    "after",
    [
        "— activist was arrested",
        "— activist was to be arrested",
        "— activist had been arrested",
        "— activist was being held",
        "— did the Legion create",
        "— had the Legion captured",
        "— would the Legion create",
        "— had Caesar said",
    ],
)
def test_what_is_asked_is_acted_on(after):
    assert asked_noun(after, "which")[1]


@pytest.mark.parametrize(
    "after",
    [
        "— MP was to lead",
        "— unit was fighting",
        "— unit had been fighting",
        "— agency had arrested",
        "— side had won",
        "— outlet had only one video",
        "— MP would lead",
    ],
)
def test_what_is_asked_acts(after):
    assert not asked_noun(after, "which")[1]
