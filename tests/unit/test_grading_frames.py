"""What a learner writes around an answer that says nothing more (`rules/answer_frames.py`): a
sentence about the question's subject, the question's own hedge, a number said twice, a word
split by a space or a hyphen, an abbreviation with its name, and a day in words. Each right
phrasing here was refused before; each wrong one guards the rule that lets the right through."""

import pytest

from quizzes.rules.answer_dates import days_in_figures, parse_date
from quizzes.rules.answer_frames import expanded, hedge_dropped, subject_dropped
from quizzes.rules.verdicts import Rule
from tests.support.grading_questions import PRESS_CONFERENCE_CITY, verdict

CHANNEL_DATE = {
    "answer": "10 March 2022",
    "accepted": ["March 10, 2022", "2022-03-10", "10th March 2022"],
    "prompt": "On what date was the Legion's official Telegram channel created?",
}
ARREST_DATE = {
    "answer": "22 June 2022",
    "accepted": ["June 22, 2022", "2022-06-22"],
    "prompt": "On what date was the Russian anti-war activist Nikolay Okhlopkov arrested?",
}
INTERNATIONAL_LEGION = {
    "answer": "Ukraine's International Legion",
    "accepted": ["International Legion", "International Legion of Ukraine"],
    "prompt": "The Freedom of Russia Legion is reportedly part of which larger Ukrainian "
    "formation?",
}
MEMBERS = {
    "answer": "several hundred",
    "accepted": ["several hundred members", "a few hundred"],
    "prompt": "How many members did the Legion's spokesperson Caesar say the Legion had in "
    "December 2022?",
}
BATTALIONS_CLOZE = {
    "answer": "two battalions",
    "accepted": ["2 battalions"],
    "prompt": "The group claims to be made up of {{c1::two battalions}}.",
}
TANK_DATE_CLOZE = {
    "answer": "1 June 2022",
    "accepted": ["June 1, 2022", "2022-06-01", "1st June 2022"],
    "prompt": "On {{c1::1 June 2022}}, the Legion's official Telegram (and YouTube) channel posted "
    "a video claiming to show a Russian tank being captured by the Legion.",
}
ABBREVIATION = {
    "answer": "FRL",
    "accepted": ["F.R.L."],
    "prompt": "What three-letter English abbreviation does the article give for the Freedom of "
    "Russia Legion?",
}
EXPANSION = {
    "answer": "Russian Volunteer Corps",
    "accepted": ["the Russian Volunteer Corps"],
    "prompt": "In the article, what does the abbreviation RVC stand for?",
}
PROFESSION_CLOZE = {
    "answer": "physiotherapist",
    "accepted": ["a physiotherapist", "physical therapist", "physio"],
    "prompt": "He identifies himself as the Legion's deputy commander, and a former "
    "{{c1::physiotherapist}} from Saint Petersburg.",
}
UNCONFIRMED_CLOZE = {
    "answer": "unconfirmed",
    "accepted": [],
    "prompt": "However, the existence of the National Republican Army as an organization is "
    "{{c1::unconfirmed}}, and representatives of the RVC attended the signing ceremony in Irpin.",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("It was created on 10 March 2022.", CHANNEL_DATE),
        ("it was 10 March 2022", CHANNEL_DATE),
        ("It's the International Legion", INTERNATIONAL_LEGION),
        ("He was arrested on 22 June 2022.", ARREST_DATE),
        ("He was arrested on 22/06/2022", ARREST_DATE),
        ("It is the International Legion", INTERNATIONAL_LEGION),
    ],
)
def test_a_sentence_about_the_questions_subject_is_right(text, question):
    assert verdict(text, question) == (True, Rule.SENTENCE)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("It was not created on 10 March 2022", CHANNEL_DATE),
        ("It was created on 10 March 2023", CHANNEL_DATE),
        ("It was created on 11 March 2022", CHANNEL_DATE),
        ("It was", CHANNEL_DATE),
        ("He was released on 22 June 2022", ARREST_DATE),
        ("He was arrested on 22 June 2022 and released", ARREST_DATE),
        ("It is the French Foreign Legion", INTERNATIONAL_LEGION),
        ("It was two battalions", BATTALIONS_CLOZE),  # a blank is filled with its own words
        ("Its 10 March 2022", CHANNEL_DATE),  # "its" is no "it is"
        # "be" in a tense the question does not use says something else.
        ("It is created on 10 March 2022", CHANNEL_DATE),
        ("It was the International Legion", INTERNATIONAL_LEGION),
    ],
)
def test_a_sentence_says_no_more_than_its_words_do(text, question):
    assert not verdict(text, question)[0]


def test_only_a_pronoun_and_be_begin_a_sentence():
    asked = "When was it created, and who are they?"
    assert subject_dropped("It was created on 10 March", asked) == "created on 10 March"
    assert subject_dropped("They're Russians", asked) == "Russians"
    assert subject_dropped("It was", asked) is None
    assert subject_dropped("Item was created", asked) is None
    assert subject_dropped("He signed it", asked) is None
    # "be" in a tense the question does not use: "He is a physiotherapist" is no former one.
    assert subject_dropped("He is a physiotherapist", "What was his former profession?") is None


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Ukraine's International Legion (reportedly)", INTERNATIONAL_LEGION),
        ("reportedly the International Legion", INTERNATIONAL_LEGION),
        ("the International Legion, reportedly", INTERNATIONAL_LEGION),
        ("several hundred, according to Caesar", MEMBERS),
        ("several hundred members, according to Caesar", MEMBERS),
        ("According to Caesar, several hundred", MEMBERS),
        ("It is reportedly the International Legion", INTERNATIONAL_LEGION),
    ],
)
def test_the_questions_own_hedge_may_be_kept(text, question):
    assert verdict(text, question) == (True, Rule.SENTENCE)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("the French Foreign Legion (reportedly)", INTERNATIONAL_LEGION),
        ("several thousand, according to Caesar", MEMBERS),
        # Whom the learner cites, the question does not.
        ("several hundred, according to Ponomarev", MEMBERS),
        ("several hundred, according to the FSB", MEMBERS),
        # A question that hedges nothing takes no hedge.
        ("Kyiv, reportedly", PRESS_CONFERENCE_CITY),
        ("reportedly Kyiv", PRESS_CONFERENCE_CITY),
        # Within an answer a hedge is no sentence's.
        ("International reportedly Legion", INTERNATIONAL_LEGION),
    ],
)
def test_a_hedge_keeps_a_wrong_answer_wrong(text, question):
    assert not verdict(text, question)[0]


def test_a_hedge_is_set_aside_only_where_the_question_hedges():
    assert hedge_dropped("Kyiv (reportedly)", "Where did they reportedly meet?") == "Kyiv"
    assert hedge_dropped("Kyiv (reportedly)", "Where did they meet?") is None
    assert hedge_dropped("Kyiv", "Where did they reportedly meet?") is None
    # Words of reporting that hedge nothing: a reporter, a statement.
    assert hedge_dropped("Kyiv, reportedly", "Which reporter stated it, in Kyiv?") is None


@pytest.mark.parametrize("text", ["two (2) battalions", "2 (two) battalions", "two (2)battalions"])
def test_a_number_said_twice_is_the_number(text):
    assert verdict(text, BATTALIONS_CLOZE) == (True, Rule.SAME_NUMBER)


@pytest.mark.parametrize(
    "text",
    ["two (3) battalions", "three (3) battalions", "two (2) brigades", "two (II) battalions"],
)
def test_a_number_said_twice_says_one_number(text):
    assert not verdict(text, BATTALIONS_CLOZE)[0]


@pytest.mark.parametrize(
    "text",
    [
        "the first of June 2022",
        "first June 2022",
        "June first, 2022",
        "June the first 2022",
        "On the first of June, 2022",
    ],
)
def test_a_day_in_words_is_the_day(text):
    assert verdict(text, TANK_DATE_CLOZE) == (True, Rule.SAME_DATE)


@pytest.mark.parametrize(
    "text",
    [
        "the second of June 2022",
        "the first of July 2022",
        "the twenty-first of June 2022",
        "the first of June 2023",
        "June thirty-first 2022",
    ],
)
def test_a_day_in_words_is_only_its_own_day(text):
    assert not verdict(text, TANK_DATE_CLOZE)[0]


def test_days_in_words_beside_a_month_are_read_as_figures():
    assert days_in_figures("the twenty-first of june 2022") == "21 june 2022"
    assert days_in_figures("june thirty first") == "june 31"
    assert days_in_figures("the first battalion") == "the first battalion"
    assert parse_date("the thirty-first of February") is None
    assert str(parse_date("the tenth of March 2022")) == "10 March 2022"


def test_a_sentence_with_a_day_in_words_is_right():
    assert verdict("It was created on the tenth of March 2022.", CHANNEL_DATE)[0]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("FRL (Freedom of Russia Legion)", ABBREVIATION),
        ("Freedom of Russia Legion (FRL)", ABBREVIATION),
        ("RVC (Russian Volunteer Corps)", EXPANSION),
        ("Russian Volunteer Corps (RVC)", EXPANSION),
    ],
)
def test_an_abbreviation_with_the_name_it_stands_for_is_right(text, question):
    assert verdict(text, question)[0]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # A name the article never writes is no expansion of its abbreviation.
        ("FRL (Fake Russian Lies)", ABBREVIATION),
        ("LSR (Freedom of Russia Legion)", ABBREVIATION),
        ("RT (Russian troops)", EXPANSION),
        ("FRL (Freedom of Russia Legion)", EXPANSION),
    ],
)
def test_an_abbreviation_and_another_name_are_wrong(text, question):
    assert not verdict(text, question)[0]


def test_an_expansion_is_of_a_name_the_question_gives():
    asked = str(ABBREVIATION["prompt"])
    assert expanded("FRL (Freedom of Russia Legion)", asked) == ("FRL",)
    assert expanded("Freedom of Russia Legion (FRL).", asked) == ("FRL",)
    assert expanded("FRL (Fake Russian Lies)", asked) == ()
    assert expanded("RVC (Russian Volunteer Corps)", str(EXPANSION["prompt"])) == (
        "Russian Volunteer Corps",
    )


@pytest.mark.parametrize(
    ("text", "question"),
    [("physio therapist", PROFESSION_CLOZE), ("un-confirmed", UNCONFIRMED_CLOZE)],
)
def test_a_word_typed_apart_is_the_word(text, question):
    assert verdict(text, question) == (True, Rule.SAME_WORDS)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("psycho therapist", PROFESSION_CLOZE),
        ("physio therapist and doctor", PROFESSION_CLOZE),
        ("not confirmed", UNCONFIRMED_CLOZE),
        ("un confirmed not", UNCONFIRMED_CLOZE),
    ],
)
def test_a_word_typed_apart_says_nothing_else(text, question):
    assert not verdict(text, question)[0]
