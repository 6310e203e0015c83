"""Editors write Markdown; readers get HTML that can carry no script, whatever was written.

Markdown is CommonMark, parsed by markdown-it-py (built and tested against pathological input:
parsing time grows linearly with the text), with tables and definition lists, and the HTML is
sanitised by nh3. Three guards make any text an editor can save safe to render:

- a Markdown field holds at most MAX_MARKDOWN_LENGTH characters (`markdown_field`: checked by
  forms, by model validation and so by `import_content`, and by the live preview);
- structures nested deeper than MAX_NESTING levels are shown as text, never recursed into;
- a render that runs past RENDER_BUDGET_SECONDS of CPU, or fails in any way, is replaced by the
  text shown as plain paragraphs (escaped), with a warning in the log: a page never fails
  because of what an editor wrote.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar
from functools import lru_cache
from html import escape, unescape

import nh3
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin

logger = logging.getLogger(__name__)

# Longer than any text we expect in a field, short enough that rendering stays a few tens of
# milliseconds on the slowest text we know (see scripts/markdown_bench.py).
MAX_MARKDOWN_LENGTH = 20_000
MAX_NESTING = 20
# Generous: the slowest known 20,000-character texts take 0.3-0.8 s of CPU, depending on the
# machine (scripts/markdown_bench.py); a render is cached, so it is paid once per text.
RENDER_BUDGET_SECONDS = 2.0

# Page structure owns <h1> and <h2>; editors' headings start at level 3.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def markdown_field(verbose_name, **kwargs) -> models.TextField:
    """A text field for editor Markdown of at most MAX_MARKDOWN_LENGTH characters: the admin's
    form says so (maxlength), and model validation (which the import runs) refuses more."""
    return models.TextField(
        verbose_name,
        max_length=MAX_MARKDOWN_LENGTH,
        validators=[MaxLengthValidator(MAX_MARKDOWN_LENGTH)],
        **kwargs,
    )


class RenderBudgetExceeded(Exception):
    pass


_deadline: ContextVar[float] = ContextVar("markdown_deadline", default=float("inf"))
# Reading the CPU clock is a system call: on every rule call it was about a third of a long
# render's time (under cProfile). The clock is read on one check in CLOCK_EVERY (a few hundred
# microseconds of parsing). The counter is shared by threads; a lost increment only moves the
# next reading.
CLOCK_EVERY = 64
_checks = 0


def _check_budget() -> None:
    global _checks
    _checks += 1
    if _checks % CLOCK_EVERY == 0 and time.thread_time() > _deadline.get():
        raise RenderBudgetExceeded


def _budgeted(rule):
    def checked(*args):
        _check_budget()
        return rule(*args)

    return checked


def _budgeted_inlines(state) -> None:
    """The core rule that parses each block's inline content, checking the budget per block."""
    for token in state.tokens:
        if token.type == "inline":
            _check_budget()
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    md.use(deflist_plugin)
    # The block rules run for every line: checking the clock there bounds the block pass too.
    for rule in md.block.ruler.__rules__:
        rule.fn = _budgeted(rule.fn)
    md.block.ruler.__cache__ = None
    md.core.ruler.at("inline", _budgeted_inlines)
    return md


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    token = _deadline.set(time.thread_time() + RENDER_BUDGET_SECONDS)
    try:
        html = _parser().render(text)
    finally:
        _deadline.reset(token)
    return _sanitise(html)


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def _as_plain_text(text: str) -> str:
    """The text itself, escaped, in paragraphs: what a reader gets when Markdown fails."""
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    return "\n".join(
        "<p>" + "<br>\n".join(escape(line) for line in part.split("\n")) + "</p>"
        for part in paragraphs
        if part
    )


def render_markdown(text: str | None) -> SafeString:
    """Render editor Markdown to sanitised HTML (cached: the same text renders once).

    Never raises: a text that cannot be rendered in time is shown as plain text.
    """
    if not text:
        return mark_safe("")
    try:
        return mark_safe(_render(text))
    except RenderBudgetExceeded:
        logger.warning(
            "Markdown of %d characters took more than %ss to render; shown as plain text.",
            len(text),
            RENDER_BUDGET_SECONDS,
        )
    except Exception:  # a renderer bug must cost the text its formatting, never the page
        logger.exception("Markdown of %d characters could not be rendered.", len(text))
    return mark_safe(_as_plain_text(text))


def markdown_text(text: str | None) -> str:
    """Editor Markdown as one line of plain text (for titles, labels and descriptions)."""
    return " ".join(unescape(strip_tags(render_markdown(text))).split())
