"""Text from readers as they meant it, and safe to quote back to them."""

import unicodedata
from html import escape

from django.utils.functional import Promise

# Bad values quoted back to a reader are cut to this length.
QUOTED_VALUE_LENGTH = 40


def printable(text: str) -> str:
    """Text as a reader can see it: compatibility forms folded (ＤＮＳ → DNS), no control or
    formatting characters (NUL, bidi marks, zero-width spaces), single spaces."""
    folded = unicodedata.normalize("NFKC", text)
    kept = "".join(
        " " if char.isspace() else char
        for char in folded
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.replace("\ufffd", " ").split())


def quoted(value: str) -> str:
    """A reader's bad value, safe and short enough to quote back in a message."""
    value = printable(value)
    if len(value) > QUOTED_VALUE_LENGTH:
        value = value[: QUOTED_VALUE_LENGTH - 1] + "…"
    return value


def html_text(value: object) -> str:
    """A value as HTML text: escaped unless it is already HTML (`__html__`, as SafeString).

    What `conditional_escape` does, without the lazy-string check that Django's `escape` makes
    on every call (which cost a catalog card more than its markup): for the parts of a page
    built in Python, 20 or more times per page.
    """
    if isinstance(value, Promise):
        value = str(value)
    as_html = getattr(value, "__html__", None)
    return as_html() if as_html is not None else escape(str(value))
