"""Answer checking, without a database."""

import pytest

from quizzes.rules.answer_dates import DateValue, parse_date
from quizzes.rules.grading import (
    answer_forms,
    answer_is_correct,
    answer_key,
    grade,
    normalise,
)
from quizzes.rules.verdicts import Rule, Verdict


@pytest.mark.parametrize(
    "given",
    ["22 May 2023", "May 22, 2023", "2023-05-22", "22nd May 2023", "may 22 2023", " 22  May 2023 "],
)
def test_every_date_form_matches_a_full_date(given):
    assert answer_is_correct(given, answer="22 May 2023")


@pytest.mark.parametrize(
    "given", ["23 May 2023", "22 May 2022", "22 June 2023", "May 2023", "2023"]
)
def test_a_different_date_does_not_match(given):
    assert not answer_is_correct(given, answer="22 May 2023")


def test_day_and_month_alone_count_only_where_the_question_allows_it():
    assert not answer_is_correct("22 May", answer="22 May 2023")
    assert answer_is_correct("22 May", answer="22 May 2023", accepted=["22 May"])
    assert answer_is_correct("May 22", answer="22 May 2023", accepted=["22 May"])


def test_a_question_without_a_year_accepts_any_form_of_the_day_and_month():
    for given in ("5 April", "April 5", "5th April", "april 5th"):
        assert answer_is_correct(given, answer="5 April")
    assert not answer_is_correct("6 April", answer="5 April")


def test_case_spacing_punctuation_and_a_leading_the_do_not_matter():
    assert answer_is_correct(
        "the security service of ukraine", answer="Security Service of Ukraine"
    )
    assert answer_is_correct("  The   Moscow Times! ", answer="The Moscow Times")
    assert answer_is_correct("kings college london", answer="King's College London")
    assert answer_is_correct("King’s College London", answer="King's College London")


def test_accepted_answers_count():
    assert answer_is_correct("RVC", answer="Russian Volunteer Corps", accepted=["RVC"])
    assert not answer_is_correct("RVC", answer="Russian Volunteer Corps")


def test_empty_and_wrong_answers_do_not_count():
    assert not answer_is_correct("", answer="Caesar")
    assert not answer_is_correct("   ", answer="Caesar")
    assert not answer_is_correct("Brutus", answer="Caesar")


def test_numeric_dates_are_read_day_first_and_never_month_first():
    # One reading for every numeric date, the site's (British) one: "5/4/2022" is 5 April, so it
    # is never taken for 4 May, whatever the learner meant; "06/22/2022" is no date at all.
    assert answer_is_correct("5/4/2022", answer="5 April 2022")
    assert not answer_is_correct("5/4/2022", answer="4 May 2022")
    assert not answer_is_correct("4/5/2022", answer="5 April 2022")
    assert not answer_is_correct("06/22/2022", answer="22 June 2022")


def test_normalise_folds_accents_and_quotes():
    assert normalise("“Caesar” (Tsezar)") == "caesar tsezar"
    assert normalise("Kastuś Kalinoŭski") == "kastus kalinouski"


def test_text_that_is_not_a_date_is_not_read_as_one():
    assert parse_date("two battalions") is None
    assert not answer_is_correct("two", answer="2 May")


def test_iso_dates_are_read_year_month_day():
    # Found by the property test: dateutil with dayfirst read "2000-01-02" as 1 February.
    assert answer_is_correct("2000-01-02", answer="2 January 2000")
    assert not answer_is_correct("2000-01-02", answer="1 February 2000")
    assert not answer_is_correct("2023-02-30", answer="2 March 2023")


# --- the rules of issue 14: what learners type, and nothing false ----------------------------


SHEBEKINO_ANSWER = "1 June 2023"
SHEBEKINO_ACCEPTED = ["June 1, 2023", "2023-06-01", "1 June", "June 1"]


@pytest.mark.parametrize(
    "given",
    ["1 June 2023", "June 1st, 2023", "01/06/2023", "1.6.2023", "1 June", "1st June", "1/6"],
)
def test_a_stored_year_accepts_the_right_year_or_the_day_and_month_alone(given):
    assert answer_is_correct(given, answer=SHEBEKINO_ANSWER, accepted=SHEBEKINO_ACCEPTED)


@pytest.mark.parametrize("given", ["1 June 2022", "June 1, 2022", "2022-06-01", "01/06/2022"])
def test_a_wrong_year_is_refused_even_where_the_day_and_month_alone_count(given):
    # The 2022 tank video is the trap: the Shebekino raid was on 1 June 2023.
    assert not answer_is_correct(given, answer=SHEBEKINO_ANSWER, accepted=SHEBEKINO_ACCEPTED)


def test_a_form_without_a_year_never_accepts_a_year():
    assert answer_is_correct("5 April", answer="5 April")
    assert not answer_is_correct("5 April 2022", answer="5 April")
    assert not answer_is_correct("5 April 1999", answer="5 April")


@pytest.mark.parametrize("given", ["22/06/2022", "22.06.2022", "22-06-2022", "22/6/22", "22/06"])
def test_numeric_dates_are_read_day_first(given):
    accepted = ["22 June"] if given == "22/06" else []
    assert answer_is_correct(given, answer="22 June 2022", accepted=accepted)


def test_impossible_numeric_dates_are_not_dates():
    assert parse_date("31/02/2022") is None
    assert parse_date("13/13/2022") is None
    assert parse_date("29/02") == DateValue(None, 2, 29)


@pytest.mark.parametrize("given", ["March 2022", "Mar. 2022", "march, 2022", "03/2022", "2022-03"])
def test_a_month_and_year_in_any_usual_form(given):
    assert answer_is_correct(given, answer="March 2022")


@pytest.mark.parametrize("given", ["March 2023", "10 March 2022", "2022", "March"])
def test_a_month_and_year_refuse_another_month_year_or_a_day(given):
    assert not answer_is_correct(given, answer="March 2022")


@pytest.mark.parametrize("given", ["Putin's", "Vladimir Putin's", "Putin’s", "PUTIN'S"])
def test_a_possessive_names_the_same_person(given):
    assert answer_is_correct(given, answer="Vladimir Putin", accepted=["Putin"])


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("a physiotherapist", "physiotherapist"),
        ("an ultranationalist", "ultranationalist"),
        ("the Irpin Declaration", "Irpin Declaration"),
        ("patriot", "a patriot"),
    ],
)
def test_a_leading_a_an_or_the_does_not_matter(given, answer):
    assert answer_is_correct(given, answer=answer)


@pytest.mark.parametrize(
    ("given", "answer", "accepted"),
    [
        ("Professor Clarke", "Michael Clarke", ["Clarke"]),
        ("Prof. Michael Clarke", "Michael Clarke", []),
        ("President Putin", "Vladimir Putin", ["Putin"]),
        ("Mr Okhlopkov", "Nikolay Okhlopkov", ["Okhlopkov"]),
    ],
)
def test_a_title_before_a_name_does_not_matter(given, answer, accepted):
    assert answer_is_correct(given, answer=answer, accepted=accepted)


def test_a_title_alone_is_not_the_name():
    assert not answer_is_correct("President", answer="Vladimir Putin", accepted=["Putin"])
    assert not answer_is_correct("Professor", answer="Michael Clarke", accepted=["Clarke"])


@pytest.mark.parametrize(
    ("given", "answer", "accepted"),
    [
        ("Ceasar", "Caesar", ["Tsezar"]),  # two letters swapped
        ("Clark", "Michael Clarke", ["Clarke"]),  # a letter missing
        ("Okhlopkof", "Nikolay Okhlopkov", ["Okhlopkov"]),  # a wrong letter
        ("Volobuyeev", "Igor Volobuyev", ["Volobuyev"]),  # a letter too many
        ("Michal Clarke", "Michael Clarke", []),
        ("Kursk and Belgorad", "Kursk and Belgorod", []),
    ],
)
def test_one_slip_in_a_long_name_is_forgiven(given, answer, accepted):
    verdict = grade(given, answer=answer, accepted=accepted)
    assert verdict.correct
    assert verdict.rule == Rule.SLIP


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("Kyev", "Kyiv"),  # too short for a slip
        ("Axx", "David Axe"),
        ("hundred", "hundreds"),  # a word of the article is never a slip of another
        ("Gazpormbnak", "Gazprombank"),  # two slips
        ("1 June 2022", "1 June 2023"),  # dates and numbers have no slips
        ("Article 32", "Article 23"),
        ("Clarke2", "Clarke"),  # a slip is a letter, not a digit
    ],
)
def test_no_slip_is_forgiven_in_short_names_other_words_dates_or_numbers(given, answer):
    assert not answer_is_correct(given, answer=answer)


@pytest.mark.parametrize(
    ("given", "answer", "accepted"),
    [
        ("Ponomarenko", "Ilya Ponomarev", ["Ponomarev"]),
        ("Illia Ponomarenko", "Ilya Ponomarev", ["Ponomarev"]),
        ("Ponomarev", "Illia Ponomarenko", ["Ponomarenko"]),
        ("Ilya Ponomarev", "Illia Ponomarenko", ["Ponomarenko", "Ilya Ponomarenko"]),
        # One letter from Ponomarev but two from Ponomarenko: a slip of either, so of neither.
        ("Ponomaren", "Ilya Ponomarev", ["Ponomarev"]),
        ("Ponomarevo", "Ilya Ponomarev", ["Ponomarev"]),
        ("Ponomarenk", "Illia Ponomarenko", ["Ponomarenko"]),
    ],
)
def test_a_slip_never_turns_one_name_of_the_article_into_another(given, answer, accepted):
    assert not answer_is_correct(given, answer=answer, accepted=accepted)


def test_grade_says_which_form_matched_and_by_which_rule():
    assert grade("01/06/2023", answer=SHEBEKINO_ANSWER, accepted=SHEBEKINO_ACCEPTED) == Verdict(
        True, "1 June 2023", Rule.SAME_DATE
    )
    assert grade("Putin's", answer="Vladimir Putin", accepted=["Putin"]) == Verdict(
        True, "Putin", Rule.SAME_WORDS
    )
    assert grade("1 June 2022", answer=SHEBEKINO_ANSWER, accepted=SHEBEKINO_ACCEPTED) == Verdict(
        False
    )
    assert answer_forms("Caesar", ["Caesar", "Tsezar", " "]) == ("Caesar", "Tsezar")


def test_answer_key_sets_aside_possessives_articles_and_titles_but_keeps_a_lone_word():
    assert answer_key("Vladimir Putin’s") == "vladimir putin"
    assert answer_key("a former physiotherapist") == "former physiotherapist"
    assert answer_key("Professor Michael Clarke") == "michael clarke"
    assert answer_key("the") == "the"
    assert answer_key("President") == "president"
