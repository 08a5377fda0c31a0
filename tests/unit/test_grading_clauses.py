"""Which of a question's words a learner may add beside a right answer: only those of the clause
where the answer stands, near it (grading's third rule). Each wrong answer here was accepted
before these rules (an adversarial hunt and two reviews found them); the right ones guard the
rules from refusing what the question itself says of the answer."""

import pytest

from quizzes.rules.grading import grade
from quizzes.rules.prompt_words import around_asking
from tests.support.grading_questions import (
    ARRESTED,
    FSB_ASKED_TWICE,
    LYSYCHANSK,
    MEN,
    PRESS_CONFERENCE_CITY,
    REBELLION,
    right,
)

PARTISANS = {
    "answer": "partisans",
    "accepted": ["self-styled partisans"],
    "prompt": "In May 2023, Michael Clarke described the Freedom of Russia Legion and the Russian "
    "Volunteer Corps as self-styled what, trying to bring the Putin government down?",
}
SIBIR = {
    "answer": "Sibir Battalion",
    "accepted": ["Sibir"],
    "prompt": "Since 22 May 2023, the Legion has launched cross-border raids into the Belgorod "
    "region alongside the Russian Volunteer Corps and which battalion?",
}
PHYSIOTHERAPIST = {
    "answer": "physiotherapist",
    "accepted": ["a physiotherapist"],
    "prompt": "Caesar is the Legion's spokesperson, deputy commander, and a former "
    "{{c1::physiotherapist}}.",
}
VOLOBUYEV_BANK = {
    "answer": "Gazprombank",
    "accepted": [],
    "prompt": "Igor Volobuyev, who joined the Legion, is the Ukrainian-born ex-vice-chairman of "
    "which bank?",
}
IMPERIAL_MOVEMENT = {
    "answer": "Russian Imperial Movement",
    "accepted": ["RIM"],
    "prompt": "The Legion's spokesperson Caesar is a former member of which organisation, "
    "described in the article as ultranationalist and neo-nazi?",
}
CORRUPTION = {
    "answer": "corruption",
    "accepted": [],
    "prompt": "It criticizes Putin's government for its {{c1::corruption}} and suppression of "
    "civil liberties.",
}
PATRIOT = {
    "answer": "patriot",
    "accepted": ["a patriot"],
    "prompt": "I'm a true Russian ___ who thinks about the future of my country.",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # Past a comma: the prompt's government is what the partisans try to bring down.
        ("government partisans", PARTISANS),
        ("partisans of the government", PARTISANS),
        # A relative clause is about its own noun: the man had ties with the FRL.
        ("had ties with the FSB", FSB_ASKED_TWICE),
        ("the FSB, which had ties with", FSB_ASKED_TWICE),
        # Before "and": the Belgorod region is where the raids went, not the battalion's name.
        ("Sibir region", SIBIR),
        # Before ", and": the deputy command is Caesar's now, not the former profession's.
        ("commander physiotherapist", PHYSIOTHERAPIST),
        ("former deputy commander physiotherapist", PHYSIOTHERAPIST),
        # Four words before the word that asks: the clause's subject is not the answer's.
        ("spokesperson of the Russian Imperial Movement", IMPERIAL_MOVEMENT),
        # After a blank's "and" comes another item: the liberties were suppressed.
        ("suppression of corruption", CORRUPTION),
        ("corruption suppression", CORRUPTION),
    ],
)
def test_a_word_of_another_clause_is_not_added(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("self-styled partisans", PARTISANS),
        ("the FSB", FSB_ASKED_TWICE),
        ("the Russian agency FSB", FSB_ASKED_TWICE),
        ("the Sibir Battalion", SIBIR),
        ("a former physiotherapist", PHYSIOTHERAPIST),
        # Within eight words of the words that ask, on either side of the answer.
        ("three men in balaclavas", MEN),
        ("Okhlopkov was arrested", ARRESTED),
        ("activist Okhlopkov", ARRESTED),
        # Every word of its clause after the word that asks: the question's verb comes last.
        ("captured in the Lysychansk area", LYSYCHANSK),
        ("held in Kyiv", PRESS_CONFERENCE_CITY),
        ("a former member of the Russian Imperial Movement", IMPERIAL_MOVEMENT),
        ("Gazprombank bank", VOLOBUYEV_BANK),
        # A relative word right after the blank is about the answer.
        ("true patriot who thinks", PATRIOT),
    ],
)
def test_a_word_of_the_answers_own_clause_is_still_added(text, question):
    assert right(text, question)


def test_a_people_is_not_its_country_as_a_word_added():
    # "against the Russian government": the Russians, the people, are not it.
    assert not right("rebellion against Russians", REBELLION)
    assert not right("rebellion against the Ukrainians", REBELLION)
    assert right("rebellion against the Russian government", REBELLION)


FASCISTS = {
    "answer": "real fascists",
    "accepted": [],
    "prompt": "According to the company commander, his company crossed to the Ukrainian side to "
    "protect Ukrainians from whom? Give his two-word phrase.",
}


def test_a_people_the_question_says_is_a_word_it_says():
    assert right("protect Ukrainians from real fascists", FASCISTS)
    assert right("Ukrainians from real fascists", FASCISTS)
    # Never another people, nor one where the question says none.
    assert not right("protect Russians from real fascists", FASCISTS)
    assert not right("real fascists Ukrainians", FASCISTS)


def test_a_peoples_possessive_is_its_country_and_a_forms_people_its_adjective():
    assert grade("Ukrainians' intelligence", answer="Ukrainian intelligence").correct
    assert grade("protect Ukrainian people", answer="protect Ukrainians").correct is False
    assert grade("protect Ukrainian", answer="protect Ukrainians").correct
    assert grade("Russians", answer="Russian").correct
    # A people is not its country: "New Russians" are no New Russia.
    assert not grade("New Russians", answer="a New Russia", accepted=["New Russia"]).correct
    assert not grade("Supreme Court of Russians", answer="Supreme Court of Russia").correct


def test_a_forms_region_round_a_city_makes_no_oblast():
    assert right("Lysychansk region", LYSYCHANSK)
    assert right("the Lysychansk area", LYSYCHANSK)
    assert not right("Lysychansk Oblast", LYSYCHANSK)


@pytest.mark.parametrize(
    ("prompt", "asks"),
    [
        ("Which Russian agency reportedly arrested a man who had ties with the FRL?", "Which"),
        ("Igor Volobuyev, who joined the Legion, is the ex-vice-chairman of which bank?", "which"),
        ("When discussing the operation, a volunteer claimed a march on which city?", "which"),
        ("As of July 2022, which outlet had only one video which mentioned the Legion?", "which"),
        ("The men who announced the Legion wore fatigues and what else?", "what"),
        # The one word that may ask asks, even after a verb; of several, the last.
        ("Coercing POWs into combat would violate which article?", "which"),
        ("A man who had ties with the FRL launched which devices?", "which devices"),
        # After a comma that follows no date, a relative word describes what comes before it.
        ("The Legion's channel, which was created in March, is on which platform?", "which p"),
        # A clause of time before the question.
        ("When the FSB arrested a man, what did he confess to launching?", "what"),
    ],
)
def test_the_word_that_asks_is_not_a_relative_one(prompt, asks):
    found = around_asking(prompt)
    assert found is not None
    before, _ = found
    assert prompt[len(before) :].startswith(asks)


SBU = {
    "answer": "the Security Service of Ukraine",
    "accepted": ["SBU", "Ukrainian Security Service"],
    "prompt": "According to the company commander, with whose help did his company cross to the "
    "Ukrainian side?",
}
RT = {
    "answer": "RT",
    "accepted": ["Russia Today"],
    "prompt": "As of July 2022, which Russian state media outlet had only one video which "
    "mentioned the Legion?",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [("Security Service", SBU), ("the Security Service of", SBU), ("Today", RT)],
)
def test_the_country_the_question_names_is_not_left_out_of_a_name(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [("Ukraine's Security Service", SBU), ("the SBU", SBU), ("Russia Today", RT)],
)
def test_the_name_with_its_country_is_still_right(text, question):
    assert right(text, question)


def test_the_country_the_question_names_is_still_left_out_of_other_words():
    question = {
        "answer": "Ukrainian intelligence",
        "accepted": [],
        "prompt": "Which Ukrainian service did the Legion work with?",
    }
    assert right("intelligence", question)


@pytest.mark.parametrize(
    ("text", "answer", "accepted"),
    [
        ("S. Battalion", "Sibir Battalion", ["Sibir"]),
        ("R. Imperial Movement", "Russian Imperial Movement", ["RIM"]),
        ("Russian I. Movement", "Russian Imperial Movement", ["RIM"]),
        ("K. Independent", "The Kyiv Independent", ["Kyiv Independent"]),
        ("F. Security Service", "FSB", ["Federal Security Service"]),
    ],
)
def test_an_initial_never_stands_for_a_word_of_another_name(text, answer, accepted):
    assert not grade(text, answer=answer, accepted=accepted).correct


@pytest.mark.parametrize(
    ("text", "answer", "accepted"),
    [
        ("V. Putin", "Vladimir Putin", ["Putin"]),
        ("V. V. Putin", "Vladimir Vladimirovich Putin", ["Putin"]),
        ("M. Clarke", "Michael Clarke", ["Clarke"]),
        ("I. Ponomarenko", "Illia Ponomarenko", ["Ponomarenko"]),
    ],
)
def test_an_initial_stands_for_a_first_name_where_the_surname_is_right(text, answer, accepted):
    assert grade(text, answer=answer, accepted=accepted).correct


def test_an_initial_needs_the_surname_alone_to_be_right():
    # Where only the whole name is right, so is only the whole name.
    assert not grade("V. Putin", answer="Vladimir Putin").correct
    assert grade("V. Putin", answer="Vladimir Putin", accepted=["Putin"]).correct


@pytest.mark.parametrize(
    ("text", "answer", "accepted"),
    [
        ("Russia and Today", "RT", ["Russia Today"]),
        ("Ukraine and the Security Service", "the Security Service of Ukraine", []),
        ("Russia and the Imperial Movement", "Russian Imperial Movement", []),
        ("a war criminal and Putin", "war criminal", ["war criminal Putin"]),
        ("Vladimir and Putin", "Vladimir Putin", ["Putin"]),
    ],
)
def test_and_never_joins_the_words_of_a_name_or_a_country(text, answer, accepted):
    assert not grade(text, answer=answer, accepted=accepted).correct


def test_and_still_joins_ordinary_words_of_the_answer():
    assert grade("white, blue and white flag", answer="white-blue-white flag").correct


@pytest.mark.parametrize("text", ["doctor physiotherapist", "professor physiotherapist"])
def test_a_title_before_an_ordinary_word_is_a_word_like_any_other(text):
    assert not grade(text, answer="physiotherapist", accepted=["a physiotherapist"]).correct


@pytest.mark.parametrize(
    "text", ["President Putin", "president putin", "president vladimir putin", "Dr V. Putin"]
)
def test_a_title_before_a_name_is_still_set_aside(text):
    assert grade(text, answer="Vladimir Putin", accepted=["Putin"]).correct


ZONE = {
    "answer": "a demilitarised zone",
    "accepted": ["demilitarised zone"],
    "prompt": "During the May 2023 raid, what did the Legion and the RVC claim to aim at creating "
    "along the border?",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # The answer acts in the question ("Which agency arrested a man?"): the verb before it
        # makes it the one acted on.
        ("arrested the FSB", FSB_ASKED_TWICE),
        # It is where something was done ("In which area … captured"): not what was.
        ("captured Lysychansk", LYSYCHANSK),
        ("held Kyiv", PRESS_CONFERENCE_CITY),
    ],
)
def test_a_verb_of_the_question_before_the_answer_does_not_change_its_part(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("captured in the Lysychansk area", LYSYCHANSK),
        ("held in Kyiv", PRESS_CONFERENCE_CITY),
        ("arrested Okhlopkov", ARRESTED),  # "which activist was arrested": the one acted on
        ("creating a demilitarised zone", ZONE),  # "what did they aim at creating"
        ("the Russian agency FSB", FSB_ASKED_TWICE),  # what it asks for
    ],
)
def test_a_verb_of_the_question_stands_before_the_answer_in_its_part(text, question):
    assert right(text, question)


REPEL = {
    "answer": "repel the Russian invasion of Ukraine",
    "accepted": ["repel the Russian invasion", "repel the invasion"],
    "prompt": "The Legion's stated goals are to {{c1::repel the Russian invasion of Ukraine}} and "
    "ultimately depose the silovik regime of Vladimir Putin.",
}


@pytest.mark.parametrize("text", ["Russia repel the invasion", "Russian repel invasion"])
def test_a_forms_country_does_not_move_across_what_the_form_says(text):
    assert not right(text, REPEL)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("repel Russia's invasion of Ukraine", REPEL),
        ("repel the Russian invasion", REPEL),
        ("FSB of Russia", FSB_ASKED_TWICE),
        ("Russia's FSB", FSB_ASKED_TWICE),
    ],
)
def test_a_country_still_moves_within_a_name_and_in_the_learners_answer(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("defeat to the side of the enemy", "defect to the side of the enemy"),
        ("waiting to join the Legion", "wanting to join the Legion"),
        ("detectors", "defectors"),
        ("Farmer POWs", "former POWs"),
        ("terrorism", "terrorist"),
    ],
)
def test_a_slip_that_makes_another_english_word_is_that_word(text, answer):
    assert not grade(text, answer=answer).correct


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("defekt to the side of the enemy", "defect to the side of the enemy"),
        ("physiotherapyst", "physiotherapist"),
        ("Clark", "Michael Clarke"),  # a name's other spelling, an English word too
    ],
)
def test_a_slip_that_makes_no_english_word_or_is_in_a_name_is_forgiven(text, answer):
    assert grade(text, answer=answer, accepted=["Clarke"]).correct


@pytest.mark.parametrize(
    ("text", "answer", "longer"),
    [
        ("Telegram chanel", "Telegram", "Telegram channel"),
        ("telegram chanel", "Telegram", "Telegram channel"),
        (
            "a demilitarised zone along the boarder",
            "a demilitarised zone",
            "a demilitarised zone along the border",
        ),
    ],
)
def test_a_slip_onto_an_english_word_after_what_is_right_alone_is_forgiven(text, answer, longer):
    """A form's words after a shorter right form's describe it: "chanel" there is "channel"
    misspelt, since "Telegram" alone is right."""
    assert grade(text, answer=answer, accepted=[longer]).correct


@pytest.mark.parametrize(
    ("text", "answer", "longer"),
    [
        # A word before says what it is: "farmer" is no slip of "former".
        ("farmer physiotherapist", "physiotherapist", "former physiotherapist"),
        # Nor after it where another form has it before ("battle of Bakhmut").
        ("bottle of Bakhmut", "Bakhmut", "Bakhmut battle"),
        ("Bakhmut bottle", "Bakhmut", "Bakhmut battle"),
        # A country is never a slip of another (nor "Prussian" of "Russian").
        (
            "rebellion against the Prussian government",
            "rebellion",
            "rebellion against the Russian government",
        ),
        # Nor does the answer's own word gain it.
        ("detectors", "defectors", "defectors of the army"),
    ],
)
def test_a_slip_onto_an_english_word_elsewhere_is_that_word(text, answer, longer):
    accepted = [longer, "battle of Bakhmut"] if answer == "Bakhmut" else [longer]
    assert not grade(text, answer=answer, accepted=accepted).correct


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("real fascist", "real fascists"),
        ("war criminals", "war criminal"),
        ("denies any link", "denied any link"),
        ("lie detectors", "lie detector"),
    ],
)
def test_the_same_word_with_another_ending_is_still_a_slip_forgiven(text, answer):
    assert grade(text, answer=answer).correct


@pytest.mark.parametrize(
    ("text", "answer", "accepted"),
    [
        ("mr ponomaryov", "Ilya Ponomaryov", ["Ponomaryov"]),
        ("dr volobuev", "Igor Volobuev", ["Volobuev"]),
    ],
)
def test_a_title_before_a_name_typed_in_lower_case_is_set_aside(text, answer, accepted):
    assert grade(text, answer=answer, accepted=accepted).correct
