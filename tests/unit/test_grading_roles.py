"""Who did what: a question's verb written right after the answer says the answer did it. Where
the question has it done to the answer ("Which activist was arrested?") or by someone else ("…
because the authorities accused him"), "Okhlopkov arrested the authorities" is false, as is
"Telegram was created" where the question says the channel was created on it. The same verb with
no object after it ("Okhlopkov arrested on 22 June") is the news of it, and the answer's own verbs
stay right ("the FSB arrested a man")."""

import pytest

from quizzes.rules.prompt_roles import answer_roles
from tests.support.grading_questions import (
    ARRESTED,
    CLARKE_COMMENTED,
    FSB_ASKED_TWICE,
    LYSYCHANSK,
    PONOMAREV,
    PRESS_CONFERENCE_CITY,
    PUTIN,
    right,
)

PLATFORM = {
    "answer": "Telegram",
    "accepted": ["Telegram channel"],
    "prompt": "On which platform was the Legion's official channel created on 10 March 2022?",
}
OFFENCE = {
    "answer": "defect to the side of the enemy",
    "accepted": [],
    "prompt": "On 14 July 2022, Putin signed a new law, under which Russian citizens can be "
    'imprisoned for up to 20 years if they "{{c1::defect to the side of the enemy}} during an '
    'armed conflict or hostilities".',
}
NAME = {
    "answer": "Free Russia Legion",
    "accepted": ["the Free Russia Legion"],
    "prompt": 'Apart from "Freedom of Russia Legion", what other English name does the '
    "article's opening sentence say the unit is also called?",
}
PENALTY = {
    "answer": "up to 20 years",
    "accepted": ["20 years"],
    "prompt": 'Under the law Putin signed on 14 July 2022, Russian citizens who "defect to the '
    'side of the enemy during an armed conflict or hostilities" can be imprisoned for up to how '
    "many years?",
}
DECLARATION = {
    "answer": "Irpin Declaration",
    "accepted": ["the Irpin Declaration"],
    "prompt": "What is the name of the declaration of cooperation among armed anti-Putin Russian "
    "forces that the Legion signed in August 2022?",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Okhlopkov arrested the authorities", ARRESTED),
        ("okhlopkov arrested authorities", ARRESTED),
        ("Okhlopkov accused the authorities", ARRESTED),
        ("Okhlopkov accused him", ARRESTED),
        ("Nikolay Okhlopkov accused the authorities", ARRESTED),
        ("Telegram was created", PLATFORM),
        ("telegram was created on 10 March 2022", PLATFORM),
        # What the question says the answer is, between it and the verb, changes nothing.
        ("Okhlopkov the activist arrested the authorities", ARRESTED),
        ("Okhlopkov, Russian anti-war activist, accused the authorities", ARRESTED),
        ("Nikolay Okhlopkov (activist) arrested the authorities", ARRESTED),
        ("Telegram platform was created", PLATFORM),
        # Another agreed to create it; after "to", nothing is done to the one who agrees.
        ("Ponomarev agreed to create the political wing", PONOMAREV),
        ("Ponomarev, MP, agreed to create the political wing", PONOMAREV),
        ("Ponomarev agreed", PONOMAREV),
        # The question's "was" far before its verb: the press conference was held.
        ("Kyiv was held", PRESS_CONFERENCE_CITY),
        # With nothing after it, a verb done to another still says the answer was: the channel
        # was created, a POW was captured.
        ("Telegram created", PLATFORM),
        ("Telegram, created", PLATFORM),
        ("Lysychansk captured", LYSYCHANSK),
        # Whatever marks or prompt words stand between the answer and the verb.
        ("Okhlopkov -- accused the authorities", ARRESTED),
        ("Okhlopkov... accused the authorities", ARRESTED),
        ("Okhlopkov [activist] accused the authorities", ARRESTED),
        ("Okhlopkov; accused the authorities", ARRESTED),
        ("Okhlopkov was arrested, accused the authorities", ARRESTED),
        ("Okhlopkov of Russia accused the authorities", ARRESTED),
        ("Ponomarev... agreed", PONOMAREV),
        # A country's word before a body is the verb's object, not what the answer is.
        ("Okhlopkov accused Russian authorities", ARRESTED),
        ("Okhlopkov arrested Russia's authorities", ARRESTED),
        # After an article a past is an adjective, and hides no verb after the answer.
        ("the accused Okhlopkov arrested the authorities", ARRESTED),
        # Quoted, what follows the verb is still its object.
        ('Okhlopkov accused "the authorities"', ARRESTED),
        ("Okhlopkov accused ‘the authorities’", ARRESTED),
    ],
)
def test_the_answer_made_the_doer_of_what_was_done_to_it_or_by_another_is_wrong(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Okhlopkov", ARRESTED),
        ("Okhlopkov was arrested", ARRESTED),
        ("Okhlopkov was accused", ARRESTED),
        ("Okhlopkov arrested", ARRESTED),
        ("the authorities arrested Okhlopkov", ARRESTED),
        ("Okhlopkov arrested because the authorities accused him", ARRESTED),
        ("on Telegram", PLATFORM),
        ("the channel was created on Telegram", PLATFORM),
        ("Telegram, the channel was created", PLATFORM),
        ("Telegram channel was created", PLATFORM),
        ("the FSB arrested a man", FSB_ASKED_TWICE),
        ("FSB reportedly arrested a man", FSB_ASKED_TWICE),
        ("Putin signed the law", PUTIN),
        # A new clause after the verb, or a word of what the answer is: no object of it.
        ("Okhlopkov arrested; the authorities accused him", ARRESTED),
        ("Okhlopkov arrested, the authorities accused him", ARRESTED),
        ("Okhlopkov arrested (the authorities accused him)", ARRESTED),
        ("Okhlopkov, arrested activist", ARRESTED),
        ("Okhlopkov, the arrested anti-war activist", ARRESTED),
        ("Okhlopkov, the authorities arrested him", ARRESTED),
        # A capitalised word of what it asks for ("English name") is a word it says.
        (
            "FRL, the English abbreviation",
            {
                "answer": "FRL",
                "prompt": "What English abbreviation of the Legion's name does the article give?",
            },
        ),
        # What a passive names may be the answer itself ("is also called ___").
        ("Free Russia Legion called", NAME),
        # Who the question says was acted on may be written before the verb.
        ("the Telegram channel was created", PLATFORM),
        ("Ponomarev was to lead the political wing", PONOMAREV),
        # After an article, a past is an adjective; a country word after it says what one is.
        ("Okhlopkov, the arrested Russian activist", ARRESTED),
        ("Okhlopkov, arrested Russian anti-war activist", ARRESTED),
        # Done to him: the authorities accused him.
        ("Okhlopkov accused", ARRESTED),
        # The answer what another's verb acts on: they accused him too.
        ("the authorities arrested Okhlopkov, accused him", ARRESTED),
        # A prison term's words say nothing of who acts.
        ("20 years imprisoned", PENALTY),
        # The verb's object left unsaid is the answer: "the declaration that the Legion signed".
        ("Irpin Declaration signed", DECLARATION),
        # An adjective of the prompt is no verb ("an armed conflict").
        ("defect to the side of the enemy, armed conflict", OFFENCE),
        ("Michael Clarke commented", CLARKE_COMMENTED),
    ],
)
def test_the_answer_doing_what_it_does_or_with_what_is_done_to_it_is_right(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    ("prompt", "others", "acts", "passives"),
    [
        (ARRESTED["prompt"], {"arrested", "accused"}, set(), set()),
        (PLATFORM["prompt"], {"created"}, set(), {"created"}),
        (FSB_ASKED_TWICE["prompt"], set(), {"arrested"}, set()),
        (CLARKE_COMMENTED["prompt"], set(), {"commented"}, set()),
        (PUTIN["prompt"], {"imprisoned"}, {"signed"}, {"imprisoned"}),
        # After a blank, its own verb; before "by" and it, the verb it does.
        (
            "The Legion's spokesperson {{c1::Caesar}} said in December 2022 that",
            set(),
            {"said"},
            set(),
        ),
        (
            "a political wing, led by {{c1::Ilya Ponomarev}}, a former Russian MP.",
            set(),
            {"led"},
            set(),
        ),
        (
            "{{c1::Ponomarev}} said that the RVC had signed the declaration, but the RVC denied "
            "that it had signed on.",
            {"signed", "denied"},
            {"said"},
            set(),
        ),
        # Who did it is unsaid after a comma or a relative word: "Volobuyev joined the Legion"
        # and "Volobuyev left Russia" stay open.
        (
            "On 11 June, it became known that {{c1::Igor Volobuyev}} [uk], the Ukrainian-born "
            "ex-vice-chairman of Gazprombank, who left Russia at the outbreak of the invasion, had "
            "joined the Freedom of Russia Legion.",
            set(),
            set(),
            set(),
        ),
        # A name's word or a number's is no verb; a word in "-ly" may be no adverb.
        (
            "Which reporter for the United Press commented on the Legion?",
            set(),
            {"commented"},
            set(),
        ),
        ("The Legion had several hundred members, ___ said.", set(), {"said"}, set()),
        ("Which writer from Italy described the group?", set(), {"described"}, set()),
        # Another sentence's verbs are not the answer's: "Who was he?" asks who joined.
        (
            "On 11 June, it became known that a Ukrainian-born ex-vice-chairman of Gazprombank "
            "had joined the Legion. Who was he?",
            set(),
            set(),
            set(),
        ),
    ],
)
def test_the_verbs_of_the_answers_sentence_by_who_does_them(prompt, others, acts, passives):
    roles = answer_roles(prompt)
    assert (roles.others, roles.acts, roles.passives) == (others, acts, passives)
