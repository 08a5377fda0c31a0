"""A place's own country after it: "Kyiv, Ukraine" says where Kyiv is, and is right where the
question asks for Kyiv without naming a country; "Kyiv, Russia" says something false, and is
wrong. Only a place's country, and only after it: a name that holds a place ("The Kyiv
Independent") or an answer that is no place ("Okhlopkov in Russia") gains nothing."""

import pytest

from quizzes.rules.answer_words import read
from quizzes.rules.countries import of_place
from tests.support.grading_questions import (
    ARRESTED,
    LYSYCHANSK,
    MOSCOW,
    PRESS_CONFERENCE_CITY,
    right,
)

KURSK = {
    "answer": "Kursk",
    "accepted": ["Kursk region", "Kursk Oblast"],
    "prompt": "On 12 March 2024, the legion conducted raids in {{c1::Kursk}} and Belgorod "
    "regions, and claimed to control two villages.",
}
BELGOROD = {
    "answer": "Belgorod region",
    "accepted": ["Belgorod", "Belgorod Oblast"],
    "prompt": "Since 22 May 2023, the Legion has launched cross-border raids into the "
    "{{c1::Belgorod region}} of Russia, alongside the Russian Volunteer Corps (RVC).",
}
NEWSPAPER = {
    "answer": "The Kyiv Independent",
    "accepted": ["Kyiv Independent"],
    "prompt": "Illia Ponomarenko was a defense and security reporter at which outlet?",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Kyiv, Ukraine", PRESS_CONFERENCE_CITY),
        ("Kyiv in Ukraine", PRESS_CONFERENCE_CITY),
        ("Kyiv (Ukraine)", PRESS_CONFERENCE_CITY),
        ("Kiev, Ukraine", PRESS_CONFERENCE_CITY),
        ("Moscow, Russia", MOSCOW),
        ("a march on Moscow, Russia", MOSCOW),
        ("Lysychansk, Ukraine", LYSYCHANSK),
        ("the Lysychansk area in Ukraine", LYSYCHANSK),
        ("Kursk, Russia", KURSK),
        ("Kursk Oblast in Russia", KURSK),
        # Where the question names the place's country, "in" it too.
        ("Belgorod in Russia", BELGOROD),
        ("Belgorod region in Russia", BELGOROD),
    ],
)
def test_a_place_with_its_own_country_after_it_is_right(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Kyiv, Russia", PRESS_CONFERENCE_CITY),
        ("Kyiv in Russia", PRESS_CONFERENCE_CITY),
        ("Moscow, Ukraine", MOSCOW),
        ("Lysychansk, Russia", LYSYCHANSK),
        ("Lysychansk area in Russia", LYSYCHANSK),
        ("Kursk, Ukraine", KURSK),
        # The country alone is no city, nor before it a place's ("Ukraine, Kyiv" aside).
        ("Ukraine", PRESS_CONFERENCE_CITY),
        ("Russian Lysychansk", LYSYCHANSK),
        # "in" after the answer only before the place's country.
        ("Kyiv in", PRESS_CONFERENCE_CITY),
        ("Kyiv in April", PRESS_CONFERENCE_CITY),
        # An answer that is no place gains no "in": "in Russia" would say where he is.
        ("Okhlopkov in Russia", ARRESTED),
        ("Kyiv Independent in Ukraine", NEWSPAPER),
    ],
)
def test_a_place_with_another_country_or_none_is_wrong(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("forms", "country"),
    [
        (["Kyiv", "Kiev"], {"ukraine"}),
        (["Lysychansk", "Lysychansk area"], {"ukraine"}),
        (["Moscow", "march on Moscow"], {"russia"}),
        (["Kursk and Belgorod"], {"russia"}),
        (["The Kyiv Independent"], set()),
        (["Irpin Declaration"], set()),
        (["Kyiv", "Moscow"], set()),  # two countries name neither
    ],
)
def test_the_country_of_the_place_an_answer_is(forms, country):
    assert of_place(tuple(read(form) for form in forms)) == country
