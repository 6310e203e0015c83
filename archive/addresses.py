"""Where each address of the site goes in the archive, and how one archived file links to another.

The site's addresses are folders and query strings; a static host and file:// know only files.
Each address gets one file, named by its path, its query string and what it is:

    /en/features/                       → en/features/index.html
    /en/features/?status=ga&area=dns    → en/features/area=dns&status=ga/index.html
    /en/features/feed/ (an Atom feed)   → en/features/feed/index.xml
    /sitemap.xml                        → sitemap.xml

A query string becomes a folder named after its parameters, sorted, so the same filters in
another order are the same page. No slug holds "=", so such a folder never meets a page's own.
Links between files are relative and name `index.html`, which works from file:// and at any
URL prefix on a static host.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

# File extensions by content type, for addresses that do not end in a file name.
EXTENSIONS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/atom+xml": "xml",
    "application/rss+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/json": "json",
    "application/feed+json": "json",
    "text/csv": "csv",
    "text/markdown": "md",
    "text/plain": "txt",
    "text/css": "css",
    "text/javascript": "js",
    "application/javascript": "js",
}
# Longer query folders (a long search) are named by a hash: file names stop at 255 bytes.
MAX_QUERY_FOLDER = 120
# Characters left as they are in a link to a file (the rest is percent-encoded).
SAFE_IN_HREF = "/=&-._~"


class UnsafeAddress(ValueError):
    """An address that cannot be a file inside the archive (e.g. it climbs out with "..")."""


def canonical(url: str) -> str:
    """The address without scheme, host and fragment, its query parameters in sorted order."""
    parts = urlsplit(url)
    path = parts.path or "/"
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return f"{path}?{urlencode(pairs)}" if pairs else path


def extension(content_type: str) -> str:
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in EXTENSIONS:
        return EXTENSIONS[media_type]
    return (mimetypes.guess_extension(media_type) or ".bin").lstrip(".")


def query_folder(query: str) -> str:
    """The folder that holds the page of one query string (already in canonical order)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    name = "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs)
    if len(name) > MAX_QUERY_FOLDER:
        name = "query=" + hashlib.sha256(query.encode()).hexdigest()[:20]
    return name


def archive_file(url: str, content_type: str = "text/html") -> str:
    """The archive's file for an address (a relative POSIX path), given what it answers with."""
    parts = urlsplit(canonical(url))
    segments = [unquote(segment) for segment in parts.path.split("/")]
    if any(segment in (".", "..") or "\\" in segment or "\0" in segment for segment in segments):
        raise UnsafeAddress(url)
    folder, name = segments[1:-1], segments[-1]
    if parts.query:
        folder.append(query_folder(parts.query))
    if not name:
        name = f"index.{extension(content_type)}"
    elif "." not in name:  # /healthz and the like: a name of its own beside any folder
        name = f"{name}.{extension(content_type)}"
    return posixpath.join(*folder, name)


def relative_href(from_file: str, to_file: str, fragment: str = "") -> str:
    """A link from one archived file to another that works from file:// and at any prefix."""
    start = posixpath.dirname(from_file) or "."
    href = quote(posixpath.relpath(to_file, start), safe=SAFE_IN_HREF)
    return f"{href}#{fragment}" if fragment else href


def rooted_href(base_path: str, to_file: str, fragment: str = "") -> str:
    """A link that holds wherever the page is shown (a 404 page is served at any address)."""
    href = base_path + quote(to_file, safe=SAFE_IN_HREF)
    return f"{href}#{fragment}" if fragment else href


def pretty(to_file: str) -> str:
    """A file's public address on a static host: folders serve their index.html."""
    return to_file.removesuffix("index.html")
