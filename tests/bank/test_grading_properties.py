"""Grading over the whole bank, as the site grades (with each question's prompt): every form of a
question is right however it is written, and no other question's answer is, unless it is the same
answer."""

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.management.commands.load_questions import DEFAULT_PATH
from quizzes.rules.answer_dates import parse_date
from quizzes.rules.answer_words import read
from quizzes.rules.bankfile import bank_parse, bank_questions
from quizzes.rules.grading import answer_forms, grade
from quizzes.rules.numerals import is_number_word, is_scale_word
from quizzes.rules.prompt_roles import answer_roles
from quizzes.rules.word_lists import LEADING, NEVER_FILLER, QUALIFIERS

BANK = bank_parse(DEFAULT_PATH.read_text(encoding="utf-8"))
# Each question read flat, with the forms it is graded by (its fact's).
TYPED = [q for q in bank_questions(BANK) if q["kind"] in {"typed", "cloze"}]


def forms(question) -> tuple[str, ...]:
    return answer_forms(question["answer"], question.get("accepted_answers") or ())


def verdict(text: str, question):
    return grade(
        text,
        answer=question["answer"],
        accepted=question.get("accepted_answers") or (),
        prompt=question["prompt"],
    )


def _prompt_words(question) -> set[str]:
    prompt = re.sub(r"\{\{c\d+::.*?\}\}", " ", question["prompt"])
    return {w for w in re.findall(r"[^\W\d_]+", prompt) if w.islower() and len(w) > 1}


def same_answer(question, other) -> bool:
    """Whether `other` has an answer `question` may take: a form both share once read as grading
    reads it ("Okhlopkov" twice), or a form of the question with only words its prompt already
    says ("Putin's regime" answers "Whose regime does the Legion oppose?")."""
    own = {read(form).key for form in forms(question)}
    if own & {read(form).key for form in forms(other)}:
        return True
    said = _prompt_words(question)
    own_sets = {frozenset(key) for key in own}
    return any(
        frozenset(w for w in read(form).key if w not in said) in own_sets for form in forms(other)
    )


def written_otherwise(form: str) -> list[str]:
    """The ways a learner writes a form that the form does not: with "the", in any case, and an
    abbreviation with dots or spaces."""
    variants = [f"the {form}", form.upper(), form.casefold(), f"  {form.title()}  "]
    if re.fullmatch(r"[A-Z]{2,5}", form):
        variants += [".".join(form) + ".", " ".join(form), ". ".join(form).lower()]
    return variants


@pytest.mark.parametrize("question", TYPED, ids=lambda q: q["slug"])
def test_every_form_of_every_question_is_right_however_it_is_written(question):
    for form in forms(question):
        assert verdict(form, question).correct, form
        if parse_date(form) is None:
            for text in written_otherwise(form):
                assert verdict(text, question).correct, text


def test_no_question_takes_another_questions_answer_unless_it_is_the_same_answer():
    taken = [
        (question["slug"], form)
        for question in TYPED
        for other in TYPED
        if other is not question and not same_answer(question, other)
        for form in forms(other)
        if verdict(form, question).correct
    ]
    assert taken == []


@settings(max_examples=300, deadline=None)
@given(
    question=st.sampled_from(TYPED),
    other=st.sampled_from(TYPED),
    joiner=st.sampled_from([" and ", " or ", ", not ", " but not ", " / ", " & "]),
    first=st.booleans(),
)
def test_a_right_answer_joined_to_another_questions_answer_is_wrong(question, other, joiner, first):
    if same_answer(question, other) or same_answer(other, question):
        return
    right, wrong = question["answer"], other["answer"]
    text = right + joiner + wrong if first else wrong + joiner + right
    assert not verdict(text, question).correct, text


def _sides(question) -> tuple[set[str], set[str]]:
    """The prompt's words a learner may write before the answer, and after it: where the prompt
    has one blank (a cloze's deletion or "___"), the words of its clause on that side of it,
    within four words of it; where it asks once ("which …?"), the four words of its clause
    before the words that ask, before the answer, and every word of its clause after them, on
    either side; elsewhere any of the prompt's words, on either side. (Prompts that ask twice,
    "a man who had ties … which agency?", have tests of their own.) A clause ends at a comma, a
    colon or a bracket, and at a relative word after another word ("a man who had ties");
    before the answer also at "and", "or", "but", and after a blank at one before a common word
    ("{{corruption}} and suppression"). A part of a hyphened word ("letter" of "three-letter")
    is no word the prompt says."""
    prompt = question["prompt"]
    blanks = list(re.finditer(r"\{\{c\d+::.*?\}\}|_{3,}", prompt))
    asking = list(re.finditer(_ASKING, prompt, re.IGNORECASE))
    if not blanks and len(asking) > 1:
        return set(), set()
    if not blanks and not asking:
        words = _prompt_words({"prompt": _unhyphened(prompt)})
        return words, words
    if len(blanks) > 1:
        words = _prompt_words({"prompt": _unhyphened(prompt)})
        return words, words
    where = blanks[0] if blanks else asking[0]
    before = re.split(r"[.!?][\"']?\s+", prompt[: where.start()])[-1]
    after = re.split(r"[.!?][\"']?\s+", prompt[where.end() :])[0]
    relative = r"(?<=\w)\W+(?:who|whom|whose|which)\b"
    joining = r"\b(?:and|or|but)\b"
    before = re.split(r"[,;:()\[\]—–]", before)[-1]
    before = re.split(joining, re.split(relative, before, flags=re.I)[-1])[-1]
    after = re.split(relative, re.split(r"[,;:()\[\]—–]", after)[0], flags=re.I)[0]
    if blanks:
        after = re.split(r"\b(?:and|or|but)\s+(?=[a-z])", after)[0]
    before_words, after_words = (re.findall(r"[\w'’-]+", part) for part in (before, after))
    near = " ".join(before_words[-4:]), " ".join(after_words[: 4 if blanks else None])
    said_before = _prompt_words({"prompt": "— " + _unhyphened(near[0])})
    said_after = _prompt_words({"prompt": "— " + _unhyphened(near[1])})
    if blanks:
        return said_before, said_after
    # After the words that ask, only what they ask for (up to four words, before a helping
    # verb or a word ending in "ed" or "ly"; none after "who", "where", "when") may stand before
    # the answer as well.
    noun = []
    if where.group().casefold() not in {"who", "where", "when"}:
        for word in after_words[:4]:
            if word.casefold() in _HELPING or re.search(r"(?:ed|ly)$", word):
                break
            noun.append(word)
    asked = _prompt_words({"prompt": "— " + _unhyphened(" ".join(noun))})
    # After a preposition that asks ("lead a march on which city?"), the words before it stand
    # before the answer only with it (test_grading_meanings): alone, only it and a country; but for
    # a prison term's "up to how many years", which adds nothing.
    lead = before_words[-1].casefold() if before_words else ""
    jailed = re.search(r"\b(?:prison|jail|imprison\w*)\b", prompt, re.IGNORECASE)
    if lead in LEADING - NEVER_FILLER and not jailed and prompt[: where.start()].endswith(" "):
        said_before = {w for w in said_before if w in {lead, "russia", "ukraine"}}
    return said_before | asked, said_after


_HELPING = frozenset(
    [
        "did",
        "does",
        "do",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
    ]
)


_ASKING = r"\b(?:which|what|who|whom|whose|where|when|how many|how much)\b"


def _unhyphened(text: str) -> str:
    """The text without its hyphened words, nor a clause set against the answer ("instead of
    the official flag": its words describe the other flag)."""
    text = re.sub(r"\b(?:instead of|rather than|unlike)\b[^,;:.?!]*", " ", text, flags=re.I)
    return re.sub(r"\w+(?:-\w+)+", " ", text)


@settings(max_examples=200, deadline=None)
@given(question=st.sampled_from(TYPED), data=st.data())
def test_a_right_answer_with_a_question_word_of_its_own_prompt_is_right(question, data):
    if parse_date(question["answer"]) is not None:
        return
    before, after = _sides(question)
    side = data.draw(st.sampled_from(["before", "after"]))
    # Words read as themselves: "one" is the number 1 and "the" is no word, never words added.
    words = (before if side == "before" else after) - NEVER_FILLER - QUALIFIERS
    if side == "after":
        # A verb the question has others do, right after the answer, says the answer did it
        # ("Ponomarev agreed" of "… that the Legion and the NRA agreed to create?"):
        # tests/unit/test_grading_roles.py holds those wrong.
        words -= answer_roles(question["prompt"]).always
    said = sorted(w for w in words if read(w).key[:1] == (w,))
    if not said:
        return
    answer = question["answer"]
    if side == "after" and _ends_in_number(answer):
        # Right after a number, only what it counts (the next test).
        said = [w for w in said if w in _counts(question)]
    elif side == "before" and _is_number(answer):
        said = []  # before a bare number, nothing (the next test)
    if not said:
        return
    word = data.draw(st.sampled_from(said))
    text = f"{word} {answer}" if side == "before" else f"{answer} {word}"
    assert verdict(text, question).correct, text


def _is_number(word: str) -> bool:
    return word.isdigit() or is_number_word(word.casefold()) or is_scale_word(word.casefold())


def _ends_in_number(text: str) -> bool:
    words = re.findall(r"\w+", text)
    return bool(words) and _is_number(words[-1])


def _counts(question) -> set[str]:
    """What a question's number counts: the word after a number in one of its forms ("20
    years"), or the word its prompt's "how many" asks for ("How many men …?")."""
    counted = set(re.findall(r"\bhow (?:many|much) (\w+)", question["prompt"], re.IGNORECASE))
    for form in forms(question):
        words = re.findall(r"\w+", form)
        counted |= {b for a, b in pairwise(words) if _is_number(a)}
    return counted


# Words that bound or place a number without saying what it counts ("up to 20", "20 in jail"),
# and articles ("a 20-year term").
BESIDE_COUNT = {"in", "for", "up", "to", "behind", "a", "an", "the"}
# Each question with each of its forms that ends in a number (dates aside): "20", "three".
NUMBERED = [
    (question, form)
    for question in TYPED
    for form in forms(question)
    if _ends_in_number(form) and parse_date(form) is None
]


@settings(max_examples=300, deadline=None)
@given(
    numbered=st.sampled_from(NUMBERED), side=st.sampled_from(["before", "after"]), data=st.data()
)
def test_a_number_beside_a_prompt_word_it_does_not_count_is_wrong(numbered, side, data):
    # "20 citizens", "3 balaclavas", "23 combat", "citizens: 20": the right number of something
    # else. Before a number, only a bare one (what "two villages" counts follows it).
    question, form = numbered
    if side == "before" and not _is_number(form):
        return
    named = re.search(r"(\w+)\.?\s+\d+$", form)
    # The name, or its abbreviation ("Art. 23").
    asks = named and re.search(rf"\b(?:which|what)\s+{named[1]}", question["prompt"], re.I)
    if side == "after" and asks:
        # A number in figures after the name the question asks it by ("which article": "Article
        # 23") counts nothing: the question's words may place it ("Article 23 of the Geneva
        # Convention"; test_grading_rules).
        return
    words = _sides(question)[0 if side == "before" else 1]
    own = {w.casefold() for other in forms(question) for w in re.findall(r"\w+", other)}
    words = words - NEVER_FILLER - QUALIFIERS - BESIDE_COUNT - _counts(question) - own
    said = sorted(w for w in words if read(w).key[:1] == (w,))
    if not said:
        return
    word = data.draw(st.sampled_from(said))
    text = f"{word}: {form}" if side == "before" else f"{form} {word}"
    assert not verdict(text, question).correct, text
