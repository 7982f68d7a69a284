"""Reading an admin page as a person sees it: its visible strings, and what it loads from where.

The strings are the text between tags (the contents of ``<template>`` included: dialogs and
rows added by scripts), the attributes shown as tooltips, labels and placeholders, and the
strings of the JSON the admin's scripts render from (the sidebar, the page explorer).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SHOWN_ATTRIBUTES = {
    "title",
    "placeholder",
    "aria-label",
    "alt",
    "value",
    "data-w-tooltip-content-value",
}
LOADING_ATTRIBUTES = {"src", "href", "srcset", "action", "poster", "data"}
OUTSIDE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//(?!testserver[/:]|testserver$)", re.I)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
TAG = re.compile(r"<[^>]+>")


class AdminPage(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.loads: list[str] = []
        self._script: str | None = None
        # A <pre translate="no"> holds what people wrote (a configuration file), not the admin's.
        self._verbatim = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in SHOWN_ATTRIBUTES:
                self.shown.append(value.strip())
            if name in LOADING_ATTRIBUTES:
                self.loads.append(value)
        if tag in {"script", "style"}:
            self._script = dict(attrs).get("type") or tag
        if tag == "pre" and dict(attrs).get("translate") == "no":
            self._verbatim = True

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._script = None
        if tag == "pre":
            self._verbatim = False

    def handle_data(self, data: str) -> None:
        if self._script == "application/json":
            self.shown.extend(json_strings(json.loads(data)))
        elif self._script is None and not self._verbatim and data.strip():
            self.shown.append(" ".join(data.split()))

    def outside_addresses(self) -> list[str]:
        """Addresses on another host that the page loads or links to, JSON props included."""
        found = [value for value in self.loads if OUTSIDE.match(value)]
        return found + [text for text in self.shown if OUTSIDE.match(text)]


def json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value.strip()
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def shown_pattern(msgid: str) -> list[re.Pattern[str]]:
    """How a message shows on a page: each run of text between its tags, with any value in
    place of a placeholder (``%(total)s Pages`` matches “7 Pages”), a number for ``%d``."""
    patterns = []
    for piece in TAG.split(msgid):
        words = " ".join(piece.split())
        if not re.search(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", words)):
            continue
        pattern, end = "", 0
        for placeholder in PLACEHOLDER.finditer(words):
            pattern += re.escape(words[end : placeholder.start()])
            pattern += r"[\d,]+" if placeholder.group().endswith("d") else ".+?"
            end = placeholder.end()
        patterns.append(re.compile(pattern + re.escape(words[end:])))
    return patterns


def read_messages(path: Path) -> dict[str, list[str]]:
    """The data file: msgids by catalogue (``[django]``, ``[djangojs]``), one a line."""
    messages: dict[str, list[str]] = {}
    section = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = messages.setdefault(line[1:-1], [])
        else:
            section.append(json.loads(line))
    return messages
