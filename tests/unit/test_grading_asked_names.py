"""A name in what a question asks for says which one it means, and may stand beside the answer
whole, placed by "of", "at", "from", "for", a comma or a bracket: "Michael Clarke of King's
College London" for "Which visiting professor … at King's College London …?". A part of the name,
or the name set bare beside the answer, says nothing ("Michael Clarke London", "Axe Forbes")."""

import pytest

from quizzes.rules.prompt_roles import asked_names, names_joined
from tests.support.grading_questions import CLARKE_COMMENTED, DENIED, GENEVA, right

AXE = {
    "answer": "David Axe",
    "accepted": ["Axe"],
    "prompt": 'Which staff writer for Forbes described the group as "far-right"?',
}
PONOMARENKO = {
    "answer": "Illia Ponomarenko",
    "accepted": ["Ponomarenko"],
    "prompt": "Which defense and security reporter at The Kyiv Independent commented on the "
    "Legion to The Moscow Times?",
}

PONOMARENKO_CLOZE = {
    "answer": "Illia Ponomarenko",
    "accepted": ["Ponomarenko"],
    "prompt": "{{c1::Illia Ponomarenko}}, defense and security reporter at The Kyiv Independent, "
    "commented to The Moscow Times",
}
CLARKE_CLOZE = {
    "answer": "Michael Clarke",
    "accepted": ["Clarke"],
    "prompt": "{{c1::Michael Clarke}}, a visiting professor of war studies at King's College "
    "London, said in May 2023",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Michael Clarke, professor at King's College London", CLARKE_COMMENTED),
        ("Professor Michael Clarke of Kings College London", CLARKE_COMMENTED),
        ("Michael Clarke from king's college london", CLARKE_COMMENTED),
        ("Michael Clarke (King's College London)", CLARKE_COMMENTED),
        ("Clarke, King's College London", CLARKE_COMMENTED),
        ("David Axe of Forbes", AXE),
        ("David Axe, staff writer for Forbes", AXE),
        ("Illia Ponomarenko of the Kyiv Independent", PONOMARENKO),
        ("Ponomarenko at The Kyiv Independent", PONOMARENKO),
        ("Okhlopkov from Yakutsk", DENIED),
        # After any word of what the question says the answer is, as the article writes it.
        (
            "Michael Clarke, a visiting professor of war studies at King's College London",
            CLARKE_COMMENTED,
        ),
        ("Michael Clarke, war studies, King's College London", CLARKE_COMMENTED),
        # Before the answer, before what the question says it is, or in the possessive.
        ("Forbes staff writer David Axe", AXE),
        ("Forbes writer Axe", AXE),
        ("Forbes's David Axe", AXE),
        ("The Kyiv Independent's Illia Ponomarenko", PONOMARENKO),
        ("Kyiv Independent reporter Ponomarenko", PONOMARENKO),
        ("King's College London professor Michael Clarke", CLARKE_COMMENTED),
    ],
)
def test_a_name_of_what_is_asked_for_placed_beside_the_answer_is_right(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Michael Clarke London", CLARKE_COMMENTED),
        ("Michael Clarke of London", CLARKE_COMMENTED),
        ("Michael Clarke of King's", CLARKE_COMMENTED),
        ("Axe Forbes", AXE),
        ("Forbes", AXE),
        ("Ponomarenko Kyiv", PONOMARENKO),
        ("Ponomarenko of Kyiv", PONOMARENKO),
        ("Yakutsk", DENIED),
        ("Okhlopkov from Moscow", DENIED),
        # The name must stand by the answer or what it is, not after another word.
        ("Clarke commented for King's College London", CLARKE_COMMENTED),
        ("Ponomarenko commented for The Kyiv Independent", PONOMARENKO),
        # Before the answer bare, or before a word of the answer's own.
        ("Forbes Axe", AXE),
        ("Kyiv Independent Ponomarenko", PONOMARENKO),
        ("London professor Clarke", CLARKE_COMMENTED),
        ("King's College London Clarke", CLARKE_COMMENTED),
        ("War Article 23", GENEVA),
        ("Prisoners Article 23", GENEVA),
    ],
)
def test_part_of_the_name_or_the_name_alone_or_bare_is_wrong(text, question):
    assert not right(text, question)


def test_the_names_are_those_before_the_questions_verb_countries_aside():
    clarke = " visiting professor of war studies at King's College London commented on the Legion"
    assert asked_names(clarke).names == ("King's College London",)
    reporter = " defense and security reporter at The Kyiv Independent commented"
    assert asked_names(reporter).names == ("The Kyiv Independent",)
    assert asked_names(" Russian anti-war activist from Yakutsk?").names == ("Yakutsk",)


def test_a_name_stands_whole_past_a_month_or_a_country_in_ly():
    assert asked_names(" reporter from Italy commented").names == ("Italy",)
    assert asked_names(" reporter since July at The Kyiv Independent wrote").names == (
        "July",
        "The Kyiv Independent",
    )
    # One capitalised word before an ordinary one says what kind; an abbreviation of an
    # ordinary word is none.
    assert asked_names(" other English name")[:4] == ((), {"english"}, {"other", "name"}, ())
    assert asked_names(" former Russian MP").names == ()


def test_a_names_apostrophe_is_either_kind_or_none():
    for typed in ("Clarke of King's College London", "Clarke of King’s College London"):
        for name in ("King's College London", "King’s College London"):
            assert names_joined(typed, (name,)).split()[-1] == "namedkingscollegelondon"


def test_a_name_is_left_out_only_where_a_form_has_it_as_a_word():
    # "company" has the letters of "MP", not the word.
    company = {"answer": "a company", "accepted": [], "prompt": "Which unit of the MP was formed?"}
    assert right("a company of the MP", company)


def test_words_the_question_joins_by_and_stand_together_and_only_so():
    assert asked_names(" defense and security reporter at").pairs == ("defense and security",)
    assert right(
        "Illia Ponomarenko, defense and security reporter at The Kyiv Independent", PONOMARENKO
    )
    assert right("defense and security reporter Ponomarenko", PONOMARENKO)
    assert not right("Ponomarenko and security", PONOMARENKO)
    assert not right("security and defense reporter Ponomarenko", PONOMARENKO)


def test_a_blanks_description_places_its_names_too():
    assert right("Michael Clarke of King's College London", CLARKE_CLOZE)
    assert right("Michael Clarke, King's College London", CLARKE_CLOZE)
    assert not right("Michael Clarke London", CLARKE_CLOZE)
    assert not right("Clarke commented for King's College London", CLARKE_CLOZE)


def test_a_pair_that_a_form_holds_is_read_as_the_forms_words():
    work = {
        "answer": "artillery and propaganda",
        "accepted": [],
        "prompt": "Which artillery and propaganda work was the Legion mainly involved in?",
    }
    assert right("mainly artillery and propaganda", work)
    assert right("artillery and propaganda work", work)


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("Clarke of the Kremlin", "a professor who opposes the Kremlin"),
        ("Clarke (Kremlin)", "a professor who opposes the Kremlin"),
        ("Clarke of Oxford", "a professor at King's College London rather than Oxford"),
    ],
)
def test_a_blanks_description_ends_before_a_clause_of_its_own(text, prompt):
    clarke = {
        "answer": "Michael Clarke",
        "accepted": ["Clarke"],
        "prompt": f"{{{{c1::Michael Clarke}}}}, {prompt}, said in May 2023",
    }
    assert not right(text, clarke)


def test_a_name_is_one_word_only_where_something_places_it():
    joined = names_joined("Clarke of KING'S college London", ("King's College London",))
    assert joined.split() == ["Clarke", "namedkingscollegelondon"]
    assert names_joined("Clarke King's College London", ("King's College London",)) == (
        "Clarke King's College London"
    )


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # What a blank is said to be without "a", between commas, as the article writes it.
        (
            "Ponomarenko, defense and security reporter at The Kyiv Independent",
            PONOMARENKO_CLOZE,
        ),
        ("security reporter Ponomarenko", PONOMARENKO_CLOZE),
        # The whole of it, past the blank's four words.
        (
            "Michael Clarke, a visiting professor of war studies at King's College London",
            CLARKE_CLOZE,
        ),
        # A pair in either spelling.
        (
            "Illia Ponomarenko, defence and security reporter at The Kyiv Independent",
            PONOMARENKO_CLOZE,
        ),
        ("Defence and Security reporter Ponomarenko", PONOMARENKO),
    ],
)
def test_what_a_blank_is_said_to_be_is_read_whole(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    "text",
    [
        "security and defence reporter Ponomarenko",
        "Ponomarenko and security",
        "Ponomarenko commented",
        "Ponomarenko, Moscow Times",
        "Ponomarenko Kyiv",
    ],
)
def test_what_a_blank_is_not_said_to_be_stays_out(text):
    assert not right(text, PONOMARENKO_CLOZE)


@pytest.mark.parametrize(
    ("after", "says"),
    [
        (", defense and security reporter at The Kyiv Independent, commented", True),
        (", a former Russian MP.", True),
        (", three men wearing military fatigues, held a press conference", False),
        (", to represent their interests and organize a policy, led by", False),
        (", they said they captured a Russian POW, in", False),
        (", is also used by the Legion as one of its symbols, and", False),
        (", described himself as a nationalist, but", False),
        (", and calls upon Russian officers, and", False),
        (", the Legion launched raids, alongside", False),
        (", defense reporter at The Kyiv Independent.", False),
        (", staff writer for Forbes, said", True),
        # Words that deny, bound or place in time say what the answer is not, or was.
        (", no longer an MP, said", False),
        (", not a member of the Legion, said", False),
        (", no longer vice-chairman of Gazprombank, said", False),
        (", once a member of the Russian Imperial Movement, said", False),
        (", reportedly head of the FSB, said", False),
        # Items of a list, and asides.
        (", repression, and poverty", False),
        (", prisoners of war, and volunteers", False),
        (", then Belgorod, and", False),
        (", however, said", False),
        (", officials say, he", False),
        (", three Russian soldiers of the Legion, said", False),
        (", head of the FSB, and Putin", False),
    ],
)
def test_a_blank_is_described_by_a_noun_between_commas_never_by_a_clause(after, says):
    from quizzes.rules.prompt_words import described

    assert described(after) is says


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        ("{{c1::Ilya Ponomarev}}, no longer an MP, said", "MP Ponomarev"),
        ("{{c1::Igor Volobuyev}}, not a member of the Legion, said", "member Volobuyev"),
        ("fights {{c1::corruption}}, repression, and poverty", "corruption, repression"),
        ("first {{c1::Kursk}}, then Belgorod, and", "Kursk, Belgorod"),
    ],
)
def test_what_a_blank_is_not_said_to_be_never_stands_beside_it(prompt, text):
    answer = prompt.split("::")[1].split("}}")[0]
    assert not right(text, {"answer": answer, "accepted": [], "prompt": prompt})


def test_a_pair_is_read_after_another_and_too():
    reporter = asked_names(" defense and security reporter at The Kyiv Independent commented")
    assert reporter.joined_in("war and defence and security") == "war and defenseandsecurity"


def test_names_one_of_or_on_apart_are_one_name_too():
    asked = asked_names(" article of the Geneva Convention on Prisoners of War")
    assert asked.names[0] == "Geneva Convention on Prisoners of War"
    assert "Geneva Convention" in asked.names
    assert right("Article 23 of the Geneva Convention on Prisoners of War", GENEVA)
    assert right("Article 23 of the Geneva Convention", GENEVA)
    assert not right("Article 23 of the Hague Convention on Prisoners of War", GENEVA)


def test_a_name_is_placed_whatever_one_way_spelling_makes_of_it():
    # "Defence" is read as "defense" in a learner's words: the name's one word is too.
    spokesman = {
        "answer": "Ivan Petrov",
        "accepted": ["Petrov"],
        "prompt": "Which spokesman of the Ministry of Defence commented on the raid?",
    }
    assert right("Ivan Petrov of the Ministry of Defence", spokesman)
    assert right("Petrov, Ministry of Defence", spokesman)
    assert not right("Ivan Petrov of the Ministry of Justice", spokesman)


def test_a_date_is_never_part_of_a_name():
    assert asked_names(" commander of the Legion on March 12 said").names == ("Legion", "March")
