"""Answer checking, without a database."""

import pytest

from quizzes.grading import answer_is_correct, dates_match, normalise


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


def test_ambiguous_numeric_dates_are_not_guessed():
    assert not answer_is_correct("5/4/2022", answer="5 April 2022")


def test_normalise_folds_accents_and_quotes():
    assert normalise("“Caesar” (Tsezar)") == "caesar tsezar"
    assert normalise("Kastuś Kalinoŭski") == "kastus kalinouski"


def test_dates_match_is_symmetric_in_the_year():
    assert dates_match("14 July", "14 July 2022")
    assert dates_match("July 14, 2022", "14 July")
    assert not dates_match("14 July 2021", "14 July 2022")


def test_text_that_is_not_a_date_is_not_read_as_one():
    assert not dates_match("two battalions", "2 battalions")
    assert not answer_is_correct("two", answer="2 May")


def test_iso_dates_are_read_year_month_day():
    # Found by the property test: dateutil with dayfirst read "2000-01-02" as 1 February.
    assert answer_is_correct("2000-01-02", answer="2 January 2000")
    assert not answer_is_correct("2000-01-02", answer="1 February 2000")
    assert not answer_is_correct("2023-02-30", answer="2 March 2023")
