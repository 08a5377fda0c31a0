"""A text that shows nothing: invisible characters alone, named in the problem."""

import pytest

from quizzes.rules.visible import invisible_problems


@pytest.mark.parametrize(
    "text", ["", "   ", "\u00a0", "Kyiv", "Sibir\u200bBattalion", "\u0301a", "\u06dd", "\u0600"]
)
def test_a_text_that_shows_something_or_is_only_empty_has_no_invisible_problem(text):
    assert invisible_problems(text) == []


def test_invisible_characters_alone_are_named_once_each_and_at_most_three():
    assert invisible_problems("\u200b \u200b") == [
        "holds only invisible characters (U+200B ZERO WIDTH SPACE), so it shows nothing"
    ]
    assert invisible_problems("\u3164\u2800\u034f\ufe0f") == [
        "holds only invisible characters (U+3164 HANGUL FILLER, U+2800 BRAILLE PATTERN BLANK, "
        "U+034F COMBINING GRAPHEME JOINER and others), so it shows nothing"
    ]


@pytest.mark.parametrize(
    "char", ["\u17b4", "\u180b", "\u2065", "\ufff0", "\U000e0000", "\U000e0041", "\u00ad"]
)
def test_every_default_ignorable_character_alone_is_invisible(char):
    """A review found Khmer's inherent vowels, Mongolian's variation selectors and the code
    points Unicode keeps ignorable passed; two format characters that show a glyph did not."""
    assert invisible_problems(char + char)
