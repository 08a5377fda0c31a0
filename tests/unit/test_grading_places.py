"""A place's own country after it: "Kyiv, Ukraine" says where Kyiv is, and is right where the
question asks for Kyiv without naming a country; "Kyiv, Russia" says something false, and is
wrong. Only a place's country, and only after it: a name that holds a place ("The Kyiv
Independent") or an answer that is no place ("Okhlopkov in Russia") gains nothing."""

import pytest

from quizzes.rules.answer_words import read
from quizzes.rules.countries import of_place
from tests.support.grading_questions import LYSYCHANSK, right

KYIV = {
    "answer": "Kyiv",
    "accepted": ["Kiev"],
    "prompt": "In which city was the 5 April press conference announcing the Legion's formation "
    "held?",
}
MOSCOW = {
    "answer": "Moscow",
    "accepted": ["march on Moscow", "a march on Moscow"],
    "prompt": "When discussing the 12 March operation, one Legion volunteer claimed they would "
    "eventually lead a march on which city?",
}
KURSK = {
    "answer": "Kursk",
    "accepted": ["Kursk region", "Kursk Oblast"],
    "prompt": "On 12 March 2024, the legion conducted raids in {{c1::Kursk}} and Belgorod "
    "regions, and claimed to control two villages.",
}
OKHLOPKOV = {
    "answer": "Nikolay Okhlopkov",
    "accepted": ["Okhlopkov"],
    "prompt": "Which Russian anti-war activist was arrested on 22 June 2022 because the "
    'authorities accused him of "wanting to join the Legion"?',
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
        ("Kyiv, Ukraine", KYIV),
        ("Kyiv in Ukraine", KYIV),
        ("Kyiv (Ukraine)", KYIV),
        ("Kiev, Ukraine", KYIV),
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
        ("Kyiv, Russia", KYIV),
        ("Kyiv in Russia", KYIV),
        ("Moscow, Ukraine", MOSCOW),
        ("Lysychansk, Russia", LYSYCHANSK),
        ("Lysychansk area in Russia", LYSYCHANSK),
        ("Kursk, Ukraine", KURSK),
        # The country alone is no city, nor before it a place's ("Ukraine, Kyiv" aside).
        ("Ukraine", KYIV),
        ("Russian Lysychansk", LYSYCHANSK),
        # "in" after the answer only before the place's country.
        ("Kyiv in", KYIV),
        ("Kyiv in April", KYIV),
        # An answer that is no place gains no "in": "in Russia" would say where he is.
        ("Okhlopkov in Russia", OKHLOPKOV),
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
