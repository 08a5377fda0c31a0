"""The cards page's search syntax: text in, terms or a clear error out."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.enums import QuestionKind
from quizzes.rules.search import (
    Compare,
    InCategory,
    Is,
    IsWhat,
    OfKind,
    Prop,
    Rated,
    SearchError,
    Term,
    Text,
    search_parse,
)


def test_plain_words_and_quoted_phrases_are_each_a_term_casefolded():
    assert search_parse('Legion  "Political Representative" kyiv') == (
        Term(Text("legion")),
        Term(Text("political representative")),
        Term(Text("kyiv")),
    )


def test_an_empty_search_has_no_terms():
    assert search_parse("   ") == ()


@pytest.mark.parametrize("what", list(IsWhat))
def test_each_is_term_is_read(what):
    assert search_parse(f"is:{what.value.upper()}") == (Term(Is(what)),)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("rated:1", Rated(1)),
        ("rated:365", Rated(365)),
        ("prop:ivl>10", Compare(Prop.INTERVAL, ">", 10)),
        ("prop:ivl>=0", Compare(Prop.INTERVAL, ">=", 0)),
        ("prop:due<-2", Compare(Prop.DUE, "<", -2)),
        ("prop:due=0", Compare(Prop.DUE, "=", 0)),
        ("prop:due!=1", Compare(Prop.DUE, "!=", 1)),
        ("prop:r<0.8", Compare(Prop.RECALL, "<", 0.8)),
        ("prop:r<=1", Compare(Prop.RECALL, "<=", 1)),
        ("cat:Dates", InCategory("dates")),
        ("kind:cloze", OfKind(QuestionKind.CLOZE)),
        ("kind:typed", OfKind(QuestionKind.TYPED)),
        ("kind:mc", OfKind(QuestionKind.MULTIPLE_CHOICE)),
        ("kind:multiple_choice", OfKind(QuestionKind.MULTIPLE_CHOICE)),
        ("kind:tf", OfKind(QuestionKind.TRUE_FALSE)),
        ("kind:true_false", OfKind(QuestionKind.TRUE_FALSE)),
    ],
)
def test_each_term_is_read(text, term):
    assert search_parse(text) == (Term(term),)
    assert search_parse(f"-{text}") == (Term(term, negated=True),)


def test_negation_applies_to_words_phrases_and_terms_and_terms_combine():
    assert search_parse('-legion -"from kyiv" is:due -is:new') == (
        Term(Text("legion"), negated=True),
        Term(Text("from kyiv"), negated=True),
        Term(Is(IsWhat.DUE)),
        Term(Is(IsWhat.NEW), negated=True),
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("is:fresh", "“is:fresh” is not a search term"),
        ("is:", "is not a search term"),
        ("rated:0", "from 1 to 365"),
        ("rated:366", "from 1 to 365"),
        ("rated:x", "from 1 to 365"),
        ("rated:²", "from 1 to 365"),
        ("prop:ivl", "not a property search"),
        ("prop:ease>2", "not a property search"),
        ("prop:ivl>x", "not a property search"),
        ("prop:ivl>1.5", "whole days"),
        ("prop:ivl>-1", "never negative"),
        ("prop:r<1.5", "between 0 and 1"),
        ("cat:", "needs a category"),
        ("kind:essay", "not a kind of question"),
        ("deck:default", "not a search term"),
        ('"unclosed phrase', "not closed"),
        ('wo"rd', "whole phrase"),
        ("- is:new", "minus sign"),
        ("-", "minus sign"),
        ('""', "empty"),
    ],
)
def test_a_malformed_or_unknown_term_is_an_error_that_says_what_and_how(text, says):
    with pytest.raises(SearchError, match=says):
        search_parse(text)


@given(st.text(max_size=120))
def test_any_text_is_terms_or_a_search_error_never_anything_else(text):
    problem = ""
    try:
        terms = search_parse(text)
    except SearchError as error:
        problem = str(error)
        terms = ()
    assert problem or terms or not text.strip()
    assert all(isinstance(term, Term) for term in terms)


@pytest.mark.parametrize(
    ("operator", "actual", "holds"),
    [
        ("<", 1, True),
        ("<", 2, False),
        (">", 3, True),
        ("<=", 2, True),
        (">=", 1, False),
        ("=", 2, True),
        ("!=", 2, False),
    ],
)
def test_a_comparison_holds_as_its_operator_says_and_never_without_a_value(operator, actual, holds):
    compare = Compare(Prop.INTERVAL, operator, 2)
    assert compare.holds_for(actual) is holds
    assert compare.holds_for(None) is False
