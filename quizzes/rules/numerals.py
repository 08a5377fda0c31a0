"""Numbers written in words, read as English writes one numeral: "twenty-three" is 23, "two
hundred five" 205, and "one two" is two numbers, never their sum. Pure."""

_UNIT_NAMES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_UNITS = {word: n for n, word in enumerate(_UNIT_NAMES.split())}
_TENS_NAMES = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {word: 10 * n for n, word in enumerate(_TENS_NAMES.split(), 2)}
_SCALES = {"hundred": 100, "thousand": 1000}


def is_number_word(word: str) -> bool:
    """A word from "zero" to "nineteen", or a ten: one that starts or continues a numeral."""
    return word in _UNITS or word in _TENS


def is_scale_word(word: str) -> bool:
    return word in _SCALES


def is_count(word: str) -> bool:
    """A number as grading reads it (numbers in words are figures by then), or a scale word left
    alone ("several hundred"): a word the next one says what of."""
    return word.isdigit() or word in _SCALES


def word_value(word: str) -> int:
    """The number one number word or scale word says alone ("seven", "forty", "hundred")."""
    return _UNITS.get(word, _TENS.get(word, _SCALES.get(word, 0)))


def _below_hundred(words: list[str]) -> int | None:
    """The number "seven", "nineteen", "forty" or "forty two" say; None if the words are not one."""
    if len(words) == 1:
        return _UNITS.get(words[0], _TENS.get(words[0]))
    if len(words) == 2 and words[0] in _TENS and 1 <= _UNITS.get(words[1], 0) <= 9:
        return _TENS[words[0]] + _UNITS[words[1]]
    return None


def _below_thousand(words: list[str]) -> int | None:
    """Up to "nine hundred ninety nine" (no "and": it ends a run of number words)."""
    if "hundred" not in words:
        return _below_hundred(words)
    at = words.index("hundred")
    head, tail = _below_hundred(words[:at]), words[at + 1 :]
    if head is None or head == 0:  # "two hundred", and "nineteen hundred" (1900) too
        return None
    rest = _below_hundred(tail) if tail else 0
    return None if rest is None or (tail and rest == 0) else 100 * head + rest


def numeral(words: list[str]) -> int | None:
    """The number a run of number words spells as one English numeral ("twenty three", "two
    hundred five", "three thousand"), or None if the run is several numbers, not one ("one
    two", "ten ten", "nineteen one": summing them let "one-two" pass for three)."""
    if "thousand" not in words:
        return _below_thousand(words)
    at = words.index("thousand")
    head = _below_thousand(words[:at])
    rest = _below_thousand(words[at + 1 :]) if words[at + 1 :] else 0
    if not head or rest is None or (words[at + 1 :] and rest == 0):
        return None
    return 1000 * head + rest
