"""Small readers for rendered pages: headings, titles, landmarks, visible text."""

from html.parser import HTMLParser
from itertools import pairwise


class PageOutline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.title = ""
        self.tags: list[tuple[str, dict]] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def find_all(self, tag: str, **attrs) -> list[dict]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(key) == value for key, value in attrs.items())
        ]


def outline(html: str) -> PageOutline:
    parser = PageOutline()
    parser.feed(html)
    return parser


class VisibleText(HTMLParser):
    """Text a reader sees, leaving out scripts, styles and elements marked lang="en"."""

    SKIP = {"script", "style", "code", "pre"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def __init__(self, skip_english: bool = False):
        super().__init__()
        self.skip_english = skip_english
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        skipped = tag in self.SKIP or (self.skip_english and dict(attrs).get("lang") == "en")
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def visible_text(html: str, skip_english: bool = False) -> str:
    parser = VisibleText(skip_english=skip_english)
    parser.feed(html)
    return parser.text


def headings_in_order(levels: list[int]) -> bool:
    """One h1 first, and no heading more than one level deeper than the one before it."""
    if not levels or levels[0] != 1 or levels.count(1) != 1:
        return False
    return all(b <= a + 1 for a, b in pairwise(levels))


class ActiveContent(HTMLParser):
    """Markup that could run code or change the page: scripts, handlers, script URLs, styles."""

    RISKY_TAGS = {
        "script",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "style",
        "form",
        "base",
        "meta",
    }
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.RISKY_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            elif name == "style":
                self.found.append(f"{tag}[style]")
            elif name in self.URL_ATTRIBUTES and value.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{tag}[{name}={value[:20]}]")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return sorted(parser.found)
