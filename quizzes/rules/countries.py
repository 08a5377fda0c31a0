"""Which country a learner may add around an answer that names none: the one the question ties to
the answer, never one it names for something else; and which kinds of place ("Kursk region").
Pure.

A typed question ties a country to its answer among the words that ask for it ("In which two
Russian regions…?": "Kursk and Belgorod, Russia" is right); one named elsewhere is another
thing's ("…captured a Russian POW" says nothing of the area, so "Lysychansk, Russia" is wrong).
Around a blank, a country ties to the answer when it stands next to the blank ("the Belgorod
region of Russia"); one further along the sentence is another thing's ("Harper's Magazine, which
described how Ukraine…" does not make "Harper's Magazine of Ukraine" right).
"""

from collections.abc import Set

from quizzes.rules.answer_words import words_said
from quizzes.rules.names import ACTS
from quizzes.rules.word_lists import BODIES, COUNTRIES, PLACE_COUNTRIES, PLACE_WORDS
from quizzes.rules.words import Reading, Word

# Words that ask. A question without one ("Name the…") ties no country to its answer.
INTERROGATIVES = frozenset({"which", "what", "who", "whom", "whose", "where", "when", "how"})
# How many words after a word that asks (and one before it: "Ukraine's what?"), or either side of a
# blank, a country may stand to be the answer's.
NEAR = 3


def _of(words: list[Word]) -> set[str]:
    return {w.text for w in words} & COUNTRIES


def _one(found: set[str]) -> set[str]:
    """Two countries in one place tie neither to the answer."""
    return found if len(found) == 1 else set()


def asked(question: str) -> set[str]:
    """The country among the words that ask for the answer (_one)."""
    words = words_said(question)
    found: set[str] = set()
    for i, word in enumerate(words):
        if word.text in INTERROGATIVES:
            found |= _of(words[max(0, i - 1) : i + 1 + NEAR])
    return _one(found)


def beside(before: str, after: str, answer: Set[str] = frozenset()) -> tuple[set[str], set[str]]:
    """The country next to a blank on each side: among the last words before it, and the first
    after it (_one each). `answer`: the words of the answer's forms."""
    following = words_said(after)
    ahead = following[:NEAR]
    sides = _of(words_said(before)[-NEAR:]), _of(ahead)
    # "___ of Russia" and "of the Russian army" say what "Russian ___" does, but not about an act:
    # "its ___ (invasion) of Ukraine" is not Ukrainian, nor "___ of the Russian invasion" Russian.
    if [w.text for w in ahead[:1]] == ["of"] and not answer & ACTS:
        at = next((i for i in range(1, len(ahead)) if ahead[i].text != "the"), len(ahead))
        if not {w.text for w in following[at + 1 : at + 2]} & ACTS:
            sides = sides[0] | _of(ahead[at : at + 1]), sides[1]
    return _one(sides[0]), _one(sides[1])


def of_place(forms: tuple[Reading, ...]) -> set[str]:
    """The country of the place the answer is, where every form that ends in a place (its kind
    aside: "Lysychansk area", "march on Moscow") ends in one of that country: a learner may write
    it after the answer ("Kyiv, Ukraine"), never another ("Kyiv, Russia"). None for a name that
    holds a place before its end ("The Kyiv Independent", "Irpin Declaration"); one that ends in
    a place would be read as that place (none in the bank does)."""
    found = set()
    for form in forms:
        texts = [w.text for w in form.plain]
        while texts and texts[-1] in PLACE_WORDS:
            texts.pop()
        if texts and texts[-1] in PLACE_COUNTRIES:
            found.add(PLACE_COUNTRIES[texts[-1]])
    return _one(found)


_REGIONS = frozenset({"region", "regions", "oblast", "oblasts"})


def place_kinds(form_words: set[str], near: set[str]) -> frozenset[str]:
    """The kinds of place a learner may add to an answer: those its forms say, and those the
    question says near where the answer stands ("which two Russian regions"), where a region and
    an oblast are alike ("Kursk Oblast"). None for a city ("Kyiv Oblast" is not Kyiv), nor a
    district for a region; a form's "Lysychansk region" (the area round a city) makes no
    "Lysychansk Oblast", nor the "Belgorod region" of a prompt a "Sibir region"."""
    said = near & PLACE_WORDS
    alike = _REGIONS if said & _REGIONS else set()
    return frozenset((form_words & PLACE_WORDS) | said | alike)


def said(words: list[Word]) -> frozenset[str]:
    """The countries words say (`Question.nouns`): by name, or by an adjective before anything
    but a body ("Russian regions" are Russia's; "the Russian government" is no Russia)."""
    following = [w.text for w in words[1:]] + [""]
    return frozenset(
        word.text
        for word, after in zip(words, following, strict=False)
        if word.text in COUNTRIES and (word.raw == word.text or after not in BODIES)
    )
