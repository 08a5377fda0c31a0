"""When a learner's word is a form's word with one slip. Pure."""

from functools import lru_cache

from rapidfuzz.distance import OSA

SLIP_MIN_LETTERS = 6
# A slip that adds or drops a final "a" turns a man's surname into a woman's (Ponomarev and
# Ponomareva are mother and son), so it is never forgiven.
_GENDERED_ENDING = "a"


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A word without a plural "s": "Legions" and "Ukrainians" are words of the Legion and
    Ukraine."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def slip_forgiven(given: str, wanted: str, other_names: frozenset[str]) -> bool:
    """Whether `given` is `wanted` with one slip: a letter missing, extra, wrong or two swapped.

    Forgiven only in a word of at least six letters, never in its first letter ("Prussia" is not
    Russia), never in a number, never adding or dropping a final "a" (Ponomareva is not
    Ponomarev), never when the typed word is itself another name of the article ("Forbes" for
    "Forces"), and never when it is within two slips of another name, since it is then as much
    a slip of that name (Ponomaren is one letter from Ponomarev and two from Ponomarenko). A
    plural of the word itself ("Legions"), or another spelling of it in the article one letter
    away (its romanisation "Lehion"), is not another name for that check.
    """
    if len(wanted) < SLIP_MIN_LETTERS or not given.isalpha() or given[0] != wanted[0]:
        return False
    if OSA.distance(given, wanted, score_cutoff=1) > 1:
        return False
    if given.endswith(_GENDERED_ENDING) != wanted.endswith(_GENDERED_ENDING):
        return False
    typed = stem(given)
    if typed in other_names:
        return False
    return not any(
        OSA.distance(typed, name, score_cutoff=2) <= 2
        and OSA.distance(stem(wanted), name, score_cutoff=1) > 1
        for name in other_names
    )
