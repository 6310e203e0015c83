"""Full-page screenshots of every public page at phone and desktop widths, in both languages.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 var/screenshots [path …]

Start the site first (`make run`). Without paths, it follows the site's links from /en/ and
/ja/. Files are named after the page and the width, e.g. ja-features-localdns-390.png. Needs
Debian's chromium and, for Japanese, fonts-noto-cjk (`make test` installs both).
"""

import re
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import sync_playwright

WIDTHS = (320, 390, 1280)
SKIP = ("/feed/", ".png", ".xml")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(urldefrag(href).url)


def crawl(base: str, limit: int = 200) -> list[str]:
    seen: list[str] = []
    queue = ["/en/", "/ja/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        with urllib.request.urlopen(base + path) as response:
            parser = Links()
            parser.feed(response.read().decode())
        for href in parser.hrefs:
            parts = urlsplit(href)
            internal = not parts.netloc and parts.path.startswith(("/en/", "/ja/"))
            if internal and not parts.query and not any(s in parts.path for s in SKIP):
                queue.append(parts.path)
    return seen


def file_name(path: str, width: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
    return f"{slug}-{width}.png"


def main(base: str, output: str, paths: list[str]) -> None:
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    paths = paths or crawl(base)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in paths:
                page.goto(base + path)
                page.screenshot(path=folder / file_name(path, width), full_page=True)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    print(f"{path} at {width}px scrolls sideways by {overflow}px")
            page.close()
        browser.close()
    print(f"{len(paths) * len(WIDTHS)} screenshots in {folder}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
