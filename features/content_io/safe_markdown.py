"""Editors' Markdown made safe to render anywhere, for the exported article.

The site sanitises what it renders (ignite.markdown); an exported file travels without a
sanitiser, and ordinary renderers (CommonMark, Python-Markdown with "extra") pass raw HTML and
any link scheme through. So each text is rewritten so that no renderer finds markup in it:

- `<` outside code is written `&lt;` (raw HTML shows as text); `<https://…>` autolinks stay;
- a link or image destination (after `](` or `]:`) with a scheme other than http, https or
  mailto, however it is spelt (`JaVa&#115;cript:`, tabs inside), gets a `#` before it, which
  makes it a harmless link within the page;
- `{` is escaped, so Python-Markdown's attribute lists (`{: onclick=…}`) are only text;
- code keeps its `<`: a code span on one line, and a fenced block opened at the start of a
  line and closed, are written in a form both CommonMark and Python-Markdown read as code;
  every other backtick and fence-like line is escaped, so renderers cannot pair them
  differently. Code they would read differently (indented code, a span over two lines) is
  escaped like text: it shows `&lt;`, which is safe.

Emphasis, links, lists, headings, tables and quotes are left as written.
"""

from __future__ import annotations

import bisect
import html
import re

SAFE_SCHEMES = ("http", "https", "mailto")
DESTINATION = re.compile(r"\]\(|\]:")
SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
AUTOLINK = re.compile(r"<https?://[^\s<>\"'`\\]*>", re.IGNORECASE)
# An opening fence as CommonMark reads one at the start of a line (a backtick fence's info
# string has no backtick).
OPENING_FENCE = re.compile(r"(`{3,})([^`]*)|(~{3,})(.*)")
FENCE_LIKE = re.compile(r"( {0,3})([`~]{3})")
LANGUAGE = re.compile(r"[\w#.+-]*")
ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def safe_markdown(text: str) -> str:
    """`text` with raw HTML, script links and attribute lists made inert (see the module)."""
    text = _neutralise_destinations(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    closers = _ClosingFences(lines)
    out: list[str] = []
    index = 0
    while index < len(lines):
        block = _fenced_block(lines, index, closers)
        if block:
            out += block
            index += len(block)
            continue
        out.append(_prose_line(lines[index]))
        index += 1
    return "\n".join(out)


def plain(text: str) -> str:
    """Plain text (a name, a title, a label) that Markdown shows as written."""
    text = re.sub(r"&(?=[#A-Za-z])", "&amp;", text)
    text = re.sub(r"([\\`*_\[\]|>#{])", r"\\\1", text)
    return text.replace("<", "&lt;")


def _neutralise_destinations(text: str) -> str:
    parts = []
    start = 0
    for match in DESTINATION.finditer(text):
        position = match.end()
        while position < len(text) and text[position] in " \t\n":
            position += 1
        if position < len(text) and text[position] == "<":
            position += 1
        if _unsafe(text[position : position + 100]):
            parts += [text[start:position], "#"]
            start = position
    return "".join([*parts, text[start:]])


def _unsafe(destination: str) -> bool:
    """Whether a destination has a scheme other than SAFE_SCHEMES, as a browser would read it."""
    normalised = html.unescape(destination).replace("\\", "")
    normalised = "".join(char for char in normalised if ord(char) > 0x20).lower()
    scheme = SCHEME.match(normalised)
    return scheme is not None and scheme.group(1) not in SAFE_SCHEMES


def _fenced_block(lines: list[str], index: int, closers: _ClosingFences) -> list[str]:
    """The fenced code block opening at lines[index], rewritten plainly, or [] if none."""
    opening = OPENING_FENCE.fullmatch(lines[index])
    if not opening:
        return []
    fence = opening.group(1) or opening.group(3)
    info = (opening.group(2) if opening.group(1) else opening.group(4)) or ""
    end = closers.after(index, fence[0], len(fence))
    if end is None:
        return []  # unclosed: CommonMark would run it to the end, Python-Markdown not at all
    # Only a language name is kept: Python-Markdown reads attributes in the info string.
    language = LANGUAGE.match(info.strip()).group()
    return [fence + language, *lines[index + 1 : end], fence]


class _ClosingFences:
    """Lines that close a fence as CommonMark reads them, found in logarithmic time."""

    CLOSING = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")

    def __init__(self, lines: list[str]):
        self.fences = [
            (index, match.group(1))
            for index, line in enumerate(lines)
            if (match := self.CLOSING.fullmatch(line))
        ]
        self.indexes: dict[tuple[str, int], list[int]] = {}

    def after(self, index: int, char: str, length: int) -> int | None:
        """The first line after `index` that closes a fence of `length` times `char`."""
        key = (char, length)
        if key not in self.indexes:
            self.indexes[key] = [i for i, f in self.fences if f[0] == char and len(f) >= length]
        indexes = self.indexes[key]
        found = bisect.bisect_right(indexes, index)
        return indexes[found] if found < len(indexes) else None


def _prose_line(line: str) -> str:
    fence_like = FENCE_LIKE.match(line)
    if fence_like and fence_like.group(2)[0] == "~":
        indent = fence_like.group(1)
        line = f"{indent}\\{line[len(indent) :]}"
    closers = _Runs(line)
    out: list[str] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line) and line[index + 1] in ASCII_PUNCTUATION:
            escaped = line[index + 1]
            out.append("&lt;" if escaped == "<" else line[index : index + 2])
            index += 2
        elif char == "`":
            run = len(line[index:]) - len(line[index:].lstrip("`"))
            end = closers.after(index + run, run)
            if end is None:
                out.append("\\`" * run)
                index += run
            else:
                out.append(line[index:end])
                index = end
        elif char == "<":
            autolink = AUTOLINK.match(line, index)
            if autolink:
                out.append(autolink.group())
                index = autolink.end()
            else:
                out.append("&lt;")
                index += 1
        elif char == "{":
            out.append("\\{")
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


class _Runs:
    """The backtick runs of a line, to find a code span's closing run in logarithmic time."""

    def __init__(self, line: str):
        self.starts: dict[int, list[int]] = {}
        for match in re.finditer(r"`+", line):
            self.starts.setdefault(len(match.group()), []).append(match.start())

    def after(self, position: int, length: int) -> int | None:
        """The end of the first run of exactly `length` backticks from `position`, if any."""
        starts = self.starts.get(length, [])
        found = bisect.bisect_left(starts, position)
        return starts[found] + length if found < len(starts) else None
