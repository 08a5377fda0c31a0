"""Whether a text shows anything: one made of invisible characters alone (a zero-width space, a
joiner, a byte-order mark) shows as nothing on a card, and a choice of it as an empty button."""

import unicodedata

# Characters that show nothing outside Unicode's control (Cc) and format (Cf) categories, where
# the zero-width space, the joiners, the word joiner and the byte-order mark are: the combining
# grapheme joiner, the Hangul fillers, the braille blank.
_BLANK_OTHERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")
# How many of the invisible characters a message names.
_NAMED = 3


def _invisible(char: str) -> bool:
    return (
        char.isspace()
        or unicodedata.category(char) in ("Cc", "Cf")
        or char in _BLANK_OTHERS
        or "\ufe00" <= char <= "\ufe0f"  # variation selectors, which only alter a character
        or "\U000e0100" <= char <= "\U000e01ef"
    )


def invisible_problems(text: str) -> list[str]:
    """A text of characters none of which shows, spaces aside: the problem, naming them (a text of
    spaces alone is the caller's "empty")."""
    if not text.strip() or not all(map(_invisible, text)):
        return []
    found = list(dict.fromkeys(char for char in text if not char.isspace()))
    names = [f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip() for char in found]
    named = ", ".join(names[:_NAMED]) + (" and others" if len(names) > _NAMED else "")
    return [f"holds only invisible characters ({named}), so it shows nothing"]
