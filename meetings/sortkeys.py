"""Vietnamese sort orders as plain strings, so the database can sort and paginate by them.

`meetings.text.name_sort_key` returns nested tuples, which only Python can compare. Here the
same order is encoded prefix-free in the characters 0-9a-f: each letter is three hex digits
(rank + offset, so 000 ends a syllable's letters; the rare letter beyond fff is written fff and
six digits), each tone one digit (0 ends the tones), each syllable starts with 1 and each run
of syllables ends with 0. Byte order of these strings is the tuple order, and so is any
collation, since only lower-case hex digits occur. Short keys keep database sorts in memory.
"""

from __future__ import annotations

from meetings.text import clean

_OFFSET = 0x81  # ASCII symbols rank from -0x80 in meetings.text; keep every letter above 0


def _letter(rank: int) -> str:
    code = rank + _OFFSET
    return f"{code:03x}" if code < 0xFFF else f"fff{code:06x}"


def _syllables(words: list[str]) -> str:
    from meetings.text import _word_key  # the one definition of a syllable's order

    parts = []
    for word in words:
        letters, tones = _word_key(word)
        parts.append(
            "1"
            + "".join(_letter(r) for r in letters)
            + "000"
            + "".join(str(t) for t in tones)
            + "0"
        )
    return "".join(parts) + "0"


def name_key(full_name: str | None) -> str:
    """Given name, then family name, then middle names (as name_sort_key), as a string."""
    words = (clean(full_name) or "").split()
    return (
        _syllables(words[-1:])
        + _syllables(words[:1] if len(words) > 1 else [])
        + _syllables(words[1:-1])
    )


def text_key(value: str | None) -> str:
    """Vietnamese alphabet order of a whole text (unit names), as a string."""
    return _syllables((clean(value) or "").split())
