"""The rules of issue 18, one class at a time: what a learner may write beside the form, and what
keeps a wrong answer wrong. Each right phrasing here was refused before these rules, and so were
the initials, slips and endings the review found accepted; the tests of wrong elements, other
countries and other numbers guard the looser rules (the old grader refused them too)."""

import pytest

from quizzes.rules.compare import compare
from quizzes.rules.grading import grade
from quizzes.rules.numerals import numeral
from quizzes.rules.verdicts import Rule
from tests.support.grading_questions import DENIED, GENEVA, MEN, verdict

FSB = {
    "answer": "FSB",
    "accepted": ["Federal Security Service", "Federal Security Service of Russia"],
    "prompt": "Which Russian agency reportedly arrested a man who had ties with the FRL?",
}
PUTIN = {"answer": "Vladimir Putin", "accepted": ["Putin"], "prompt": "Who signed the law?"}
CLARKE = {"answer": "Michael Clarke", "accepted": ["Clarke"], "prompt": "Which professor?"}
PENALTY = {
    "answer": "20 years",
    "accepted": ["up to 20 years"],
    "prompt": "Citizens who join can face up to how many years in jail?",
}
KURSK_CLOZE = {
    "answer": "Kursk",
    "accepted": ["Kursk Oblast"],
    "prompt": "On 12 March 2024, the legion conducted raids in {{c1::Kursk}} and Belgorod regions.",
}


@pytest.mark.parametrize(
    ("text", "answer"),
    [("F.S.B.", "FSB"), ("F S B", "FSB"), ("f. s. b.", "FSB"), ("R.T.", "RT"), ("K.C.L", "KCL")],
)
def test_a_dotted_or_spaced_abbreviation_is_the_abbreviation(text, answer):
    assert grade(text, answer=answer).correct
    assert grade(text, answer=answer).rule == Rule.ABBREVIATION


@pytest.mark.parametrize(
    ("text", "answer", "accepted"),
    [
        ("Caesar (Tsezar)", "Caesar", ["Tsezar"]),
        ("Tsezar [Caesar]", "Caesar", ["Tsezar"]),
        ("the Security Service of Ukraine (SBU)", "Security Service of Ukraine", ["SBU"]),
        ("Russian Volunteer Corps (RVC)", "Russian Volunteer Corps", []),
        ("King's College London (KCL)", "King's College London", []),
    ],
)
def test_a_right_answer_with_another_form_or_its_initials_in_brackets_is_right(
    text, answer, accepted
):
    found = grade(text, answer=answer, accepted=accepted)
    assert (found.correct, found.rule) == (True, Rule.BRACKETS)


@pytest.mark.parametrize(
    "text", ["Caesar (Brutus)", "Caesar (or Tsezar Brutus)", "Ponomarev (Ponomarenko)"]
)
def test_anything_else_in_brackets_is_a_second_answer(text):
    assert not grade(text, answer="Caesar", accepted=["Tsezar"]).correct
    assert not grade(text, answer="Ilya Ponomarev", accepted=["Ponomarev"]).correct


@pytest.mark.parametrize(
    "text",
    [
        "Russian Federal Security Service",
        "FSB of Russia",
        "Russia's FSB",
        "Federal Security Service of the Russian Federation",
        "the Russian Federation's Federal Security Service",
    ],
)
def test_an_official_name_in_its_other_order_or_with_its_country_is_right(text):
    assert verdict(text, FSB)[0]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Russia's Defense Ministry", "Ministry of Defence of Russia"),
        ("Russian Ministry of Defense", "Russia's Defence Ministry"),
        ("Supreme Court of the Russian Federation", "Supreme Court of Russia"),
        ("Russia-Ukraine war", "Russo-Ukrainian War"),
        ("the Ukraine-Russia war", "Russo-Ukrainian War"),
        ("Declaration of Irpin", "Irpin Declaration"),
        ("demilitarized zone", "demilitarised zone"),
        ("terrorist organization", "terrorist organisation"),
    ],
)
def test_spellings_and_the_orders_of_one_name_are_the_same_words(text, answer):
    assert grade(text, answer=answer).correct


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("repel the Ukrainian invasion of Russia", "repel the Russian invasion of Ukraine"),
        ("Russian International Legion", "Ukraine's International Legion"),
        ("flag of Russia", "flag of Ukraine"),
    ],
)
def test_a_country_put_for_another_is_wrong(text, answer):
    assert not grade(text, answer=answer, prompt="Freedom of Russia Legion").correct


@pytest.mark.parametrize(
    "text", ["up to twenty years", "twenty years", "20 years in prison", "20 years' imprisonment"]
)
def test_a_penalty_in_plain_words_is_right(text):
    assert verdict(text, PENALTY)[0]


@pytest.mark.parametrize("text", ["21 years", "twenty-one years", "up to 2 years", "200 years"])
def test_a_penalty_with_another_number_is_wrong(text):
    assert not verdict(text, PENALTY)[0]


# As the bank has it: a bare "20" is one of the forms.
PENALTY_TYPED = {
    "answer": "20 years",
    "accepted": ["20", "up to 20 years"],
    "prompt": "Russian citizens who defect can be imprisoned for up to how many years?",
}
DEFECTION_CLOZE = {
    "answer": "20 years",
    "accepted": ["20", "up to 20 years"],
    "prompt": "Russian citizens can be imprisoned for {{c1::up to 20 years}} if they defect to "
    "the side of the enemy.",
}
HUNDREDS = {
    "answer": "several hundred",
    "accepted": ["several hundred members"],
    "prompt": "How many members did the Legion's spokesperson say it had?",
}
VILLAGES_CLOZE = {
    "answer": "two villages",
    "accepted": ["two", "2 villages"],
    "prompt": "The legion conducted raids and claimed to control {{c1::two villages}}.",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("20 citizens", PENALTY_TYPED),
        ("up to 20 citizens", PENALTY_TYPED),
        ("20 of the citizens", PENALTY_TYPED),
        ("citizens: 20", PENALTY_TYPED),
        ("20 Russian years", DEFECTION_CLOZE),
        ("20 enemy years", DEFECTION_CLOZE),
        ("3 balaclavas", MEN),
        ("three of the balaclavas", MEN),
        ("balaclavas: three", MEN),
        ("three fatigues", MEN),
        ("several hundred spokesperson", HUNDREDS),
    ],
)
def test_a_prompt_word_beside_the_number_counts_something_else(text, question):
    # The prompt says each word, but the right number of citizens, balaclavas or Russians is
    # not the answer.
    assert not verdict(text, question)[0]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("20 years in jail", PENALTY),
        ("20-year", PENALTY_TYPED),
        ("a 20-year term", PENALTY_TYPED),
        ("20 in prison", PENALTY_TYPED),
        ("20 years in a Russian prison", DEFECTION_CLOZE),
        ("up to 20 years if they defect", DEFECTION_CLOZE),
        ("3 men", MEN),
        ("three men in balaclavas", MEN),
        ("3 in military fatigues", MEN),
        ("several hundred members", HUNDREDS),
        ("claimed two villages", VILLAGES_CLOZE),
    ],
)
def test_what_the_number_counts_may_follow_it_then_the_prompts_words(text, question):
    assert verdict(text, question)[0]


# A made-up form with a word before its figure that names nothing.
AROUND = {
    "answer": "300",
    "accepted": ["Around 300"],
    "prompt": "How many members did the Legion's spokesperson say it had?",
}
DESIGNATED = {
    "answer": "March 2023",
    "accepted": ["Mar 2023"],
    "prompt": "In which month and year did the Supreme Court declare the Legion a terrorist group?",
}


@pytest.mark.parametrize(
    "text",
    [
        "Article 23 of the Geneva Convention",
        "article 23 of the Geneva Convention",
        "Art. 23 of the Geneva Convention",
        "Article 23, Geneva Convention",
    ],
)
def test_a_number_that_names_is_placed_by_the_questions_words(text):
    """ "Article 23" names an article, it counts nothing: the question's words after it say
    which convention, as they may after any answer."""
    assert verdict(text, GENEVA)[0]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Article 24 of the Geneva Convention", GENEVA),
        ("Article 23 of the Hague Convention", GENEVA),
        ("Article 23 combat", GENEVA),
        ("Article 23 POWs", GENEVA),
        ("23 POWs", GENEVA),
        ("several hundred of members", HUNDREDS),
        ("several hundred spokesperson", HUNDREDS),
        ("March 2023 terrorist", DESIGNATED),
        ("Article 23 article", GENEVA),
        ("Around 300 spokesperson", AROUND),
        ("around 300 spokesperson", AROUND),
    ],
)
def test_only_a_named_number_in_figures_after_its_name_is_placed(text, question):
    # A count ("several hundred") or a date's year is no name: its words stay as they were.
    assert not verdict(text, question)[0]


def test_a_how_many_prompt_counts_its_noun_not_its_country():
    ask = "How many Russian soldiers crossed with the commander?"
    assert grade("20 soldiers", answer="20", prompt=ask).correct
    assert not grade("20 Russian", answer="20", prompt=ask).correct


def test_prison_words_are_filler_only_where_the_answer_is_a_prison_term():
    ask = "On what date did Putin sign the law? One can be imprisoned for up to 20 years."
    assert not grade("up to 14 July 2022", answer="14 July 2022", prompt=ask).correct
    assert grade("up to 20 years in prison", answer="20 years", prompt=ask).correct


@pytest.mark.parametrize("text", ["up to two years", "two years in prison", "two years in jail"])
def test_years_that_are_no_prison_term_take_no_prison_words(text):
    # Only a prompt (or form) that speaks of prison makes a number of years a prison term.
    ask = "How long had the company fought before it crossed?"
    assert grade("two years", answer="two years", prompt=ask).correct
    assert not grade(text, answer="two years", prompt=ask).correct


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("one-two", "three"),
        ("one, two", "three"),
        ("zero three", "three"),
        ("one one", "two"),
        ("ten ten years", "20 years"),
        ("fifteen five years", "20 years"),
        ("nineteen one years", "20 years"),
        ("Article three twenty", "Article 23"),
        ("Article ten thirteen", "Article 23"),
        ("Article twenty two one", "Article 23"),
        ("one one villages", "two villages"),
    ],
)
def test_number_words_that_are_not_one_numeral_are_not_added_up(text, answer):
    """An outside audit found any run of number words summed: "one-two" passed for three."""
    assert not grade(text, answer=answer).correct


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("twenty three", 23),
        ("two hundred five", 205),
        ("one hundred twenty three", 123),
        ("five thousand two hundred", 5200),
        ("nineteen hundred", 1900),
        ("twelve hundred five", 1205),
        ("zero", 0),
        ("one two", None),
        ("three twenty", None),
        ("hundred", None),
        ("two hundred zero", None),
    ],
)
def test_a_numeral_is_read_by_englishs_grammar(words, number):
    assert numeral(words.split()) == number


def test_numbers_in_words_are_numbers():
    assert grade("article twenty-three", answer="Article 23").rule == Rule.SAME_NUMBER
    assert grade("Twenty Three", answer="23").correct
    assert grade("three men", answer="3 men").correct
    assert not grade("article thirty-two", answer="Article 23").correct
    assert not grade("article twenty", answer="Article 23").correct


REGION_ASKED = "In which Russian region did the Legion raid a village?"
REGIONS = "Which two Russian regions did the Legion raid on 12 March 2024?"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Ukrainian intelligence services", {"answer": "Ukrainian intelligence", "accepted": []}),
        # A place's kind the question says (a region and an oblast alike).
        ("Kursk region", {"answer": "Kursk", "accepted": [], "prompt": REGION_ASKED}),
        ("Kursk Oblast", {"answer": "Kursk", "accepted": [], "prompt": REGION_ASKED}),
        ("the Kursk and Belgorod regions", {"answer": "Kursk and Belgorod", "prompt": REGIONS}),
        ("Belgorod Oblast", {"answer": "Belgorod region", "prompt": "Raids into which region?"}),
        ("20 years in jail", {"answer": "20 years", "accepted": [], "prompt": "imprisoned?"}),
        ("FSB of Russia", FSB),
        ("Telegram channel", {"answer": "Telegram", "prompt": "On which channel?"}),
    ],
)
def test_words_the_question_already_says_may_stand_around_a_right_answer(text, question):
    question = {"accepted": [], "prompt": "", **question}
    assert verdict(text, question)[0]


@pytest.mark.parametrize(
    ("text", "answer", "prompt"),
    [
        # An outside review found each right: a city's region is not the city, a district is
        # not a region.
        ("Kyiv Oblast", "Kyiv", "In which city was the press conference held?"),
        ("Moscow region", "Moscow", "A march on which city?"),
        ("Belgorod district", "Belgorod region", "Raids into which region of Russia?"),
        # A kind in a name the prompt gives is that place's, not the answer's.
        ("Shebekino Oblast", "Shebekino", "A raid into which area of Belgorod Oblast?"),
    ],
)
def test_a_kind_of_place_the_question_does_not_say_is_not_added(text, answer, prompt):
    assert not grade(text, answer=answer, prompt=prompt).correct


@pytest.mark.parametrize(
    "text",
    [
        "Kursk and Bryansk",
        "Kursk or Bryansk",
        "Kursk/Bryansk",
        "Kursk & Bryansk",
        "not Kursk",
        "neither Kursk",
        "Kursk and Belgorod",  # both named in the sentence, but the blank holds one
        "Kursk Belgorod",
        "Kursk Moscow",
    ],
)
def test_a_right_answer_with_a_wrong_element_or_another_name_stays_wrong(text):
    assert not verdict(text, KURSK_CLOZE)[0]


def test_a_right_answer_with_unrelated_words_stays_wrong():
    assert not verdict("Michael Clarke footballer", CLARKE)[0]
    assert not verdict("FSB headquarters", FSB)[0]
    assert not grade("two years", answer="two", prompt="How many battalions?").correct


FLAG_CLOZE = {
    "answer": "white-blue-white",
    "accepted": ["white-blue-white flag"],
    "prompt": "The Legion uses the {{c1::white-blue-white}} flag instead of the official "
    "white-blue-red flag of Russia.",
}
PATRIOT = {
    "answer": "patriot",
    "accepted": ["a patriot"],
    "prompt": "Complete the statement by the Legion's spokesperson Caesar: \"I'm not a traitor. "
    "I'm a true Russian ___ who thinks about the future of my country.\"",
}
SPOKESPERSON_CLOZE = {
    "answer": "Caesar",
    "accepted": [],
    "prompt": "The Legion issued a statement. {{c1::Caesar}} said it had several hundred members.",
}
COMPANY_CLOZE = {
    "answer": "company",
    "accepted": [],
    "prompt": "The first {{c1::company}} of the Russian army went over to the Ukrainian side.",
}
DEFECTORS_CLOZE = {
    "answer": "defectors",
    "accepted": [],
    "prompt": "It consists of {{c1::defectors}} from the Russian Armed Forces, and other Russian "
    "volunteers, some of whom had emigrated to Ukraine.",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # A word of the prompt between the answer's own words makes another answer.
        ("white-blue-red-white", FLAG_CLOZE),
        ("white red blue white", FLAG_CLOZE),
        # Around a blank, a prompt word comes from its own side of it, in its own sentence.
        ("traitor patriot", PATRIOT),
        ("statement Caesar", SPOKESPERSON_CLOZE),
        ("official white-blue-white", FLAG_CLOZE),
        # A prompt naming two countries does not say which the fact is about; around a blank,
        # a country comes from its side of it.
        ("Ukrainian defectors", DEFECTORS_CLOZE),
        ("Russian defectors", DEFECTORS_CLOZE),
        ("Ukrainian company", COMPANY_CLOZE),
        # A part of a hyphened word of the prompt is no word it says.
        ("white blue white red flag", FLAG_CLOZE),
        ("white-blue-white red", FLAG_CLOZE),
    ],
)
def test_a_prompt_word_that_changes_the_answer_is_not_taken_as_added(text, question):
    assert not verdict(text, question)[0]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("the white-blue-white flag", FLAG_CLOZE),
        ("a true Russian patriot", PATRIOT),
        ("true patriot who thinks", PATRIOT),
        ("Kursk region", KURSK_CLOZE),
        ("raids in Kursk", KURSK_CLOZE),
        ("a company of the Russian army", COMPANY_CLOZE),
    ],
)
def test_a_prompt_word_from_its_own_side_of_the_blank_is_still_added(text, question):
    assert verdict(text, question)[0]


PHYSIOTHERAPIST_CLOZE = {
    "answer": "physiotherapist",
    "accepted": ["a physiotherapist"],
    "prompt": "He identifies himself as the Legion's deputy commander, and a former "
    "{{c1::physiotherapist}} from Saint Petersburg.",
}
PONOMAREV_CLOZE = {
    "answer": "Ponomarev",
    "accepted": ["Ilya Ponomarev"],
    "prompt": "{{c1::Ponomarev}} said that the RVC had signed the declaration, but the RVC denied "
    "that it had signed on.",
}
VOLOBUYEV_CLOZE = {
    "answer": "Igor Volobuyev",
    "accepted": ["Volobuyev"],
    "prompt": "On 11 June, it became known that {{c1::Igor Volobuyev}} [uk], the Ukrainian-born "
    "ex-vice-chairman of Gazprombank, who left Russia at the outbreak of the invasion, had "
    "joined the Freedom of Russia Legion.",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # Each word is on the blank's side of its sentence, but far from it: put beside the
        # answer, it says something the sentence does not (an outside review found each right).
        ("deputy physiotherapist", PHYSIOTHERAPIST_CLOZE),
        ("former deputy physiotherapist", PHYSIOTHERAPIST_CLOZE),
        ("Ponomarev denied", PONOMAREV_CLOZE),
        ("Ponomarev signed the declaration", PONOMAREV_CLOZE),
        ("Igor Volobuyev who left", VOLOBUYEV_CLOZE),
    ],
)
def test_a_prompt_word_far_from_the_blank_is_not_taken_as_added(text, question):
    assert not verdict(text, question)[0]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("a former physiotherapist", PHYSIOTHERAPIST_CLOZE),
        ("former physiotherapist", PHYSIOTHERAPIST_CLOZE),
        ("Ponomarev said", PONOMAREV_CLOZE),
    ],
)
def test_a_prompt_word_near_the_blank_is_still_added(text, question):
    assert verdict(text, question)[0]


def test_a_question_reads_its_answer_where_its_words_that_ask_stand():
    # "Okhlopkov denied any link" turns who denied round (an outside review found it right).
    assert not verdict("Okhlopkov denied any link", DENIED)[0]
    assert not verdict("Okhlopkov denied", DENIED)[0]
    # The words before "which" come before the answer; those after it on either side.
    assert verdict("denied any link with Okhlopkov", DENIED)[0]
    assert verdict("activist Okhlopkov", DENIED)[0]
    assert verdict("Okhlopkov, an activist", DENIED)[0]
    ask = "In which month and year was the Legion formed?"
    assert grade("formed in March 2022", answer="March 2022", prompt=ask).correct


FLAG = {
    "answer": "white-blue-white flag",
    "accepted": ["white-blue-white", "the white-blue-white flag"],
    "prompt": "Which flag does the Legion use instead of the official flag of Russia?",
}


@pytest.mark.parametrize(
    "text", ["official white-blue-white flag", "white-blue-white, the official flag of Russia"]
)
def test_a_word_of_a_clause_set_against_the_answer_is_not_added(text):
    # "official" is the red flag's (an outside review found both right).
    assert not verdict(text, FLAG)[0]


def test_the_other_words_of_such_a_prompt_are_still_added():
    assert verdict("use the white-blue-white flag", FLAG)[0]


def test_a_country_is_filler_only_where_the_question_names_it():
    ask = "What does the Legion wear on its right sleeve?"
    assert not grade("flag", answer="the flag of Ukraine", prompt=ask).correct
    assert grade("flag", answer="the flag of Ukraine", prompt="Ukraine's what?").correct
    assert not grade("Volunteer Corps", answer="Russian Volunteer Corps").correct


@pytest.mark.parametrize(
    ("text", "question"),
    [("V. Putin", PUTIN), ("V Putin", PUTIN), ("M. Clarke", CLARKE), ("M Clarke", CLARKE)],
)
def test_an_initial_that_is_the_first_names_is_right(text, question):
    assert verdict(text, question)[0]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("A. Putin", PUTIN),
        ("A Putin", PUTIN),
        ("An Putin", PUTIN),
        ("a putin", PUTIN),
        ("A. Clarke", CLARKE),
        ("B. Putin", PUTIN),
        ("V.", PUTIN),
        ("Putin V.", PUTIN),
    ],
)
def test_a_letter_before_a_name_is_an_initial_that_must_match_never_an_article(text, question):
    assert not verdict(text, question)[0]


def test_an_article_before_a_common_word_is_still_an_article():
    assert grade("a physiotherapist", answer="physiotherapist").correct
    assert grade("an ultranationalist", answer="ultranationalist").correct


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Free Russia Legon", "Free Russia Legion"),
        ("Russain Volunteer Corps", "Russian Volunteer Corps"),
        ("Russia Volunteer Corps", "Russian Volunteer Corps"),
        ("Ukrainain intelligence", "Ukrainian intelligence"),
        ("Ukrainians' intelligence", "Ukrainian intelligence"),
        ("Freedom of Russia Legoin", "Freedom of Russia Legion"),
        ("Michal Clarke", "Michael Clarke"),
        ("Nikolai Okhlopkof", "Nikolay Okhlopkov"),  # one slip in each long word
    ],
)
def test_a_slip_in_a_long_word_of_a_name_is_forgiven_even_in_a_common_name(text, answer):
    assert grade(text, answer=answer).correct


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("physiotherapyst", "physiotherapist"),
        ("phisiotherapist", "physiotherapist"),
        ("propoganda", "propaganda"),
        ("two batalions", "two battalions"),
        ("unconfimed", "unconfirmed"),
    ],
)
def test_a_slip_in_a_long_ordinary_word_is_forgiven(text, answer):
    # Learners misspell ordinary words as they do names; the blind phrasings counted these right.
    assert grade(text, answer=answer).rule == Rule.SLIP


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("hundred", "hundreds"),  # both words of the article: "hundred" says something else
        ("Lehion", "Legion"),  # the article's romanisation is a word of its own
        ("phisiotherapyst", "physiotherapist"),  # two slips in one word
    ],
)
def test_a_word_of_the_article_or_two_slips_are_no_slip(text, answer):
    assert not grade(text, answer=answer).correct


@pytest.mark.parametrize(
    ("text", "answer", "accepted"),
    [
        ("Supreme Court of Prussia", "Supreme Court of Russia", ["Russian Supreme Court"]),
        (
            "Federal Security Service of Prussia",
            "FSB",
            ["Federal Security Service of Russia", "Russian FSB"],
        ),
        ("Lussian Volunteer Corps", "Russian Volunteer Corps", []),
        ("Ponomareva", "Ilya Ponomarev", ["Ponomarev"]),
        ("Ilya Ponomareva", "Ilya Ponomarev", ["Ponomarev"]),
        ("Nikolay Okhlopkova", "Nikolay Okhlopkov", ["Okhlopkov"]),
        ("Ponomarev", "Ponomareva", []),
        ("Article 28", "Article 23", []),
        ("Article 223", "Article 23", []),
    ],
)
def test_a_slip_never_changes_a_first_letter_a_number_or_a_gendered_ending(text, answer, accepted):
    # "Prussia" is no name of the article, so only the first-letter rule refuses it.
    assert not grade(text, answer=answer, accepted=accepted).correct


def test_an_answer_far_too_long_is_wrong_without_being_read():
    assert not grade("Putin " * 100, answer="Putin").correct


def test_the_rules_have_learner_facing_labels():
    assert all(rule.why.endswith(".") for rule in Rule)
    assert Rule.SLIP == "one slip forgiven"
    assert Rule.SAME_DATE == "same date"
    assert grade("1 June 2023", answer="June 1, 2023").rule == Rule.SAME_DATE
    assert grade("Legoin", answer="Legion").rule == Rule.SLIP
    assert verdict("Federal Security Service of Russia", FSB)[1] == Rule.SAME_WORDS


def test_initials_with_dots_before_a_name_are_initials_not_an_abbreviation():
    full = ["Vladimir Vladimirovich Putin", "Putin"]  # an initial only where "Putin" is right
    assert grade("V.V. Putin", answer="Vladimir Putin", accepted=full).correct
    assert grade("V. V. Putin", answer="Vladimir Putin", accepted=full).correct
    assert not grade("A.V. Putin", answer="Vladimir Putin", accepted=full).correct


def test_and_between_two_words_of_the_answer_joins_them():
    assert grade("white, blue and white flag", answer="white-blue-white flag").rule == (
        Rule.SAME_WORDS
    )
    assert not grade("Kursk and Belgorod and Bryansk", answer="Kursk and Belgorod").correct


def test_and_after_a_word_of_the_prompt_adds_a_second_answer():
    """A word the question says, "and", then the answer: two answers, though the form's article,
    which the learner may leave out, stood between them (found by the grading properties)."""
    ask = "According to the company commander, with whose help did his company cross?"
    answer = "the Security Service of Ukraine"
    assert (
        grade("company and Security Service of Ukraine", answer=answer, prompt=ask).correct is False
    )
    assert (
        grade("company and the Security Service of Ukraine", answer=answer, prompt=ask).correct
        is False
    )
    assert grade(
        "with the help of the Security Service of Ukraine", answer=answer, prompt=ask
    ).correct


def test_a_word_that_starts_the_prompt_is_a_word_of_it_not_a_name():
    ask = "In which month and year was the Legion formed?"
    assert grade("formed in March 2022", answer="March 2022", prompt=ask).correct
    assert grade("in March 2022", answer="March 2022").rule == Rule.SAME_DATE


@pytest.mark.parametrize(
    "text",
    ["Ponomarev\u0430", "Ponomarev\u03b1", "Okhlopkov\u0430", "Mrs Ponomarev", "Ms Ponomarev"],
)
def test_a_womans_form_of_a_mans_name_stays_wrong_however_it_is_typed(text):
    """An outside audit passed "Ponomareva" with a Cyrillic last letter as "one slip forgiven",
    and "Mrs Ponomarev" as the same words (the article names no woman)."""
    assert not grade(text, answer="Ponomarev", accepted=["Ilya Ponomarev"]).correct


def test_a_latin_letter_typed_on_a_cyrillic_keyboard_is_read_as_latin():
    assert grade("P\u043enomarev", answer="Ponomarev").correct
    # The letter-by-letter comparison reads it as the grader does: no letter marked wrong.
    assert compare("P\u043enomarev", "Ponomarev").identical
    assert grade("Mr Ponomarev", answer="Ponomarev").correct


@pytest.mark.parametrize(
    ("text", "correct"),
    [
        ("Kursk and Belgorod", True),
        ("Russia's Kursk and Belgorod", True),
        ("Kursk and Belgorod, Russia", True),
        ("Kursk and Russian Belgorod", False),
        ("Kursk and Ukrainian Belgorod", False),
        ("Ukrainian Kursk and Belgorod", False),
        # The prompt's country given with every name is said once, before the list.
        ("Kursk, Russia and Belgorod, Russia", True),
        ("Russian Kursk and Russian Belgorod", True),
        ("Kursk region of Russia and Belgorod region of Russia", True),
        ("Kursk Oblast, Russia and Belgorod Oblast, Russia", True),
        ("Kursk, Russia and Belgorod, Ukraine", False),
        ("Ukrainian Kursk and Ukrainian Belgorod", False),
    ],
)
def test_the_country_the_prompt_names_stands_before_or_after_the_answer_not_within(text, correct):
    # A country moves only within one name of a list: "Russian Belgorod" is not read as
    # "Russian Kursk and Belgorod", where the prompt's country would add nothing.
    prompt = "In which two Russian regions did the Legion conduct raids on 12 March 2024?"
    assert grade(text, answer="Kursk and Belgorod", prompt=prompt).correct is correct


@pytest.mark.parametrize(
    ("text", "correct"),
    [
        ("the Russian Volunteer Corps and the Russian Sibir Battalion", True),
        ("the Volunteer Corps of Russia and the Sibir Battalion", True),
        ("the Russian Volunteer Corps and the Ukrainian Sibir Battalion", False),
    ],
)
def test_the_country_an_answer_names_may_stand_within_it(text, correct):
    answer = "The Russian Volunteer Corps and the Sibir Battalion"
    assert grade(text, answer=answer, prompt="Alongside whom?").correct is correct


def test_a_country_of_a_cloze_sentence_stands_on_its_own_side_within_the_answer_too():
    prompt = (
        "The Moscow Times also cited the report in {{c1::Harper's Magazine}} which said Ukraine…"
    )
    assert grade("Harper's Magazine", answer="Harper's Magazine", prompt=prompt).correct
    assert not grade(
        "Harper's Ukrainian Magazine", answer="Harper's Magazine", prompt=prompt
    ).correct
