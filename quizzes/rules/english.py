"""Whether a word is English, by pyspellchecker's bundled English word list: a word a learner
types that is one is that word, never a slip of another ordinary word ("defeat" is not
"defect", "waiting" not "wanting"). A name's slips are not asked about: the list holds names'
other spellings too ("Clark", "Nikolai"). A title before a lower-case word that is none is set
aside ("mr volobuev"). Pure; the list is read once a process, the first time it is asked
(0.16 s; the process's memory grows by 13 MB), and kept as one
string of the words of five letters or more (1.6 MB; a set of them would hold about 25 MB): a
look-up scans it (0.15 ms), so grading asks only of a word a slip away or after a title."""

from functools import cache, lru_cache

from spellchecker import SpellChecker

# Slips are forgiven only in words of six letters or more; one letter fewer is still a slip.
_SHORTEST = 5


@cache
def _words() -> str:
    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return "\n" + "\n".join(w for w in counts if len(w) >= _SHORTEST) + "\n"


_ENDINGS = frozenset({"", "s", "es", "d", "ed", "ing"})


def inflected(one: str, other: str) -> bool:
    """Whether two words are one word with other endings ("fascist", "fascists"; "denies",
    "denied"), where "terrorism" and "terrorist" are two."""
    common = 0
    while common < min(len(one), len(other)) and one[common] == other[common]:
        common += 1
    return one[common:] in _ENDINGS and other[common:] in _ENDINGS


@lru_cache(maxsize=4096)
def is_english(word: str) -> bool:
    """Whether `word` (any case) is an English word of five letters or more."""
    return len(word) >= _SHORTEST and f"\n{word.casefold()}\n" in _words()
