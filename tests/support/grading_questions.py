"""Questions of the bank as the grading tests state them (answer, accepted forms, prompt), for
those several test modules grade against; `right`, whether a text is graded right, and `verdict`,
that and the rule that accepted it."""

from quizzes.rules.grading import grade

REBELLION = {
    "answer": "rebellion",
    "accepted": ["a rebellion", "rebellion against the Russian government"],
    "prompt": "A spokesman for the Legion said their goals were to draw Russian troops away from "
    "other parts of the front, and to encourage {{c1::rebellion}} against the Russian "
    "government.",
}
LYSYCHANSK = {
    "answer": "Lysychansk",
    "accepted": ["Lysychansk area", "Lysychansk region"],
    "prompt": "In which area did the Legion say on 29 June that it had captured a Russian POW?",
}
MEN = {
    "answer": "three",
    "accepted": ["3", "three men"],
    "prompt": "How many men in military fatigues and black balaclavas held the press conference?",
}
# Which activist was arrested, and with which the Legion denied any link.
ARRESTED = {
    "answer": "Nikolay Okhlopkov",
    "accepted": ["Okhlopkov"],
    "prompt": "Which Russian anti-war activist was arrested on 22 June 2022 because the "
    'authorities accused him of "wanting to join the Legion"?',
}
PRESS_CONFERENCE_CITY = {
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
DENIED = {
    "answer": "Nikolay Okhlopkov",
    "accepted": ["Okhlopkov"],
    "prompt": "The Legion denied any link with which Russian anti-war activist from Yakutsk?",
}

PUTIN = {
    "answer": "Vladimir Putin",
    "accepted": ["Putin"],
    "prompt": 'Who signed the law of 14 July 2022 under which Russian citizens who "defect to the '
    'side of the enemy" can be imprisoned?',
}
PONOMAREV = {
    "answer": "Ilya Ponomarev",
    "accepted": ["Ponomarev"],
    "prompt": "Which former Russian MP was to lead the political wing that the Legion and the "
    "National Republican Army agreed to create?",
}
FSB_ASKED_TWICE = {
    "answer": "FSB",
    "accepted": ["the FSB", "Federal Security Service"],
    "prompt": "Which Russian agency reportedly arrested a man who had ties with the FRL on 15 "
    "March 2024?",
}
GENEVA = {
    "answer": "Article 23",
    "accepted": ["23", "Art. 23", "Article XXIII", "article 23"],
    "prompt": "According to the article, coercing POWs into combat would violate which article "
    "of the Geneva Convention on Prisoners of War?",
}
CLARKE_COMMENTED = {
    "answer": "Michael Clarke",
    "accepted": ["Clarke", "Professor Michael Clarke"],
    "prompt": "Which visiting professor of war studies at King's College London commented on "
    "the Legion and the Russian Volunteer Corps in May 2023?",
}


def right(text: str, question: dict) -> bool:
    """Whether `text` is graded right for `question` (its accepted forms and prompt optional)."""
    return grade(
        text,
        answer=question["answer"],
        accepted=question.get("accepted", ()),
        prompt=question.get("prompt", ""),
    ).correct


def verdict(text: str, question: dict) -> tuple[bool, str]:
    """Whether `text` is graded right for `question`, and by which rule ("" when wrong)."""
    found = grade(
        text,
        answer=question["answer"],
        accepted=question.get("accepted", ()),
        prompt=question.get("prompt", ""),
    )
    return found.correct, found.rule
