"""Reading and rewriting the links of archived documents (HTML, CSS and any other text).

HTML is parsed only to find where each start tag and inline script is; every edit replaces a
start tag in place, so the rest of the page stays byte for byte as the site rendered it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.csp import CSP, build_policy

# Attributes whose value is an address (srcset holds several).
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "cite", "data"})
SRCSET = "srcset"
# A server's nonce must not outlive the request; htmx has no server to ask in the archive.
DROPPED_ATTRIBUTE = re.compile(r"^(nonce|hx-.*|data-hx-.*)$")
# CSP directives a <meta> policy may not carry (browsers ignore them there, with a warning).
HEADER_ONLY_DIRECTIVES = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})

# Maps an address found in a document (as written there) to what the archive writes instead,
# or None to leave it as it is.
Rewrite = Callable[[str], str | None]


@dataclass
class StartTag:
    name: str
    attrs: list[tuple[str, str | None]]
    start: int
    end: int
    self_closing: bool


@dataclass
class InlineBlock:
    """The text of an inline <script> or <style>, as a CSP hash covers it."""

    tag: str
    text: str
    attrs: dict[str, str | None]


@dataclass
class ParsedHtml:
    text: str
    tags: list[StartTag] = field(default_factory=list)
    inline: list[InlineBlock] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.result = ParsedHtml(text)
        # HTMLParser reports (line, column); lines are counted at "\n" only.
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self._open_block: StartTag | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _start(self, tag: str, attrs, self_closing: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        parsed = StartTag(tag, attrs, start, start + len(raw), self_closing)
        self.result.tags.append(parsed)
        if tag in ("script", "style") and not self_closing:
            self._open_block = parsed

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, self_closing=True)

    def handle_endtag(self, tag):
        block = self._open_block
        if block is not None and tag == block.name:
            self._open_block = None
            if dict(block.attrs).get("src") is None:
                text = self.result.text[block.end : self._offset()]
                self.result.inline.append(InlineBlock(tag, text, dict(block.attrs)))


def parse_html(text: str) -> ParsedHtml:
    parser = _Parser(text)
    parser.feed(text)
    parser.close()
    return parser.result


def _srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def html_links(document: ParsedHtml) -> Iterator[str]:
    """Every address in the page's URL attributes, as written."""
    for tag in document.tags:
        for name, value in tag.attrs:
            if value is None or DROPPED_ATTRIBUTE.match(name):
                continue
            if name in URL_ATTRIBUTES:
                yield value.strip()
            elif name == SRCSET:
                yield from _srcset_urls(value)


def _rewrite_srcset(value: str, rewrite: Rewrite) -> str:
    candidates = []
    for candidate in value.split(","):
        words = candidate.split()
        if words:
            words[0] = rewrite(words[0]) or words[0]
            candidates.append(" ".join(words))
    return ", ".join(candidates)


def _render_tag(tag: StartTag, attrs: list[tuple[str, str | None]]) -> str:
    parts = [f"<{tag.name}"]
    for name, value in attrs:
        parts.append(f" {name}" if value is None else f' {name}="{html.escape(value)}"')
    parts.append(" />" if tag.self_closing else ">")
    return "".join(parts)


def rewrite_html(document: ParsedHtml, rewrite: Rewrite) -> str:
    """The page with its links rewritten and nonces and htmx attributes dropped."""
    text = document.text
    edits: list[tuple[int, int, str]] = []
    for tag in document.tags:
        attrs: list[tuple[str, str | None]] = []
        changed = False
        for name, value in tag.attrs:
            if DROPPED_ATTRIBUTE.match(name):
                changed = True
                continue
            new_value = value
            if value is not None and name in URL_ATTRIBUTES:
                new_value = rewrite(value.strip()) or value
            elif value is not None and name == SRCSET:
                new_value = _rewrite_srcset(value, rewrite)
            changed = changed or new_value != value
            attrs.append((name, new_value))
        if changed:
            edits.append((tag.start, tag.end, _render_tag(tag, attrs)))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def archive_policy(config: dict, document: ParsedHtml) -> str:
    """The site's Content Security Policy for a page with no server behind it: inline scripts
    and styles allowed by their hashes instead of a nonce, header-only directives left out."""
    hashes = {"script": [], "style": []}
    for block in document.inline:
        media_type = (block.attrs.get("type") or "").lower()
        if block.tag == "script" and media_type not in ("", "module", "text/javascript"):
            continue  # data blocks (JSON) are not run, so the policy need not allow them
        hashes[block.tag].append(csp_hash(block.text))
    policy = {
        directive: [value for value in values if value != CSP.NONCE]
        if isinstance(values, list | tuple | set)
        else values
        for directive, values in config.items()
        if directive not in HEADER_ONLY_DIRECTIVES
    }
    for kind, found in hashes.items():
        # The hashes join the directive that governs this kind (default-src without its own).
        directive = f"{kind}-src" if f"{kind}-src" in policy else "default-src"
        if found and isinstance(policy.get(directive), list):
            policy[directive] = [*policy[directive], *sorted(set(found))]
    return build_policy(policy)


def insert_csp_meta(text: str, document: ParsedHtml, policy: str) -> str:
    """The page with its policy in a <meta> before anything it governs (after the charset)."""
    content = html.escape(policy, quote=False).replace('"', "&quot;")  # keep 'self' legible
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    anchor = next(
        (tag for tag in document.tags if tag.name == "meta" and dict(tag.attrs).get("charset")),
        None,
    ) or next((tag for tag in document.tags if tag.name == "head"), None)
    at = anchor.end if anchor else 0
    indent = "\n  " if anchor else ""
    return text[:at] + indent + meta + text[at:]


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def css_links(text: str) -> Iterator[str]:
    for match in CSS_URL.finditer(text):
        yield match.group(2) or match.group(4)


def rewrite_css(text: str, rewrite: Rewrite) -> str:
    def replace(match: re.Match) -> str:
        if match.group(2):
            new = rewrite(match.group(2))
            return f"url({match.group(1)}{new}{match.group(1)})" if new else match.group(0)
        new = rewrite(match.group(4))
        return f"@import {match.group(3)}{new}{match.group(3)}" if new else match.group(0)

    return CSS_URL.sub(replace, text)


def absolute_url_pattern(origins: list[str]) -> re.Pattern:
    """Absolute addresses on one of these origins, as they appear in any text."""
    alternatives = "|".join(re.escape(origin) for origin in sorted(origins, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?:/[^\s\"'<>()\[\]{{}}\\,]*)?(?![\w.:-])")


def text_links(text: str, pattern: re.Pattern, markup: bool) -> Iterator[str]:
    """Absolute addresses on the site's origins in a text (entities undone in HTML and XML)."""
    for match in pattern.finditer(text):
        yield html.unescape(match.group(0)) if markup else match.group(0)


def rewrite_text(text: str, pattern: re.Pattern, rewrite: Rewrite, markup: bool) -> str:
    def replace(match: re.Match) -> str:
        found = html.unescape(match.group(0)) if markup else match.group(0)
        new = rewrite(found)
        if new is None:
            return match.group(0)
        return html.escape(new, quote=False) if markup else new

    return pattern.sub(replace, text)
