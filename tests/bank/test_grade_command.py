"""The editors' grade command: right or wrong, the forms compared, and the exit status."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.enums import QuestionKind
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
    assert lines[1] == 'Matched "1 June 2023": same date.'
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
    assert lines[:2] == ["right", 'Matched "Clarke": one slip forgiven.']


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


# --- --batch: one JSON object a line in, one a line out ----------------------------------------


def batch(*args, stdin: bytes | None = None) -> list[dict]:
    out = StringIO()
    options = {"stdin": BytesIO(stdin)} if stdin is not None else {}
    call_command("grade", "--batch", *args, stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_batch_grades_each_line_and_says_the_rule_and_the_form_matched(shebekino, tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text(
        '{"slug": "dates-shebekino-raid-typed", "answer": "01/06/2023"}\n'
        '{"slug": "dates-shebekino-raid-typed", "answer": "1 June 2022"}\n',
        encoding="utf-8",
    )
    assert batch(str(path)) == [
        {
            "slug": "dates-shebekino-raid-typed",
            "answer": "01/06/2023",
            "correct": True,
            "rule": "same date",
            "matched": "1 June 2023",
        },
        {
            "slug": "dates-shebekino-raid-typed",
            "answer": "1 June 2022",
            "correct": False,
            "rule": None,
            "matched": None,
        },
    ]


def test_batch_reads_standard_input_with_a_dash_and_grades_with_the_questions_prompt():
    QuestionFactory(
        slug="fsb-typed",
        prompt="Which Russian agency reportedly arrested the man?",
        answer="FSB",
        fact__accepted_answers=["Federal Security Service"],
    )
    lines = batch("-", stdin=b'{"slug": "fsb-typed", "answer": "F.S.B. of Russia"}\n')
    assert [(line["correct"], line["rule"]) for line in lines] == [
        (True, "extra words the question already says")
    ]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"slug": "dates-shebekino-raid-typed"}', "must both be strings"),
        (b'{"slug": 5, "answer": "x"}', "must both be strings"),
        (b'{"slug": "no-such-question", "answer": "x"}', 'no question with the slug "no-such'),
        (b'{"slug": "dates-shebekino-raid-typed", "answer": "' + b"x" * 300 + b'"}', "longer than"),
        (b"\xff\xfe\x00binary", "not UTF-8"),
        (b'{"slug": "dates-shebekino-raid-typed", "answer": "\\ud800"}', "not text"),
        (b'{"slug": "dates-shebekino-raid-typed", "answer": "a\\u0000b"}', "not text"),
        (b"[" * 100_000, "longer than 4096 bytes"),
        (b"[" * 3000 + b"]" * 1000, "not JSON"),
    ],
)
def test_batch_answers_a_bad_line_with_an_error_for_that_line_and_goes_on(shebekino, line, error):
    good = b'{"slug": "dates-shebekino-raid-typed", "answer": "1 June"}'
    lines = batch("-", stdin=line + b"\n" + good + b"\n")
    assert lines[0]["line"] == 1
    assert error in lines[0]["error"]
    assert lines[1]["correct"] is True
    assert len(lines) == 2


def test_batch_refuses_a_choice_question_and_skips_blank_lines():
    QuestionFactory(slug="a-choice", kind=QuestionKind.MULTIPLE_CHOICE)
    lines = batch("-", stdin=b'\n{"slug": "a-choice", "answer": "x"}\n\n')
    assert lines == [{"line": 2, "error": '"a-choice" is answered by choosing, not by typing'}]


def test_batch_against_the_bank_file_and_an_unreadable_batch_file(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text('{"slug": "people-putin-regime-opposed-typed", "answer": "A. Putin"}\n')
    assert batch(str(path), "--bank", str(DEFAULT_PATH))[0]["correct"] is False
    with pytest.raises(CommandError, match="Cannot read") as error:
        batch(str(tmp_path / "missing.jsonl"))
    assert error.value.returncode == 2


def test_batch_and_a_single_answer_are_one_or_the_other():
    with pytest.raises(CommandError, match="not both"):
        call_command("grade", "slug", "answer", "--batch", "-", stdout=StringIO())
    with pytest.raises(CommandError, match="slug and an answer"):
        call_command("grade", stdout=StringIO())


def test_the_reading_shows_the_words_as_the_rules_compare_them():
    status, lines = grade(
        "people-putin-regime-opposed-typed", "A. Putin", "--bank", str(DEFAULT_PATH)
    )
    assert status == 1
    assert 'Your answer reads as: words "a putin"' in lines  # an initial, never the article
