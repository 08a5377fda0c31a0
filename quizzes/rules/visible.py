"""Whether a text shows anything: one made of invisible characters alone (a zero-width space, a
joiner, a byte-order mark) shows as nothing on a card, and a choice of it as an empty button."""

import unicodedata

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): the characters a renderer
# shows nothing for unless it can do something with them (the soft hyphen, the zero-width space
# and joiners, the word joiner, the byte-order mark, the Hangul fillers, variation selectors, tag
# characters, and the code points kept for more such). Not every format character is one: the
# Arabic number sign (U+0600) and end of ayah (U+06DD) show a glyph.
_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Blank without being ignorable: the braille blank.
_BLANK_OTHERS = frozenset("\u2800")
# How many of the invisible characters a message names.
_NAMED = 3


def _invisible(char: str) -> bool:
    code = ord(char)
    return (
        char.isspace()
        or unicodedata.category(char) == "Cc"
        or char in _BLANK_OTHERS
        or any(first <= code <= last for first, last in _IGNORABLE)
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


# The characters that reorder the text around them as it shows: the bidirectional marks,
# embeddings, overrides and isolates. No text of the article holds one; a prompt holding a
# right-to-left override shows its words backwards, and a learner's "\u202eeurt" reads "true".
BIDI_CONTROLS = frozenset(
    chr(code) for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
_CONTROLS_NAMED = {ord(char): f"[U+{ord(char):04X}]" for char in BIDI_CONTROLS}


def bidi_problems(text: str) -> list[str]:
    """A text holding a character that reorders the text around it: the problem, naming them."""
    found = list(dict.fromkeys(char for char in text if char in BIDI_CONTROLS))
    if not found:
        return []
    names = [f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip() for char in found]
    named = ", ".join(names[:_NAMED]) + (" and others" if len(names) > _NAMED else "")
    if len(found) == 1:
        return [f"holds a character that reorders the text around it as it shows ({named})"]
    return [f"holds characters that reorder the text around them as it shows ({named})"]


def shown_problems(text: str) -> list[str]:
    """What keeps a text from showing as it was written: invisible characters alone, or a
    character that reorders it."""
    return invisible_problems(text) or bidi_problems(text)


def controls_shown(text: str) -> str:
    """`text` with each character that reorders text named in its place ("[U+202E]"), for an
    editor reading what a learner typed as it was typed."""
    return text.translate(_CONTROLS_NAMED)


_CONTROLS_SPACED = dict.fromkeys(map(ord, BIDI_CONTROLS), " ")


def controls_spaced(text: str) -> str:
    """`text` with each character that reorders text made a space, and its spaces made single
    and trimmed: a learner's "Ilya Ponomaryov\u200e" as a form a fact may take, which reads as the
    grader reads it (its normalise makes them spaces too)."""
    return " ".join(text.translate(_CONTROLS_SPACED).split())
