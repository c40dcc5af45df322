"""Typography shared by the print writers: what must not break at the end of a line."""

from __future__ import annotations

import re

NB_HYPHEN = "\u2011"  # NON-BREAKING HYPHEN: looks like "-", never ends a line
# A document symbol: a run without spaces that holds a digit and a slash ("133-KH/QU",
# "30/2020/NĐ-CP", "1234/UBND-VP", "Số: 45/GM-UBND" after its colon).
_SYMBOL = re.compile(r"(?<!\S)(?=\S*\d)(?=\S*/)\S+")


def keep_symbols(text: str) -> str:
    """Make the hyphens inside document symbols non-breaking: "133‑KH/QU" never becomes
    "133-" / "KH/QU" at a line end. Only print layouts use this; data and exports keep "-"."""
    if "-" not in text or "/" not in text:
        return text
    return _SYMBOL.sub(lambda m: m.group(0).replace("-", NB_HYPHEN), text)
