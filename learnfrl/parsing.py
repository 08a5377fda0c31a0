"""Reading ids and small numbers from what requests carry: ASCII digits only.

`str.isdigit()` and `int()` accept far more than 0-9 ("²", "٣", " 7 ", "1_0"); an id here is 1 to
18 ASCII digits (18 keeps it inside a 64-bit integer), anything else is not an id.
"""

from __future__ import annotations

import re

# The id rule, written once: the URL converter, the forms' id fields and ascii_id() all use it.
ID_PATTERN = "[0-9]{1,18}"

_ASCII_ID = re.compile(ID_PATTERN)


def ascii_id(value: object) -> int | None:
    """The integer an id field holds, or None when it is not 1-18 ASCII digits."""
    if not isinstance(value, str) or not _ASCII_ID.fullmatch(value):
        return None
    return int(value)
