"""The editors' grade command: right or wrong, the forms compared, and the exit status."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.management.commands.load_questions import DEFAULT_PATH
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shebekino():
    return QuestionFactory(
        slug="dates-shebekino-raid-typed",
        answer="1 June 2023",
        fact__accepted_answers=["June 1, 2023", "1 June", "June 1"],
    )


def grade(*args) -> tuple[int, list[str]]:
    out = StringIO()
    status: str | int | None = 0
    try:
        call_command("grade", *args, stdout=out)
    except SystemExit as exit_:
        status = exit_.code
    assert isinstance(status, int)  # the command exits with its status number
    return status, out.getvalue().splitlines()


def test_a_right_answer_prints_right_the_form_it_matched_and_exits_0(shebekino):
    status, lines = grade(shebekino.slug, "01/06/2023")
    assert status == 0
    assert lines[0] == "right"
    assert lines[1] == 'Matched "1 June 2023": the same date.'
    assert 'Your answer reads as: words "01 06 2023", date 1 June 2023' in lines


def test_a_wrong_answer_prints_wrong_and_every_form_compared_and_exits_1(shebekino):
    status, lines = grade(shebekino.slug, "1 June 2022")
    assert status == 1
    assert lines[0] == "wrong"
    assert "Compared with 4 forms:" in lines
    assert '  "1 June 2023": words "1 june 2023", date 1 June 2023' in lines
    assert '  "1 June": words "1 june", date 1 June (no year)' in lines


def test_an_empty_answer_is_wrong_and_says_why(shebekino):
    status, lines = grade(shebekino.slug, "  ")
    assert status == 1
    assert lines[:2] == ["wrong", "An empty answer is never right."]


def test_an_unknown_slug_is_a_clear_error_with_exit_status_2(shebekino):
    with pytest.raises(CommandError, match='no question with the slug "no-such-question"') as error:
        call_command("grade", "no-such-question", "1 June", stdout=StringIO())
    assert error.value.returncode == 2


def test_bank_grades_against_the_file_without_the_database():
    status, lines = grade("people-clarke-typed", "Professor Clark", "--bank", str(DEFAULT_PATH))
    assert status == 0
    assert lines[:2] == ["right", 'Matched "Clarke": the same name, with a one-letter slip.']


def test_bank_with_an_unknown_slug_or_an_unreadable_file_exits_2(tmp_path):
    with pytest.raises(CommandError, match="no question with the slug") as error:
        call_command("grade", "no-such-question", "x", "--bank", str(DEFAULT_PATH))
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="Cannot read") as error:
        call_command("grade", "x", "x", "--bank", str(tmp_path / "missing.json"))
    assert error.value.returncode == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="not a valid bank file") as error:
        call_command("grade", "x", "x", "--bank", str(broken))
    assert error.value.returncode == 2
