"""Who did what: a question's verb written right after the answer says the answer did it. Where
the question has it done to the answer ("Which activist was arrested?") or by someone else ("…
because the authorities accused him"), "Okhlopkov arrested the authorities" is false, as is
"Telegram was created" where the question says the channel was created on it. The same verb with
no object after it ("Okhlopkov arrested on 22 June") is the news of it, and the answer's own verbs
stay right ("the FSB arrested a man")."""

import pytest

from quizzes.rules.prompt_roles import answer_roles
from tests.support.grading_questions import ARRESTED, right

PLATFORM = {
    "answer": "Telegram",
    "accepted": ["Telegram channel"],
    "prompt": "On which platform was the Legion's official channel created on 10 March 2022?",
}
AGENCY = {
    "answer": "FSB",
    "accepted": ["the FSB", "Federal Security Service"],
    "prompt": "Which Russian agency reportedly arrested a man who had ties with the FRL on 15 "
    "March 2024?",
}
SIGNED = {
    "answer": "Vladimir Putin",
    "accepted": ["Putin"],
    "prompt": "Who signed the law of 14 July 2022 under which Russian citizens who "
    '"defect to the side of the enemy" can be imprisoned?',
}
COMMENTED = {
    "answer": "Michael Clarke",
    "accepted": ["Clarke"],
    "prompt": "Which visiting professor of war studies at King's College London commented on "
    "the Legion and the Russian Volunteer Corps in May 2023?",
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
        ("the FSB arrested a man", AGENCY),
        ("FSB reportedly arrested a man", AGENCY),
        ("Putin signed the law", SIGNED),
        ("Michael Clarke commented", COMMENTED),
    ],
)
def test_the_answer_doing_what_it_does_or_with_what_is_done_to_it_is_right(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    ("prompt", "others", "acts", "passives"),
    [
        (ARRESTED["prompt"], {"arrested", "accused"}, set(), set()),
        (PLATFORM["prompt"], {"created"}, set(), {"created"}),
        (AGENCY["prompt"], set(), {"arrested"}, set()),
        (COMMENTED["prompt"], set(), {"commented"}, set()),
        (SIGNED["prompt"], {"imprisoned"}, {"signed"}, {"imprisoned"}),
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
