"""Which questions show another fact's answer on their front, and the order a quiz asks them in
(rules.giveaways)."""

from itertools import permutations
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.rules import giveaways
from quizzes.rules.giveaways import Front, QuizOrder, answers_shown, choice_telling

# Two clozes of one sentence, each blanking what the other shows.
MONTH = Front(
    id=1,
    fact_id=10,
    shown=("It was formed in … and is reportedly part of Ukraine's International Legion.",),
    forms=("March 2022", "Mar 2022"),
)
LEGION = Front(
    id=2,
    fact_id=20,
    shown=("It was formed in March 2022 and is reportedly part of ….",),
    forms=("Ukraine's International Legion", "the International Legion"),
)


def test_a_cloze_shows_what_another_cloze_of_its_sentence_hides():
    shown = answers_shown([MONTH, LEGION])
    assert shown[LEGION.id] == {MONTH.id}
    assert shown[MONTH.id] == {LEGION.id}


def test_choices_are_shown_too():
    choice = Front(
        id=3, fact_id=30, shown=("When was it formed?", "5 April", "Mar. 2022"), forms=()
    )
    assert answers_shown([choice, MONTH])[choice.id] == {MONTH.id}


def test_a_choice_question_is_never_given_away():
    choice = Front(id=3, fact_id=30, shown=("Which month?", "March 2022", "May 2023"), forms=())
    assert answers_shown([choice, LEGION])[LEGION.id] == frozenset()


def test_a_question_of_the_same_fact_is_a_sibling_not_a_give_away():
    twin = Front(id=4, fact_id=MONTH.fact_id, shown=("Formed in March 2022: true?",), forms=())
    assert answers_shown([twin, MONTH])[twin.id] == frozenset()


def test_answers_are_found_only_as_whole_words_with_case_and_accents_folded():
    asked = Front(id=5, fact_id=50, shown=("How many battalions?",), forms=("two battalions",))
    twofold = Front(id=6, fact_id=60, shown=("A twofold rise?",), forms=())
    shouted = Front(id=7, fact_id=70, shown=("Its TWO BATTALIONS?",), forms=())
    accented = Front(id=8, fact_id=80, shown=("Volunteer corps",), forms=())
    corps = Front(id=9, fact_id=90, shown=("Which corps?",), forms=("Volunteer Córps",))
    shown = answers_shown([asked, twofold, shouted, accented, corps])
    assert shown[twofold.id] == frozenset()
    assert shown[shouted.id] == {asked.id}
    assert shown[accented.id] == {corps.id}


def test_a_number_alone_shows_nothing_but_beside_what_it_counts_it_does():
    # The bundled bank's "how many battalions?" and "how many men?": a front that says "two" or
    # "three" of something else tells neither, one that says "two battalions" tells the first.
    battalions = Front(
        id=5,
        fact_id=50,
        shown=("How many battalions?",),
        forms=("two", "2", "two battalions", "2 battalions"),
    )
    men = Front(id=6, fact_id=60, shown=("How many men?",), forms=("three", "3", "three men"))
    words = Front(id=7, fact_id=70, shown=("Give his two-word phrase.",), forms=())
    letters = Front(id=8, fact_id=80, shown=("A three-letter abbreviation?",), forms=())
    villages = Front(id=9, fact_id=90, shown=("How many villages?", "Two", "Three"), forms=())
    stating = Front(
        id=10, fact_id=100, shown=("It had 2 battalions and raised how many?",), forms=()
    )
    shown = answers_shown([battalions, men, words, letters, villages, stating])
    assert shown[words.id] == shown[letters.id] == shown[villages.id] == frozenset()
    assert shown[stating.id] == {battalions.id}


@pytest.mark.parametrize(
    ("form", "telling"),
    [
        ("two", False),
        ("23", False),
        ("twenty three", False),
        ("2022-03", False),
        ("two battalions", True),
        ("Article 23", True),
        ("March 2022", True),
        ("", False),
    ],
)
def test_numbers_alone_are_no_telling_form(form, telling):
    assert giveaways.form_telling(form) is telling


@pytest.mark.parametrize(
    ("prompt", "right", "forms"),
    [
        ("How many villages did it claim?", ["Two"], ("Two villages", "2 villages")),
        ("It was raising how many more?", ["3"], ("3 more",)),
        ("How many teams?", ["twenty three"], ("twenty three teams", "23 teams")),
        ("Which year?", ["2022"], ()),
        ("How many men were there?", ["one two"], ()),
        ("How many men were there?", ["2 3"], ()),
        ("Which bank?", ["Gazprombank"], ("Gazprombank",)),
        ("Which side?", ["Ukrainian"], ()),
    ],
)
def test_a_right_choice_of_a_number_alone_is_looked_for_with_what_it_counts(prompt, right, forms):
    assert giveaways.choice_forms(prompt, right) == forms


def test_an_answer_split_across_two_choices_is_not_shown():
    split = Front(id=3, fact_id=30, shown=("Which?", "It was March", "2022 it was"), forms=())
    assert answers_shown([split, MONTH])[split.id] == frozenset()


def test_a_question_comes_before_every_question_that_shows_its_answer():
    # 5's answer is shown by 6, and 6's by 7: 5, then 6, then 7; 8 anywhere.
    order = QuizOrder.of({5: frozenset(), 6: frozenset({5}), 7: frozenset({6}), 8: frozenset()})
    assert order.fits({5, 6}, 7)
    orders = {tuple(order.ordered([7, 8, 6, 5], Random(seed))) for seed in range(40)}
    for drawn in orders:
        assert drawn.index(5) < drawn.index(6) < drawn.index(7)
    # Random within that: 8 takes every place.
    assert {drawn.index(8) for drawn in orders} == {0, 1, 2, 3}


def test_two_that_show_each_others_answer_or_a_ring_never_fit_together():
    both = QuizOrder.of({1: frozenset({2}), 2: frozenset({1}), 3: frozenset()})
    assert not both.fits({1}, 2)
    assert both.fits({1}, 3)
    ring = QuizOrder.of({1: frozenset({2}), 2: frozenset({3}), 3: frozenset({1})})
    assert ring.fits({1}, 2)
    assert not ring.fits({1, 2}, 3)
    with pytest.raises(ValueError, match="do not fit together"):
        ring.ordered([1, 2, 3], Random(0))


def test_a_prompt_stating_a_multiple_choice_questions_right_choice_gives_it_away():
    bank_name = Front(
        id=11,
        fact_id=110,
        shown=("Formerly vice-chairman of which bank?", "Sberbank", "Gazprombank", "VTB"),
        forms=("Gazprombank",),
        decoys=("Sberbank", "VTB"),
    )
    stating = Front(
        id=12, fact_id=120, shown=("When did the ex-vice-chairman of Gazprombank join?",), forms=()
    )
    listing = Front(id=13, fact_id=130, shown=("Which bank?", "Gazprombank", "VTB"), forms=())
    shown = answers_shown([bank_name, stating, listing])
    assert shown[stating.id] == {bank_name.id}
    # A front that shows a wrong choice as well tells nothing of which one is right.
    assert shown[listing.id] == frozenset()


@pytest.mark.parametrize(
    ("choice", "telling"),
    [
        ("Gazprombank", True),
        ("Deputy commander", True),
        ("Two", False),
        ("12", False),
        ("Ukrainian", False),
        ("the Russian side", True),
        ("", False),
    ],
)
def test_a_right_choice_of_one_common_word_or_a_number_tells_nothing(choice, telling):
    assert choice_telling(choice) is telling


def test_a_possessive_shows_the_name_it_is_made_of():
    asked = Front(id=5, fact_id=50, shown=("Whose regime does it oppose?",), forms=("Putin",))
    curly = Front(
        id=6, fact_id=60, shown=("Putin’s regime can be toppled only by what?",), forms=()
    )
    straight = Front(id=7, fact_id=70, shown=("What was spokesperson Caesar's job?",), forms=())
    named = Front(id=8, fact_id=80, shown=("Which nom de guerre?",), forms=("Caesar",))
    shown = answers_shown([asked, curly, straight, named])
    assert shown[curly.id] == {asked.id}
    assert shown[straight.id] == {named.id}


def _fits_by_trying_every_order(order, ids):
    """Whether `ids` can be asked in some order with each before every one showing its answer."""
    return any(
        all(ask.index(q) < ask.index(s) for s in ids for q in order.shows[s] if q in ids)
        for ask in map(list, permutations(ids))
    )


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))),
            st.permutations(range(n)),
            st.integers(0, 2**32),
        )
    )
)
def test_fits_takes_exactly_the_questions_some_order_can_ask(graph):
    n, edges, candidates, seed = graph
    order = QuizOrder.of({q: frozenset(b for a, b in edges if a == q and b != q) for q in range(n)})
    chosen: set[int] = set()
    for candidate in candidates:
        fits = order.fits(chosen, candidate)
        assert fits == _fits_by_trying_every_order(order, [*chosen, candidate])
        if fits:
            chosen.add(candidate)
    asked = order.ordered(sorted(chosen), Random(seed))
    assert sorted(asked) == sorted(chosen)
    for showing in asked:
        for shown in order.shows[showing]:
            if shown in chosen:
                assert asked.index(shown) < asked.index(showing)


def _shown_by_every_pair(fronts):
    """answers_shown as every front against every form (what its word index must equal)."""
    words = giveaways._words
    shown = {}
    for showing in fronts:
        text = "".join(words(part) for part in showing.shown)
        shown[showing.id] = frozenset(
            asked.id
            for asked in fronts
            if asked.fact_id != showing.fact_id
            and any(
                f.strip()
                and f in text
                and not any(
                    d.strip() and d not in f and d in text for d in map(words, asked.decoys)
                )
                for f in map(words, filter(giveaways.form_telling, asked.forms))
            )
        )
    return shown


_PIECES = ["a", "b", " ", "-", "'", "’", ".", ",", "\u00a0", "É", "two", "twenty", "Putin's", "a b"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.lists(_TEXTS, max_size=3),
            st.lists(_TEXTS, max_size=3),
            st.lists(_TEXTS, max_size=2),
        ),
        max_size=6,
    )
)
def test_the_word_index_finds_what_every_pair_finds(drawn):
    fronts = [
        Front(number, fact, tuple(shown), tuple(forms), tuple(decoys))
        for number, (fact, shown, forms, decoys) in enumerate(drawn)
    ]
    assert dict(answers_shown(fronts)) == _shown_by_every_pair(fronts)


def test_a_wrong_choice_inside_the_right_one_does_not_hide_it():
    deputy = Front(
        id=21,
        fact_id=210,
        shown=("What was his role?", "Commander", "Deputy commander", "Spokesman"),
        forms=("Deputy commander",),
        decoys=("Commander", "Spokesman"),
    )
    stating = Front(id=22, fact_id=220, shown=("When did the deputy commander speak?",), forms=())
    both = Front(id=23, fact_id=230, shown=("The deputy commander and the spokesman?",), forms=())
    shown = answers_shown([deputy, stating, both])
    assert shown[stating.id] == {deputy.id}
    # Another wrong choice shown as well still tells nothing.
    assert shown[both.id] == frozenset()


def test_a_day_without_a_year_is_not_shown_by_that_day_of_another_year():
    raid = Front(
        id=11,
        fact_id=110,
        shown=("On what day was the raid?",),
        forms=("1 June 2023", "1 June", "June 1"),
    )
    video = Front(id=12, fact_id=120, shown=("A video of 1 June 2022 showed a tank.",), forms=())
    spoken = Front(id=13, fact_id=130, shown=("On June 1, 2022, a video?",), forms=())
    same = Front(id=14, fact_id=140, shown=("The raid of 1 June 2023.",), forms=())
    bare = Front(id=15, fact_id=150, shown=("What happened on 1 June?",), forms=())
    shown = answers_shown([raid, video, spoken, same, bare])
    assert shown[video.id] == frozenset()
    assert shown[spoken.id] == frozenset()
    assert shown[same.id] == {raid.id}
    assert shown[bare.id] == {raid.id}


ARTICLE = "".join(chr(ord("a") + i % 26) for i in range(400))


def statement(id, start, end, *, fact_id=None, is_statement=True, text=None):
    passage = ARTICLE[start:end] if text is None else text
    return giveaways.Quoted(id, fact_id or id * 10, start, passage, is_statement)


def test_a_back_quoting_a_statements_passage_decides_it():
    """A true/false card's passage quoted whole, or half of it at least, on another card's back
    tells whether it is true; a glimpse of its edge, its own fact or another kind does not."""
    quoting = statement(1, 100, 200, is_statement=False)
    whole = statement(2, 120, 180)
    half = statement(3, 150, 250)
    edge = statement(4, 190, 290)
    sibling = statement(5, 120, 180, fact_id=10)
    typed = statement(6, 120, 180, is_statement=False)
    shown = giveaways.statements_shown([quoting, whole, half, edge, sibling, typed])
    assert shown[1] == {2, 3}
    # A statement's back decides others too: the fifth is a sibling of the first only.
    assert shown[2] == {5}


def test_passages_at_one_offset_with_other_words_share_nothing():
    """An offset is where the loader found a passage; one it did not find says 0: only the words
    themselves tell that two passages overlap."""
    quoting = statement(1, 0, 30, is_statement=False, text="Passage number 1, of the back.")
    other = statement(2, 0, 20, text="Passage number 2.")
    same = statement(3, 0, 17, text="Passage number 1")
    assert giveaways.statements_shown([quoting, other, same])[1] == {3}
