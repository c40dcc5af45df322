"""Checks of a page's HTML that need no browser: ids used once, table rows as wide as the
table, no empty form action."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.empty_actions = 0
        self.tables: list[list[list[int]]] = []  # per table: its rows, as cell spans
        self._open: list[list[list[int]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id") is not None:
            self.ids[values["id"]] += 1
        if tag == "form" and "action" in values and not (values["action"] or "").strip():
            self.empty_actions += 1
        if tag == "table":
            self._open.append([])
        elif tag == "tr" and self._open:
            self._open[-1].append([])
        elif tag in ("td", "th") and self._open and self._open[-1]:
            self._open[-1][-1].append(int(values.get("colspan") or 1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open:
            self.tables.append(self._open.pop())


def html_problems(page: str) -> list[str]:
    """What the W3C checker would call an error among these three kinds; [] when none."""
    collector = _Collector()
    collector.feed(page)
    problems = [f'id="{i}" is used {n} times' for i, n in collector.ids.items() if n > 1]
    if collector.empty_actions:
        problems.append(f"{collector.empty_actions} form(s) with an empty action")
    for rows in collector.tables:
        widths = {sum(cells) for cells in rows if cells}
        if len(widths) > 1:
            problems.append(f"a table's rows span {sorted(widths)} columns")
    return problems
