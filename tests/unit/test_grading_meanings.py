"""Answers made of a right answer's words, or of the question's, that say something else: a title
before an ordinary word, "and" splitting one thing in two, a country where the question names its
government, or who acts. Most wrong ones here were accepted before their rule (an outside hunt
and generated answers found them); the rest guard against what a rule's first version let
through and a review caught. Each right one guards a rule from refusing what a learner who
knows means."""

import pytest

from quizzes.rules.grading import grade
from quizzes.rules.prompt_words import dated_verb, legion_abbreviated, main_clause, pasts
from tests.support.grading_questions import (
    ARRESTED,
    DENIED,
    LYSYCHANSK,
    MOSCOW,
    PONOMAREV,
    PUTIN,
    REBELLION,
    right,
)

# The march on Moscow with no form but the city: the words around it are the question's.
MARCH = {**MOSCOW, "accepted": []}
PHYSIOTHERAPIST = {"answer": "physiotherapist", "accepted": ["a physiotherapist"]}
WAR_CRIMINAL = {
    "answer": "war criminal",
    "accepted": ["a war criminal", "war criminal Putin", "war-criminal"],
}
FLAG = {"answer": "white-blue-white flag", "accepted": ["the white-blue-white flag"]}
OKHLOPKOV = {"answer": "Nikolay Okhlopkov", "accepted": ["Okhlopkov", "Nikolai Okhlopkov"]}
ACCUSED = {
    "answer": "wanting to join the Legion",
    "accepted": ["wanting to join the Freedom of Russia Legion"],
    "prompt": "On 22 June 2022, Nikolay Okhlopkov, a Russian anti-war activist from Yakutsk, was "
    'arrested because the authorities accused him of "{{c1::wanting to join the Legion}}."',
}
RAIDED = {
    "answer": "Kursk and Belgorod",
    "accepted": ["Belgorod and Kursk"],
    "prompt": "In March 2024, the Legion took part in raids into which two Russian regions?",
}
NEW_RUSSIA = {
    "answer": "a New Russia",
    "accepted": ["New Russia", "a new Russia", "new Russia"],
    "prompt": "According to the Legion's manifesto, its members are beginning to fight for what?",
}


@pytest.mark.parametrize(
    "text",
    ["Doctor Physiotherapist", "Professor Physiotherapist", "Doctor a physiotherapist", "Mr a"],
)
def test_a_title_before_an_ordinary_word_or_an_article_is_a_word_like_any_other(text):
    assert not right(text, PHYSIOTHERAPIST)


@pytest.mark.parametrize(
    "text", ["Mr Nikolai Okhlopkov", "mr nikolai okhlopkov", "Dr Okhlopkov", "Mr N. Okhlopkov"]
)
def test_a_title_before_a_first_name_and_a_surname_is_still_set_aside(text):
    assert right(text, OKHLOPKOV)


def test_a_title_before_an_ordinary_word_and_a_name_is_no_title():
    assert not right("war doctor criminal Putin", WAR_CRIMINAL)


@pytest.mark.parametrize(
    "text", ["war and criminal", "a war and criminal", "war and criminal Putin"]
)
def test_and_never_splits_two_words_written_as_one_thing(text):
    assert not right(text, WAR_CRIMINAL)


@pytest.mark.parametrize(
    "text", ["white, blue and white flag", "white, blue, white flag", "white blue and white flag"]
)
def test_and_still_joins_the_words_of_a_list(text):
    assert right(text, FLAG)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("two and battalions", {"answer": "two battalions"}),
        ("a and physiotherapist", PHYSIOTHERAPIST),
        ("up to and twenty years", {"answer": "20 years", "accepted": ["up to 20 years"]}),
    ],
)
def test_and_between_words_of_no_list_is_never_filler(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    "text", ["wanting Russia to join the Legion", "wanting to join Doctor the Legion"]
)
def test_a_country_or_a_title_amid_ordinary_words_is_no_filler(text):
    assert not right(text, ACCUSED)


@pytest.mark.parametrize(
    "text", ["wanting to join the Russian Legion", "wanting to join the Legion of Russia"]
)
def test_a_country_beside_a_name_is_still_filler(text):
    assert right(text, ACCUSED)


def test_the_country_does_not_stand_for_its_government():
    assert not right("rebellion against Russia", REBELLION)


@pytest.mark.parametrize(
    "text", ["rebellion against the Russian government", "rebellion against Russian government"]
)
def test_the_government_as_the_question_says_it_is_still_right(text):
    assert right(text, REBELLION)


@pytest.mark.parametrize(
    "text", ["Kursk and Belgorod regions of Russia", "Russia's Kursk and Belgorod regions"]
)
def test_a_country_for_its_regions_adjective_is_still_right(text):
    assert right(text, RAIDED)


@pytest.mark.parametrize("text", ["a New Russian", "new Russian", "New Russian"])
def test_an_answer_ending_in_the_adjective_of_the_country_its_form_ends_in_is_wrong(text):
    assert not right(text, NEW_RUSSIA)


@pytest.mark.parametrize("text", ["New Russia", "a new russia"])
def test_the_country_itself_ends_the_answer(text):
    assert right(text, NEW_RUSSIA)


JAILED = {
    "answer": "20 years",
    "accepted": ["up to 20 years"],
    "prompt": "According to the article, the Supreme Court's March 2023 terrorist designation "
    "means that citizens who join the Legion can face up to how many years in jail?",
}


@pytest.mark.parametrize("text", ["lead Ponomarev", "create Ponomarev", "lead Ilya Ponomarev"])
def test_who_was_to_act_is_not_what_the_verb_acts_on(text):
    assert not right(text, PONOMAREV)


@pytest.mark.parametrize(
    "text",
    [
        "former Russian MP Ponomarev",
        "ex-MP Ilya Ponomarev",
        "former MP Ponomarev",
        "Ponomarev to lead the political wing",
        "Ponomarev, a former Russian MP",
    ],
)
def test_what_the_question_asks_for_stands_before_the_answer_abbreviated_too(text):
    assert right(text, PONOMAREV)


@pytest.mark.parametrize(
    ("text", "question"),
    [("lead Moscow", MARCH), ("march Moscow", MARCH), ("denied Okhlopkov", DENIED)],
)
def test_the_words_before_the_preposition_that_asks_never_stand_without_it(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("lead a march on Moscow", MARCH),
        ("on Moscow", MARCH),
        ("city Moscow", MARCH),
        ("denied any link with Okhlopkov", DENIED),
        ("activist Okhlopkov", DENIED),
        ("can face 20 years", JAILED),
        ("20 years in jail", JAILED),
    ],
)
def test_with_it_or_naming_what_is_asked_they_still_do(text, question):
    assert right(text, question)


POW_DATE = {
    "answer": "29 June 2022",
    "accepted": ["29 June", "June 29"],
    "prompt": "On what day and month did the Legion say it had captured a Russian POW in the "
    "Lysychansk area?",
}
WITHDRAWAL_DATE = {
    "answer": "13 July 2022",
    "accepted": ["13 July", "July 13"],
    "prompt": "On what day and month did the Legion allegedly state that it had withdrawn from "
    "active fighting?",
}
PRESS_CONFERENCE = {
    "answer": "5 April",
    "accepted": ["April 5"],
    "prompt": "On what day and month did three men hold a press conference announcing that the "
    "Freedom of Russia Legion had been formed?",
}
DECLARED = {
    "answer": "March 2023",
    "accepted": ["Mar 2023"],
    "prompt": "In which month and year did the Supreme Court of Russia declare the Legion a "
    "terrorist group?",
}
SIGNED = {
    "answer": "14 July 2022",
    "accepted": ["July 14, 2022"],
    "prompt": "On what date did Putin sign the law under which Russian citizens can be imprisoned "
    'for up to 20 years if they "defect to the side of the enemy"?',
}
FORMED = {
    "answer": "March 2022",
    "accepted": ["Mar 2022", "2022-03"],
    "prompt": "In which month and year was the Freedom of Russia Legion formed?",
}
CREATED = {
    "answer": "10 March 2022",
    "accepted": ["March 10, 2022"],
    "prompt": "On what date was the Legion's official Telegram channel created?",
}
ARREST_DATE = {
    "answer": "22 June 2022",
    "accepted": ["June 22, 2022", "2022-06-22"],
    "prompt": "On what date was the Russian anti-war activist Nikolay Okhlopkov arrested?",
}
POSTED = {
    "answer": "1 June 2022",
    "accepted": ["June 1, 2022"],
    "prompt": "On what date did the Legion's official Telegram (and YouTube) channel post a video "
    "claiming to show a Russian tank being captured by the Legion?",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("formed March 2022", FORMED),
        ("formed in March 2022", FORMED),
        ("created March 10, 2022", CREATED),
        ("on 29 June", POW_DATE),
        ("on 5 April", PRESS_CONFERENCE),
        # The question's own verb in its past, after "did": "signed" of "did Putin sign".
        ("held on 5 April", PRESS_CONFERENCE),
        ("said on 29 June", POW_DATE),
        ("signed on 14 July 2022", SIGNED),
        ("declared in March 2023", DECLARED),
        ("signed 14 July 2022", SIGNED),
        ("held 5 April", PRESS_CONFERENCE),
        # A bracket in the clause does not end it: the channel posted the video that day.
        ("posted on 1 June 2022", POSTED),
        ("posted 1 June 2022", POSTED),
        # A date in figures beside the verb, read day first as a date alone is.
        ("arrested 22/06/2022", ARREST_DATE),
        ("arrested on 22.06.2022", ARREST_DATE),
        ("arrested 22/6/22", ARREST_DATE),
        ("arrested 2022-06-22", ARREST_DATE),
        ("said 29/06", POW_DATE),
        ("held 5/4", PRESS_CONFERENCE),
    ],
)
def test_a_date_after_the_questions_last_verb_needs_no_preposition(text, question):
    """ "Formed March 2022" can only say when: a date needs no "in" to be one."""
    assert right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # The question's last verb is another clause's: the Legion was not formed on 5 April.
        ("formed 5 April", PRESS_CONFERENCE),
        ("formed on 5 April", PRESS_CONFERENCE),
        # The day it said so, not the day of what it said, in either order.
        ("captured on 29 June", POW_DATE),
        ("withdrawn on 13 July", WITHDRAWAL_DATE),
        ("29 June captured", POW_DATE),
        ("13 July, withdrawn from active fighting", WITHDRAWAL_DATE),
        ("5 April, been formed", PRESS_CONFERENCE),
        ("formed April 2022", FORMED),
        ("signed on 15 July 2022", SIGNED),
        # A noun's made past is no verb of the question: "grouped" of "a terrorist group".
        ("grouped in March 2023", DECLARED),
        ("Legion formed March 2022", FORMED),
        ("captured Lysychansk", LYSYCHANSK),  # a place does: "captured in" it is another act
        ("captured on 1 June 2022", POSTED),  # the video claimed to show that
        ("arrested 06/22/2022", ARREST_DATE),  # never month first
        ("arrested 23/06/2022", ARREST_DATE),
        ("held 4/5", PRESS_CONFERENCE),  # 4 May
    ],
)
def test_only_a_date_goes_without_it(text, question):
    assert not right(text, question)


def test_a_number_makes_no_initials_in_brackets():
    formed = {"answer": "March 2022", "accepted": ["Mar 2022", "2022-03"]}
    assert not right("March 2022 (20)", formed)
    assert right("March 2022 (2022-03)", formed)


# From the review of this pass's first commits.

CLARKE = {"answer": "Michael Clarke", "accepted": ["Clarke", "Michael Clark"]}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Mr agency Russian FSB", {"answer": "FSB", "accepted": ["Russian FSB"]}),
        ("Doctor oppose Putin", {"answer": "Putin", "prompt": "Whose regime does it oppose?"}),
        ("two doctor battalions", {"answer": "two battalions"}),
    ],
)
def test_a_title_before_an_ordinary_word_in_lower_case_is_no_title_whatever_follows(text, question):
    assert not right(text, question)


@pytest.mark.parametrize("text", ["Mr Clark", "Prof Clark", "mr clark"])
def test_a_title_before_a_name_one_letter_from_the_articles_is_set_aside(text):
    assert right(text, CLARKE)


@pytest.mark.parametrize(
    "text",
    [
        "Vladimir Putin, President of Russia",
        "Putin, president of Russia",
        "President of Russia Vladimir Putin",
        "President of the Russian Federation Vladimir Putin",
    ],
)
def test_a_title_of_the_country_beside_a_name_is_set_aside(text):
    assert right(text, PUTIN)


@pytest.mark.parametrize(
    "text", ["President of Russia", "Putin, president of Ukraine", "President of Ukraine Putin"]
)
def test_the_title_alone_or_of_another_country_is_not_the_name(text):
    assert not right(text, PUTIN)


@pytest.mark.parametrize(
    "text",
    [
        "Russia wanting to join the Legion",
        "Russia's wanting to join the Legion",
        "Russian wanting to join the Legion",
    ],
)
def test_a_country_before_a_verb_is_who_acts(text):
    assert not right(text, ACCUSED)


@pytest.mark.parametrize(
    "text", ["rebellion of the Russian government", "a rebellion of the government"]
)
def test_of_after_the_answer_does_not_make_the_government_the_rebel(text):
    assert not right(text, REBELLION)


def test_the_government_of_russia_is_the_russian_government():
    assert right("rebellion against the government of Russia", REBELLION)


def test_a_country_after_of_before_another_word_stays_where_it_is():
    pows = {
        "answer": "former POWs",
        "accepted": ["former prisoners of war"],
        "prompt": "They said it was made up wholly of Russian citizens, including {{c1::former "
        "POWs}}.",
    }
    assert not right("former prisoners of Russian war", pows)
    assert right("former Russian prisoners of war", pows)


def test_a_long_word_without_hyphens_is_read_at_once():
    # The hyphened-list pattern once backtracked over every start of such a word.
    from quizzes.rules.answer_words import read

    assert read("x" * 20_000).key == ("x" * 20_000,)


PONOMAREV_CLOZE = {
    "answer": "Ilya Ponomarev",
    "accepted": ["Ponomarev"],
    "prompt": "The organizations also agreed to create a political wing, to represent their "
    "interests and organize a joint information policy, led by {{c1::Ilya Ponomarev}}, a former "
    "Russian MP.",
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Ilya Ponomarev, a former Russian MP", PONOMAREV_CLOZE),
        ("Ponomarev, ex-MP", PONOMAREV_CLOZE),
        ("Russian ex-MP Ilya Ponomarev", PONOMAREV),
        # On either side of it, as what a question asks for stands.
        ("former Russian MP Ponomarev", PONOMAREV_CLOZE),
        ("Russian ex-MP Ilya Ponomarev", PONOMAREV_CLOZE),
    ],
)
def test_what_a_blank_is_said_to_be_after_a_comma_describes_the_answer(text, question):
    assert right(text, question)


@pytest.mark.parametrize("question", [PONOMAREV, PONOMAREV_CLOZE])
@pytest.mark.parametrize(
    "text",
    [
        "MP Ilya Ponomarev",
        "MP Ponomarev",
        "Ponomarev, MP",
        "Ponomarev's MP",
        "Russian MP Ilya Ponomarev",
        "Ponomarev the MP",
        "Ponomarev MP, former",
        # One "former" says it of one.
        "former MP Ponomarev, MP",
        "former Russian MP Ponomarev, an MP",
    ],
)
def test_what_the_answer_was_is_said_with_its_former(text, question):
    """A former MP is no MP: "MP Ponomarev" drops the question's hedge."""
    assert not right(text, question)


@pytest.mark.parametrize("question", [PONOMAREV, PONOMAREV_CLOZE])
@pytest.mark.parametrize(
    "text",
    [
        "Ponomarev, former MP",
        "Ponomarev (ex-MP)",
        "former Russian MP Ilya Ponomarev",
        "Russian Ponomarev",
    ],
)
def test_what_the_answer_was_stands_beside_it_after_former(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("former Russian MP", {"mp"}),
        ("a former Russian MP and activist", {"mp"}),
        ("ex-MP", {"mp"}),
        ("former member of the movement", {"member", "movement"}),
        ("a visiting professor", set()),
        ("a former Russian MP who now lives in Kyiv", {"mp"}),
        ("ex MP", {"mp"}),
        ("formerly vice-chairman", set()),
    ],
)
def test_formerly_reads_what_former_says_of(text, said):
    from quizzes.rules.prompt_words import formerly

    assert formerly(text) == said


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Ponomarev RVC", PONOMAREV_CLOZE),
        ("Ukrainian MP Ponomarev", PONOMAREV_CLOZE),
        ("organize Ponomarev", PONOMAREV_CLOZE),
        (
            "Kursk raids",
            {"answer": "Kursk", "prompt": "In {{c1::Kursk}}, the Legion conducted raids."},
        ),
    ],
)
def test_the_next_clause_after_a_blank_is_no_description_of_it(text, question):
    assert not right(text, question)


# From the second review.


@pytest.mark.parametrize(
    "text",
    [
        "Putin, the president of Russia",
        "Vladimir Putin, the President of the Russian Federation",
        "Putin, a president of Russia",
    ],
)
def test_a_title_of_the_country_with_its_article_is_set_aside(text):
    assert right(text, PUTIN)


def test_the_government_of_the_russian_federation_is_the_russian_government():
    assert right("rebellion against the government of the Russian Federation", REBELLION)


def test_a_country_before_a_verb_in_title_case_is_who_acts_too():
    assert not right("Russia Wanting To Join The Legion", ACCUSED)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Doctor Physical Therapist", {"answer": "physical therapist"}),
        ("President Terrorist Group", {"answer": "a terrorist group"}),
        ("Mr Agency Russian FSB", {"answer": "FSB", "accepted": ["Russian FSB"]}),
    ],
)
def test_a_title_before_two_capitalised_ordinary_words_is_no_title(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Mr Nikolai Okhlopkov", OKHLOPKOV),
        ("Mr Igor Volobuyev", {"answer": "Igor Volobuyev", "accepted": ["Volobuyev"]}),
        ("mr ihor volobuiev", {"answer": "Igor Volobuyev", "accepted": ["Ihor Volobuiev"]}),
    ],
)
def test_a_title_before_a_first_name_and_a_name_is_still_set_aside(text, question):
    assert right(text, question)


# From the third review.


@pytest.mark.parametrize("text", ["Prof. Dr. Michael Clarke", "Prof Dr Michael Clarke"])
def test_titles_one_after_another_before_a_name_are_set_aside(text):
    assert right(text, CLARKE)


@pytest.mark.parametrize(
    ("text", "question"),
    [("physiotherapist's ex", PHYSIOTHERAPIST), ("Ponomarev's ex", PONOMAREV)],
)
def test_ex_alone_is_no_former(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        (
            "ex-physiotherapist",
            {**PHYSIOTHERAPIST, "prompt": "What was Caesar's former profession?"},
        ),
        ("ex-MP Ponomarev", PONOMAREV),
    ],
)
def test_ex_before_a_word_is_former(text, question):
    assert right(text, question)


def test_a_names_abbreviation_in_what_a_blank_is_said_to_be_is_no_description():
    rvc = {
        "answer": "Ilya Ponomarev",
        "prompt": "It was led by {{c1::Ilya Ponomarev}}, a member of the RVC.",
    }
    assert not right("Ilya Ponomarev RVC", rvc)
    assert right("Ilya Ponomarev, a member", rvc)


@pytest.mark.parametrize(
    ("text", "answer", "accepted"),
    [
        ("Kings Collage London", "King's College London", ["KCL"]),
        ("Notional Republican Army", "National Republican Army", []),
    ],
)
def test_a_slip_in_a_names_word_is_forgiven_even_onto_another_english_word(text, answer, accepted):
    # The other words name the thing; a slip in one of them names nothing else.
    assert grade(text, answer=answer, accepted=accepted).correct


def test_a_countrys_title_before_a_name_that_begins_with_the_country_is_no_title():
    rt = {"answer": "RT", "accepted": ["Russia Today"]}
    assert not right("President of Russia Today", rt)
    assert right("Russia Today", rt)


@pytest.mark.parametrize("text", ["wanting to join the FRL", "wanting to join FRL"])
def test_the_legion_may_be_named_as_the_article_abbreviates_it(text):
    assert right(text, ACCUSED)


@pytest.mark.parametrize(
    "text", ["wanting to join the RVC", "wanting to join the International Legion"]
)
def test_another_groups_name_is_another_group(text):
    assert not right(text, ACCUSED)


def test_only_the_legions_own_name_is_abbreviated():
    forms = ("the Legion's flag", "Ukraine's International Legion", "Freedom of Russia Legion")
    assert legion_abbreviated(forms) == (
        (*forms, "the Legion's flag", "Freedom of Russia Legion"),
        (*forms, "the FRL's flag", "the FRL"),
    )


# An office's title says something of whom it stands beside.
REGIME = {
    "answer": "Vladimir Putin",
    "accepted": ["Putin", "Vladimir Vladimirovich Putin", "V. Putin"],
    "prompt": "Whose regime does the Freedom of Russia Legion oppose, together with that "
    "regime's invasion of Ukraine?",
}
PRESS_DATE = {"answer": "5 April", "accepted": ["April 5"]}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("President Ponomarev", PONOMAREV),
        ("Ponomarev, president of Russia", PONOMAREV),
        ("Ponomarev, the Russian president", PONOMAREV),
        ("Professor Ponomarev", PONOMAREV),
        ("President Okhlopkov", OKHLOPKOV),
        ("Okhlopkov, president of Russia", OKHLOPKOV),
        ("President Michael Clarke", CLARKE),
        ("Ukrainian president Putin", REGIME),
        ("Putin, president of Ukraine", REGIME),
        ("president April 5", PRESS_DATE),
        # A knighthood none of them holds.
        ("Sir Putin", REGIME),
        ("Sir Michael Clarke", CLARKE),
    ],
)
def test_an_offices_title_beside_one_who_does_not_hold_it_is_false(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("President Putin", REGIME),
        ("Putin, president of Russia", REGIME),
        ("Putin, the Russian president", REGIME),
        ("the Russian president Putin", REGIME),
        ("Russian President Vladimir Putin", REGIME),
        ("Putin, Russia's president", REGIME),
        ("Professor Clarke", CLARKE),
        ("Dr. Prof. Michael Clarke", CLARKE),
        ("President V.V. Putin", REGIME),
        ("Russian President V. V. Putin", REGIME),
        ("Mr Ponomarev", PONOMAREV),
        ("Dr Okhlopkov", OKHLOPKOV),
    ],
)
def test_an_offices_title_beside_its_holder_or_a_courtesy_title_is_set_aside(text, question):
    assert right(text, question)


def test_a_form_naming_the_legion_of_something_else_is_not_abbreviated():
    assert legion_abbreviated(("the Legion of Honour",)) == (("the Legion of Honour",),) * 2


def test_no_forms_grade_nothing_right():
    assert not grade("x", answer="", accepted=[]).correct
    assert not grade("x", answer="  ").correct
    assert not grade("x", answer="", prompt="In which city was it held?").correct


@pytest.mark.parametrize(
    ("after", "verb"),
    [
        (" month and year was the Freedom of Russia Legion formed?", "formed"),
        (" date was the Legion's official Telegram channel created?", "created"),
        (" day did three men announce the Legion was formed?", ""),
        (" day did three men hold a press conference announcing that it had been formed?", ""),
        (" date did Putin sign the law?", ""),
        (" date did the channel post a video claiming to show a tank being captured?", ""),
    ],
)
def test_the_verb_a_date_is_the_time_of_is_the_main_clauses_last(after, verb):
    assert dated_verb(after) == verb


@pytest.mark.parametrize(
    ("after", "main"),
    [
        (" day did the Legion say it had captured a POW?", "day did the Legion say"),
        (
            " day did they hold a press conference announcing that",
            "day did they hold a press conference",
        ),
        (
            " date did the channel post a video claiming to show",
            "date did the channel post a video",
        ),
        (" month and year was the Legion formed?", "month and year was the Legion formed"),
    ],
)
def test_a_questions_main_clause_ends_where_another_begins(after, main):
    assert main_clause(after) == main


# A hyphened word of the question, typed whole.
AXE = {
    "answer": "David Axe",
    "accepted": ["Axe"],
    "prompt": 'Which staff writer for Forbes described the group as "far-right"?',
}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Russian anti-war activist Nikolay Okhlopkov", ARRESTED),
        ("anti-war activist Okhlopkov", ARRESTED),
        ("Nikolay Okhlopkov, a Russian anti-war activist", DENIED),
        ("anti–war Nikolay Okhlopkov", DENIED),  # an en dash
        ("anti\u2010war Nikolay Okhlopkov", DENIED),  # Unicode's hyphen
    ],
)
def test_a_hyphened_word_of_what_is_asked_may_be_typed_whole(text, question):
    assert right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # Its parts alone say something else.
        ("war activist Okhlopkov", ARRESTED),
        ("pro-war activist Okhlopkov", ARRESTED),
        # One the question says of something else is not the answer's.
        ("David Axe far-right", AXE),
        ("far-right David Axe", AXE),
        ("David Axe farright", AXE),
        ("David Axe, a far'right writer", AXE),
    ],
)
def test_a_hyphened_word_in_part_or_of_something_else_is_no_filler(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "pasts_of"),
    [
        (" date did Putin sign the law", {"signed"}),
        (" day did three men hold a press conference", {"held"}),  # "conferenced" is none
        (" day did the Legion say", {"said"}),
        (" city was the press conference held", set()),  # no "did"
        (" date did the Legion carry out a raid", {"carried", "raided"}),
    ],
)
def test_the_past_of_each_word_after_did(text, pasts_of):
    allowed = {"sign", "hold", "conference", "say", "carry", "raid"}
    assert pasts(text, allowed, {"signed", "carried", "raided"}) == pasts_of
