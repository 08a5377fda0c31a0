"""The letter-by-letter comparison of a typed answer with the expected one, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from quizzes.rules.compare import Segment, SegmentKind, compare, typed_compared


def kinds(typed: str, expected: str) -> list[tuple[str, str, str]]:
    return [(s.kind.value, s.typed, s.expected) for s in compare(typed, expected).segments]


def test_the_same_answer_is_one_run_of_the_same_letters():
    comparison = compare("Ponomarev", "Ponomarev")
    assert comparison.identical
    assert comparison.segments == (Segment(SegmentKind.SAME, "Ponomarev", "Ponomarev"),)


def test_case_and_accents_are_not_differences_and_the_expected_letters_are_shown():
    comparison = compare("kyiv", "Kyïv")
    assert comparison.identical
    assert "".join(s.expected for s in comparison.segments) == "Kyïv"


def test_a_letter_left_out_is_missing():
    assert kinds("Ponomrev", "Ponomarev") == [
        ("same", "Ponom", "Ponom"),
        ("missing", "", "a"),
        ("same", "rev", "rev"),
    ]


def test_a_letter_too_many_is_extra():
    assert kinds("Legionn", "Legion") == [("same", "Legion", "Legion"), ("extra", "n", "")]


def test_a_letter_typed_in_place_of_another_is_wrong():
    assert kinds("Lehion", "Legion") == [
        ("same", "Le", "Le"),
        ("wrong", "h", "g"),
        ("same", "ion", "ion"),
    ]


def test_nothing_typed_is_all_missing():
    assert kinds("", "Kyiv") == [("missing", "", "Kyiv")]


@given(st.text(max_size=30), st.text(max_size=30))
def test_the_runs_spell_both_texts_in_order(typed, expected):
    comparison = compare(typed, expected)
    assert "".join(s.typed for s in comparison.segments) == typed.strip()
    assert "".join(s.expected for s in comparison.segments) == expected.strip()
    for segment in comparison.segments:
        assert segment.typed or segment.expected


def test_a_right_answer_in_other_words_names_the_rule_that_accepted_it():
    compared = typed_compared("1 June 2023", answer="June 1, 2023")
    assert compared is not None
    assert compared.correct
    assert compared.rule  # the grader's label, e.g. "the same date"
    assert not compared.comparison.identical


def test_the_same_words_name_no_rule():
    compared = typed_compared("the freedom of russia legion", answer="Freedom of Russia Legion")
    assert compared is not None
    assert compared.correct
    assert compared.rule == ""


def test_a_wrong_answer_is_compared_with_the_answer_and_names_no_rule():
    compared = typed_compared("Kursk", answer="Belgorod", accepted=["Belgorod Oblast"])
    assert compared is not None
    assert not compared.correct
    assert compared.rule == ""
    assert compared.comparison.expected == "Belgorod"


def test_nothing_typed_is_nothing_to_compare():
    assert typed_compared("  ", answer="Belgorod") is None


def test_a_title_before_the_name_is_still_the_same_words():
    compared = typed_compared("President Putin", answer="Putin")
    assert compared is not None
    assert compared.correct
    assert compared.rule == ""


def test_the_comparison_grades_with_the_prompt_as_the_site_does():
    ask = "Which Russian agency reportedly arrested the man?"
    compared = typed_compared("FSB of Russia", answer="FSB", prompt=ask)
    assert compared is not None
    assert compared.correct
    assert compared.rule == "extra words the question already says"
    refused = typed_compared("FSB of Russia", answer="FSB", prompt="Which agency?")
    assert refused is not None
    assert not refused.correct
