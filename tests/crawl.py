"""Every public page a reader can reach by following the site's own links."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

START = ("/en/", "/ja/")
# Pages that only a typed address reaches, each worth checking too.
EXTRA = (
    "/en/features/?status=bogus&page=x",
    "/ja/features/?status=bogus&page=x",
    "/en/features/?q=zzzz-nothing",
    "/ja/features/?q=zzzz-nothing",
    "/en/no-such-page/",
    "/ja/no-such-page/",
)
# Feeds, downloads and images: the links of the subscribe menu are not pages to read.
NOT_PAGES = ("/feed/", "/feed.", "/export.", ".png", ".xml", ".txt")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _internal(href: str) -> str | None:
    href = urldefrag(href).url
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith(("/en/", "/ja/")):
        return None
    if any(marker in parts.path for marker in NOT_PAGES):
        return None
    return href


def public_pages(client, limit: int = 400) -> dict[str, tuple[int, str]]:
    """{address: (status, html)} for every page linked from the recaps, in both languages."""
    pages: dict[str, tuple[int, str]] = {}
    queue = [*START, *EXTRA]
    while queue and len(pages) < limit:
        address = queue.pop(0)
        if address in pages:
            continue
        response = client.get(address)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages[address] = (response.status_code, html)
        parser = Links()
        parser.feed(html)
        queue.extend(link for href in parser.hrefs if (link := _internal(href)))
    return pages


def sitemap_text(client) -> str:
    """Every page of every section the sitemap index (/sitemap.xml) lists, one after another."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and b"<sitemapindex" in index.content
    pages = []
    for location in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        parts = urlsplit(location)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, location
        pages.append(response.content.decode())
    return "\n".join(pages)
