"""A country a learner adds to an answer that names none is right only where the question ties
that country to the answer: among the words that ask for it, or next to a blank. A country the
question names for something else makes a false answer ("Lysychansk, Russia" for a place in
Ukraine, because the question said "a Russian POW")."""

import pytest

from quizzes.rules import countries
from quizzes.rules.grading import grade

Question = tuple[str, list[str], str]

AREA: Question = (
    "Lysychansk",
    ["Lysychansk area"],
    "In which area did the Legion say on 29 June that it had captured a Russian POW?",
)
BANK: Question = (
    "Gazprombank",
    ["Gazprom Bank"],
    "Igor Volobuyev, who joined the Legion, is the Ukrainian-born ex-vice-chairman of which bank?",
)
FASCISTS: Question = (
    "real fascists",
    ["the real fascists"],
    "According to the company commander, his company crossed to the Ukrainian side to protect "
    "Ukrainians from whom? Give his two-word phrase.",
)
CLARKE: Question = (
    "Michael Clarke",
    ["Clarke"],
    "Which visiting professor of war studies at King's College London commented on the Legion "
    "and the Russian Volunteer Corps in May 2023?",
)
REGIONS: Question = (
    "Kursk and Belgorod",
    ["Belgorod and Kursk"],
    "In which two Russian regions did the Legion conduct raids on 12 March 2024?",
)
MP: Question = (
    "Ilya Ponomarev",
    ["Ponomarev"],
    "Which former Russian MP was to lead the political wing that the Legion and the National "
    "Republican Army agreed to create?",
)
HARPERS: Question = (
    "Harper's Magazine",
    ["Harpers Magazine"],
    "The Moscow Times also cited the report in {{c1::Harper's Magazine}} which \"described how "
    'Ukraine did not have the capacity to process and deploy foreign fighters".',
)
DISTRICT: Question = (
    "Grayvoronsky District",
    ["Grayvoronsky"],
    "In May 2023, the Legion and the Russian Volunteer Corps launched a raid into Russia, in "
    "{{c1::Grayvoronsky District}}, Belgorod Oblast.",
)
COMPANY: Question = (
    "company",
    [],
    "According to UNIAN, the Freedom of Russia Legion was formed from a {{c1::company}} of the "
    "Russian army who voluntarily defected to the Ukrainian side.",
)
FLAG: Question = (
    "white-blue-white",
    [],
    "The Legion uses the {{c1::white-blue-white}} flag instead of the official white-blue-red "
    "flag of Russia.",
)
SIGNED: Question = (
    "Vladimir Putin",
    ["Putin"],
    'Who signed the law of 14 July 2022 under which Russian citizens who "defect to the side of '
    'the enemy" can be imprisoned?',
)
POWS: Question = (
    "former POWs",
    ["former prisoners of war"],
    "They said it was made up wholly of Russian citizens, including {{c1::former POWs}}.",
)


def right(text: str, question: Question) -> bool:
    answer, accepted, prompt = question
    return grade(text, answer=answer, accepted=accepted, prompt=prompt).correct


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # The question names the country for something else than the answer.
        ("Lysychansk, Russia", AREA),
        ("Russian Lysychansk", AREA),
        ("the Lysychansk area of Russia", AREA),
        ("Ukrainian Gazprombank", BANK),
        ("Gazprombank of Ukraine", BANK),
        ("real Ukrainian fascists", FASCISTS),
        ("Ukrainian real fascists", FASCISTS),
        ("Michael Clarke, Russian", CLARKE),
        # Around a blank, a country further along the sentence is another thing's.
        ("Harper's Magazine of Ukraine", HARPERS),
        ("Harper's Magazine, Ukraine", HARPERS),
        ("company of Ukraine", COMPANY),
        ("white-blue-white flag of Russia", FLAG),
        # A country amid a proper name makes another name.
        ("Ilya Russian Ponomarev", MP),
        ("Grayvoronsky Russian District", DISTRICT),
    ],
)
def test_a_country_the_question_names_for_something_else_is_wrong(text, question):
    assert not right(text, question)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Lysychansk", AREA),
        ("the Lysychansk area", AREA),
        # The words that ask name the country: it is the answer's.
        ("Kursk and Belgorod, Russia", REGIONS),
        ("Russia's Kursk and Belgorod", REGIONS),
        ("Russian Ilya Ponomarev", MP),
        # A later word that asks counts too: reading only the first would refuse this.
        ("Russian President Putin", SIGNED),
        ("Ilya Ponomarev of Russia", MP),
        # Next to the blank.
        ("Grayvoronsky District, Russia", DISTRICT),
        ("a company of the Russian army", COMPANY),
        ("Russian former POWs", POWS),
        ("former Russian POWs", POWS),
        ("Harper's Magazine", HARPERS),
    ],
)
def test_a_country_the_question_ties_to_the_answer_is_still_right(text, question):
    assert right(text, question)


def test_the_words_that_ask_are_read_for_a_country():
    assert countries.asked(REGIONS[2]) == {"russia"}
    assert countries.asked(MP[2]) == {"russia"}
    assert countries.asked(AREA[2]) == set()
    assert countries.asked(BANK[2]) == set()
    assert countries.asked("Ukraine's what?") == {"ukraine"}
    # Two there tie neither.
    assert countries.asked("Which Russian or Ukrainian unit?") == set()
    assert not right(
        "Russian Sibir Battalion", ("Sibir Battalion", [], "Which Russian or Ukrainian unit?")
    )
    # A question with no word that asks ties no country to its answer.
    assert countries.asked("Name the Russian agency.") == set()


def test_a_country_next_to_a_blank_is_read_on_its_side():
    assert countries.beside("a raid into Russia, in", ", Belgorod Oblast.") == ({"russia"}, set())
    # "___ of the Russian army" says what "Russian ___" does: the country stands either side.
    assert countries.beside(
        "formed from a", "of the Russian army who defected to the Ukrainian side"
    ) == ({"russia"}, {"russia"})
    assert countries.beside("the", "of Russia, alongside") == ({"russia"}, {"russia"})
    assert countries.beside("It consists of", "from the Russian Armed Forces") == (
        set(),
        {"russia"},
    )
    assert countries.beside("report in", 'which "described how Ukraine did not') == (set(), set())


BELGOROD: Question = (
    "Belgorod region",
    ["Belgorod"],
    "Since 22 May 2023, the Legion has launched cross-border raids into the {{c1::Belgorod "
    "region}} of Russia, alongside the Russian Volunteer Corps (RVC) and the Sibir Battalion.",
)


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        ("Russian Belgorod region", BELGOROD, True),
        ("Russia's Belgorod region", BELGOROD, True),
        ("Belgorod region of Russia", BELGOROD, True),
        ("Ukrainian Belgorod region", BELGOROD, False),
        ("a Russian company", COMPANY, True),
        ("Ukrainian company", COMPANY, False),
    ],
)
def test_a_country_of_the_blank_may_come_before_it(text, question, expected):
    assert right(text, question) is expected


INVASION: Question = (
    "invasion",
    [],
    "The Legion opposes the Russian regime of Vladimir Putin and its {{c1::invasion}} of Ukraine.",
)
REFUGEES: Question = ("refugees", [], "Thousands became {{c1::refugees}} of the Russian invasion.")


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        # The country an invasion befalls is not the invader, before the answer either.
        ("invasion of Ukraine", INVASION, True),
        ("Ukrainian invasion", INVASION, False),
        ("Ukraine's invasion", INVASION, False),
        # The invader is not the invasion's refugees.
        ("refugees of the Russian invasion", REFUGEES, True),
        ("Russian refugees", REFUGEES, False),
    ],
)
def test_a_country_an_act_of_the_blank_names_does_not_come_before_it(text, question, expected):
    assert right(text, question) is expected


def test_of_before_an_act_or_after_one_lends_no_country_to_the_front():
    assert countries.beside("its", "of Ukraine.", {"invasion"}) == (set(), {"ukraine"})
    assert countries.beside("became", "of Russia's invasion.") == (set(), {"russia"})
    assert countries.beside("became", "of the Russian invasion.") == (set(), {"russia"})
    assert countries.beside("the", "of the Russian army") == ({"russia"}, {"russia"})


REPEL: Question = (
    "repel the Russian invasion of Ukraine",
    ["repel the Russian invasion", "repel the invasion of Ukraine", "repel the invasion"],
    "The Legion's stated goals are to {{c1::repel the Russian invasion of Ukraine}} and ultimately "
    "depose the silovik regime of Vladimir Putin.",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Of" after an act names whom it befalls: the invasion of Ukraine is Russia's.
        ("repel the Ukrainian invasion", False),
        ("repel Ukraine's invasion", False),
        ("repel the invasion of Russia", False),
        ("repel the invasion of Ukraine", True),
        ("repel the Russian invasion", True),
        ("repel Russia's invasion of Ukraine", True),
    ],
)
def test_the_country_an_invasion_befalls_is_not_the_invader(text, expected):
    assert right(text, REPEL) is expected


def test_two_countries_beside_a_blank_say_neither():
    assert countries.beside("Russian and Ukrainian", "") == (set(), set())
    assert not right("Ukrainian former POWs", ("former POWs", [], "Russian and Ukrainian ___."))


PENALTY: Question = (
    "20 years",
    ["up to 20 years", "twenty years"],
    'Under the law Putin signed on 14 July 2022, Russian citizens who "defect to the side of the '
    'enemy" can be imprisoned for up to how many years?',
)
PENALTY_CLOZE: Question = (
    "up to 20 years in jail",
    ["20 years", "up to 20 years"],
    "In March 2023 the Supreme Court of Russia declared the Legion a terrorist group meaning "
    "citizens who join can face {{c1::up to 20 years in jail}}.",
)


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        # A prison term is served where the prompt's one country jails, wherever it names it.
        ("20 years in a Russian prison", PENALTY, True),
        ("up to 20 years in a Russian jail", PENALTY_CLOZE, True),
        ("20 years in a Ukrainian prison", PENALTY, False),
        ("up to 20 years in a Ukrainian jail", PENALTY_CLOZE, False),
    ],
)
def test_a_prison_term_may_name_the_country_the_prompt_names(text, question, expected):
    assert right(text, question) is expected
