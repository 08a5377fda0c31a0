"""Which sentence of a passage a question's link to the article goes to (rules.article_links)."""

from quizzes.rules.article import article_body, sentences
from quizzes.rules.article_links import fact_sentence


def passage(first: int, last: int) -> tuple[int, str]:
    """The article's sentences first to last, as a passage: its offset and text."""
    start, end = sentences()[first].start, sentences()[last].end
    return start, article_body()[start:end]


def link(first: int, last: int, answers: tuple[str, ...], prompt: str) -> int:
    offset, text = passage(first, last)
    return fact_sentence(offset=offset, passage=text, answers=answers, prompt=prompt)


def test_a_passage_of_one_sentence_links_to_it():
    assert link(23, 23, ("Grayvoronsky",), "Where?") == 23


def test_the_sentence_where_the_answer_stands_wins_over_the_prompts_words():
    # "In May 2023, the Legion and the Russian Volunteer Corps launched a raid into Russia …" /
    # "The two groups launched another raid on 1 June into the Shebekino area …"
    prompt = "When did the Legion and the Russian Volunteer Corps launch a raid into Shebekino?"
    assert link(21, 23, ("1 June 2023", "June 1"), prompt) == 23


def test_the_answer_is_found_as_the_grader_reads_it():
    # "I am fighting against Putin's regime": case, apostrophe and a leading "the" set aside.
    assert link(36, 39, ("The PUTINS regime",), "Fill the blank") == 37


def test_an_answer_in_several_sentences_links_to_the_one_closest_to_the_prompt():
    # "two months of training" (54) and "two battalions and was raising two more" (55).
    prompt = "Caesar claimed the Legion was raising how many more battalions?"
    assert link(53, 55, ("Two",), prompt) == 55


def test_an_answer_worded_otherwise_links_by_its_words():
    # "He confessed that he had assembled and launched drones on behalf of Ukraine" (28); the
    # prompt's words are the arrest's sentence (27).
    prompt = "What did the man reportedly arrested by the FSB on 15 March 2024 confess to?"
    answers = ("Assembling and launching drones on behalf of Ukraine",)
    assert link(27, 28, answers, prompt) == 28


def test_a_statement_links_by_the_words_it_shares_and_never_by_true_or_false():
    statement = (
        "True or false: The company commander called on soldiers of the Russian army to join the"
        ' Legion to save their own people and the country "from humiliation and destruction".'
    )
    assert link(6, 7, ("True", "False"), statement) == 7


def test_with_nothing_to_tell_them_apart_the_first_sentence_is_linked():
    assert link(21, 23, (), "True or false: this is so.") == 21
