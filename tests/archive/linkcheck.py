"""A link checker for an exported archive that needs no server: every href, src, srcset,
action and meta refresh of every HTML file, and every url() of every stylesheet, must name a
file in the archive (relative to the file, or from the archive's root for "/…" links) or be
an absolute address elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

URL_ATTRIBUTES = {"href", "src", "action", "poster", "formaction"}
REFRESH = re.compile(r"^\s*\d+\s*;\s*url=(.+)$", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset":
                self.links += [item.split()[0] for item in value.split(",") if item.strip()]
        refresh = (attributes.get("http-equiv") or "").lower() == "refresh"
        if refresh and (match := REFRESH.match(attributes.get("content") or "")):
            self.links.append(match.group(1).strip())

    handle_startendtag = handle_starttag


def links_in(path: Path) -> list[str]:
    if path.suffix == ".css":
        return CSS_URL.findall(path.read_text(encoding="utf-8"))
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def target_of(root: Path, page: Path, link: str, base_path: str = "/") -> Path | None:
    """The file a link names, or None when it leaves the archive (another site, mail…)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("#") or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        return root / path.removeprefix(base_path)
    return page.parent / path


def broken_links(root: Path, base_path: str = "/") -> list[tuple[str, str]]:
    """(file, link) for each link that names no file of the archive."""
    broken = []
    for page in sorted([*root.rglob("*.html"), *root.rglob("*.css")]):
        for link in links_in(page):
            target = target_of(root, page, link, base_path)
            if target is None:
                continue
            resolved = target.resolve()
            if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
                broken.append((page.relative_to(root).as_posix(), link))
    return broken


def internal_links(root: Path, folder: str = "") -> int:
    """How many links to files of the archive the pages under `folder` hold (so that "none
    broken" cannot mean "none seen")."""
    pages = [*(root / folder).rglob("*.html"), *(root / folder).rglob("*.css")]
    return sum(1 for page in pages for link in links_in(page) if target_of(root, page, link))
