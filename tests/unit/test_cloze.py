"""Cloze prompts: parsing the single {{c1::…}} marker and checking a card against the article."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.rules.article import article_body
from quizzes.rules.cloze import (
    Cloze,
    ClozeError,
    cloze_front,
    cloze_parse,
    cloze_problems,
)

FORMED = "It was formed in March 2022"
FORMED_PROMPT = "It was formed in {{c1::March 2022}}"
SHEBEKINO = "The two groups launched another raid on 1 June into the Shebekino area"


def test_a_marker_splits_the_prompt_into_before_span_and_after():
    cloze = cloze_parse("It was {{c1::formed}} in March 2022")
    assert cloze == Cloze(before="It was ", span="formed", hint=None, after=" in March 2022")


def test_a_hint_is_read_after_the_second_double_colon():
    cloze = cloze_parse("another raid on {{c1::1 June::date, 2023}} into the Shebekino area")
    assert cloze.span == "1 June"
    assert cloze.hint == "date, 2023"


def test_the_text_removes_the_marker_and_keeps_the_span():
    assert cloze_parse(FORMED_PROMPT).text == FORMED
    assert cloze_parse("{{c1::It}} was formed in March 2022").text == FORMED


def test_the_front_shows_an_ellipsis_or_the_hint_in_brackets():
    assert cloze_front(FORMED_PROMPT) == "It was formed in […]"
    assert cloze_front("It was formed in {{c1::March 2022::month and year}}") == (
        "It was formed in [month and year]"
    )


def test_a_marker_at_either_end_of_the_prompt_is_read():
    assert cloze_parse("{{c1::March 2022}}").text == "March 2022"
    assert cloze_parse("{{c1::March 2022}} it was").before == ""
    assert cloze_parse("formed in {{c1::March 2022}}").after == ""


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("It was formed in March 2022", "has no cloze marker"),
        ("", "has no cloze marker"),
        ("It was {{c1::formed}} in {{c1::March 2022}}", "has 2 cloze markers"),
        ("It was {{c1::formed}} in {{c2::March 2022}}", "has 2 cloze markers"),
        ("It was formed in {{c2::March 2022}}", "uses c2"),
        ("It was formed in {{c10::March 2022}}", "uses c10"),
        ("It was formed in {{c1::}}", "has an empty blank"),
        ("It was formed in {{c1::   }}", "has an empty blank"),
        ("It was formed in {{c1::March 2022::}}", "has an empty hint"),
        ("It was formed in {{c1:: March 2022}}", "starts or ends with a space"),
        ("It was formed in {{c1::March {{c1::2022}}}}", "malformed or nested"),
        ("It was formed in {{c1::March 2022}", "malformed or nested"),
        ("It was formed in {{c1:March 2022}}", "malformed or nested"),
        ("It was formed in c1::March 2022}}", "malformed or nested"),
        ("It was formed in {{March 2022}}", "malformed or nested"),
        ("It was formed in {{c1::March::2022::month}}", "malformed or nested"),
    ],
)
def test_a_prompt_that_is_not_one_c1_marker_is_refused_with_a_reason(prompt, expected):
    with pytest.raises(ClozeError) as excinfo:
        cloze_parse(prompt)
    assert any(expected in problem for problem in excinfo.value.problems)
    assert any(expected in problem for problem in cloze_problems(prompt, "x", "x"))


def test_a_well_formed_card_has_no_problems():
    assert cloze_problems(FORMED_PROMPT, "March 2022", FORMED) == []


def test_the_text_must_be_a_verbatim_span_of_the_article():
    prompt = "It was founded in {{c1::March 2022}}"
    problems = cloze_problems(prompt, "March 2022", "It was founded in March 2022")
    assert problems == [
        "with the marker removed, the text is not a verbatim span of the article body "
        "(copy it character for character)"
    ]


def test_the_text_keeps_the_article_non_breaking_spaces():
    with_nbsp = "romanized:\xa0Legion"
    assert with_nbsp in article_body()
    prompt = 'romanized:\xa0{{c1::Legion "Svoboda Rossii"}}'
    assert (
        cloze_problems(prompt, 'Legion "Svoboda Rossii"', 'romanized:\xa0Legion "Svoboda Rossii"')
        == []
    )
    typed_again = 'romanized: {{c1::Legion "Svoboda Rossii"}}'
    assert cloze_problems(
        typed_again, 'Legion "Svoboda Rossii"', 'romanized: Legion "Svoboda Rossii"'
    )


def test_the_passage_must_be_the_text_without_the_marker():
    problems = cloze_problems(FORMED_PROMPT, "March 2022", "formed in March 2022")
    assert problems == ["the passage must be exactly the prompt with the marker removed"]


def test_the_answer_must_be_the_blanked_span():
    problems = cloze_problems(FORMED_PROMPT, "2022", FORMED)
    assert problems == ['the answer "2022" differs from the blank "March 2022"']


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (FORMED, "in"),
        (FORMED, "It was"),
        ("part of Ukraine's International Legion", "of"),
        ("the Legion has launched cross-border raids", "has"),
    ],
)
def test_a_blank_of_function_words_is_refused(text, span):
    assert text in article_body()
    prompt = text.replace(span, "{{c1::" + span + "}}", 1)
    problems = cloze_problems(prompt, span, text)
    assert problems == [
        f'the blank "{span}" holds only function words; blank a fact '
        "(a date, a name, a number, an organisation, a consequence)"
    ]


def test_a_blank_mixing_a_function_word_with_a_fact_is_accepted():
    prompt = "It was formed {{c1::in March 2022}}"
    assert cloze_problems(prompt, "in March 2022", FORMED) == []


@pytest.mark.parametrize(
    ("text", "span", "hedge"),
    [
        (
            "is reportedly part of Ukraine's International Legion",
            "reportedly part of Ukraine's International Legion",
            "reportedly",
        ),
        ("and claimed to control two villages", "claimed to control two villages", "claimed"),
        ("the Legion allegedly made a statement", "allegedly made a statement", "allegedly"),
        ("According to UNIAN, the Freedom", "According to UNIAN", "According to"),
        ("Ponomarev said that the RVC", "Ponomarev said", "said"),
        ("a video claiming to show a Russian tank", "claiming to show", "claiming"),
        ("or alleging it was created", "alleging it was created", "alleging"),
    ],
)
def test_a_hedge_inside_the_blank_is_refused(text, span, hedge):
    assert text in article_body()
    prompt = text.replace(span, "{{c1::" + span + "}}", 1)
    problems = cloze_problems(prompt, span, text)
    assert problems == [
        f'the blank holds the hedge "{hedge}"; a hedge is part of the fact and stays visible'
    ]


def test_a_hedge_beside_the_blank_is_what_the_rule_wants():
    text = "is reportedly part of Ukraine's International Legion"
    prompt = "is reportedly part of {{c1::Ukraine's International Legion}}"
    assert cloze_problems(prompt, "Ukraine's International Legion", text) == []


def test_a_word_that_merely_contains_a_hedge_is_not_one():
    # "Saidov" is not "said": hedges are matched as whole words.
    cloze = cloze_parse("{{c1::Saidov}}")
    assert cloze.span == "Saidov"
    problems = cloze_problems("{{c1::Saidov}}", "Saidov", "Saidov")
    assert not any("hedge" in p for p in problems)


def test_a_hint_can_tell_two_true_fillers_apart():
    prompt = SHEBEKINO.replace("1 June", "{{c1::1 June::day and month of the Shebekino raid}}")
    assert cloze_problems(prompt, "1 June", SHEBEKINO) == []
    assert cloze_front(prompt).startswith("The two groups launched another raid on [day and month")


plain = st.text(alphabet=st.characters(blacklist_characters="{}:"), max_size=40)


@given(before=plain, span=plain.filter(lambda s: s.strip() == s and s), after=plain, hint=plain)
@settings(max_examples=200, deadline=None)
def test_a_built_marker_parses_back_to_its_parts(before, span, after, hint):
    hint = hint.strip() or None
    marker = "{{c1::" + span + (f"::{hint}" if hint else "") + "}}"
    cloze = cloze_parse(before + marker + after)
    assert (cloze.before, cloze.span, cloze.hint, cloze.after) == (before, span, hint, after)
    assert cloze.text == before + span + after


@given(prompt=st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_text_either_parses_or_says_why_not(prompt):
    problems: list[str] = []
    try:
        cloze = cloze_parse(prompt)
    except ClozeError as error:
        problems = list(error.problems)
    else:
        assert cloze.span.strip()
        return
    assert problems
    assert all(problem.strip() for problem in problems)
