"""Which sentence of the article a question's "read it in place" link goes to. Pure, no database.

A passage may span several sentences ("In May 2023, … Grayvoronsky District. They claimed …. The
two groups launched another raid on 1 June into the Shebekino area"), and the fact a question asks
about is in one of them: the link goes there, not to where the passage starts. That sentence is,
in order:

1. the one where an answer stands, as the grader reads text (`normalise`): a form of the typed or
   cloze answer, the words a cloze hides, a right choice, or the fact's answer (which a true/false
   statement is written about);
2. else, or among several such, the one sharing the most words with those answers, then with the
   prompt: "Assembling and launching drones" is "assembled and launched drones";
3. else the first the passage touches.

Words every sentence has ("the", "of", "was", "true or false") decide nothing and are not counted.
"""

from collections.abc import Iterable

from quizzes.rules.article import passage_sentences, sentences
from quizzes.rules.cloze import FUNCTION_WORDS
from quizzes.rules.grading import normalise

# Besides the words of grammar, a true/false prompt's opening and the words that ask.
_COMMON_WORDS = FUNCTION_WORDS | frozenset({"true", "false", "how", "many", "much", "according"})
# A true/false fact's answer is its truth, never words of the article.
_TRUTHS = frozenset({"true", "false"})


def fact_sentence(*, offset: int, passage: str, answers: Iterable[str], prompt: str) -> int:
    """The index of the sentence, among those the passage at `offset` touches, that holds what
    the question asks: where one of `answers` stands, else the one sharing most words with them
    and then with the prompt, else the first (0 for a passage outside the article)."""
    touched = passage_sentences(offset, len(passage))
    if not touched:
        return 0
    if len(touched) == 1:
        return touched[0]
    forms = {form for form in map(normalise, answers) if form and form not in _TRUTHS}
    answer_words = _words(" ".join(forms))
    prompt_words = _words(normalise(prompt))
    texts = {index: normalise(sentences()[index].text) for index in touched}

    def score(index: int) -> tuple[bool, int, int]:
        text, words = texts[index], _words(texts[index])
        stands = any(f" {form} " in f" {text} " for form in forms)
        return stands, len(words & answer_words), len(words & prompt_words)

    # max() keeps the first of equals: the passage's earliest sentence wins a tie.
    return max(touched, key=score)


def _words(text: str) -> frozenset[str]:
    """The words of normalised text that can tell one sentence from another."""
    return frozenset(text.split()) - _COMMON_WORDS
