"""Social images: the PNG a chat or social app shows beside a shared link (Open Graph).

The site draws them itself with Pillow; no outside service sees what readers share. Fonts come
from the machine: Noto Sans CJK (Debian's `fonts-noto-cjk`) draws English and Japanese alike;
without it English cards fall back to DejaVu Sans and then to Pillow's own font, and Japanese
cards are drawn in English rather than with missing glyphs (see `can_draw`).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630  # what Open Graph and Twitter's large card expect (1.91:1)
MARGIN = 72

# (path, face index): the first that exists is used. Index 0 of the Noto CJK collections is
# the Japanese face, whose Latin letters are Noto Sans.
CJK_FONTS = {
    "bold": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 0)],
    "regular": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0)],
}
LATIN_FONTS = {
    "bold": [("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0)],
    "regular": [("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0)],
}

BACKGROUND = (16, 23, 34)
INK = (240, 243, 247)
INK_SOFT = (184, 193, 205)
# The dark scheme's status colours (site.css), which read well on the dark card.
STATUS_COLOURS = {
    "ga": (127, 220, 164),
    "public-preview": (156, 201, 255),
    "preview": (243, 197, 122),
    "private-preview": (207, 178, 243),
    "retired": (181, 188, 197),
}
ACCENT = (108, 178, 255)

# Break between words, and anywhere between CJK characters (never inside a Latin word).
TOKENS = re.compile(r"[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+|.", re.S)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class SocialCard:
    """What a card says: a small label on top (a status, a session code), the name in large
    type, an optional second line (e.g. the Japanese name) and, at the bottom, where it is from
    (the site, the event, the session), drawn with dots between the parts."""

    label: str
    title: str
    subtitle: str = ""
    footer: tuple[str, ...] = ()
    status: str = ""  # a release status value: colours the label and the band

    @property
    def alt_text(self) -> str:
        """What the image shows, for readers who cannot see it."""
        parts = [self.label, self.title, self.subtitle, *self.footer]
        return " — ".join(part for part in parts if part)


def png_response(build: Callable[[], SocialCard]) -> HttpResponse:
    """The card `build` makes, as a PNG response, in the reader's language when this machine's
    fonts can draw it and in English otherwise (rather than with missing glyphs)."""
    card = build()
    if not can_draw(card.alt_text):
        with translation.override(settings.LANGUAGE_CODE):
            card = build()
    return HttpResponse(render_png(card), content_type="image/png")


def can_draw(text: str) -> bool:
    """Whether the fonts on this machine can draw `text` (Japanese needs a CJK font)."""
    return not CJK.search(text) or _font_file("bold", cjk=True) is not None


@lru_cache(maxsize=4)
def _font_file(weight: str, cjk: bool) -> tuple[str, int] | None:
    for path, index in CJK_FONTS[weight] + ([] if cjk else LATIN_FONTS[weight]):
        if Path(path).exists():
            return path, index
    return None


@lru_cache(maxsize=64)
def _font(weight: str, size: int, cjk: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = _font_file(weight, cjk)
    if found is None:
        if cjk:
            logger.warning("No CJK font (apt-get install fonts-noto-cjk): Japanese is drawn badly.")
        return ImageFont.load_default(size)
    path, index = found
    return ImageFont.truetype(path, size, index=index)


def _wrap(text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for token in TOKENS.findall(" ".join(text.split())):
        if line and font.getlength((line + token).rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _fit(text: str, weight: str, sizes: tuple[int, ...], width: int, max_lines: int):
    """The largest size at which `text` fits in `max_lines`, and its lines (the last one
    shortened with an ellipsis when even the smallest size is too large)."""
    cjk = bool(CJK.search(text))
    for size in sizes:
        font = _font(weight, size, cjk)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


def _title_and_subtitle(card: SocialCard, width: int, height: int):
    """The largest title (at most three lines) that leaves room for the subtitle."""
    for size in (76, 68, 60, 52, 46):
        title_font, title_lines = _fit(card.title, "bold", (size,), width, 3)
        used = len(title_lines) * int(size * 1.22)
        if card.subtitle:
            sub_font, sub_lines = _fit(card.subtitle, "regular", (38,), width, 2)
            used += 16 + len(sub_lines) * int(38 * 1.35)
        else:
            sub_font, sub_lines = None, []
        if used <= height:
            break
    return title_font, title_lines, sub_font, sub_lines


def render_png(card: SocialCard) -> bytes:
    """The card as a 1200×630 PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    colour = STATUS_COLOURS.get(card.status, ACCENT)
    draw.rectangle((0, 0, 16, HEIGHT), fill=colour)
    text_width = WIDTH - 2 * MARGIN

    y = MARGIN
    if card.label:
        font, lines = _fit(card.label, "bold", (34,), text_width - 48, 1)
        left, _top, right, _bottom = draw.textbbox((0, 0), lines[0], font=font)
        pill = (MARGIN, y, MARGIN + right - left + 48, y + 60)
        draw.rounded_rectangle(pill, radius=30, outline=colour, width=4)
        draw.text((MARGIN + 24, y + 30), lines[0], font=font, fill=colour, anchor="lm")
        y += 60 + 36

    footer_top = HEIGHT - MARGIN - 34
    title_font, title_lines, sub_font, sub_lines = _title_and_subtitle(
        card, text_width, footer_top - 40 - y
    )
    for line in title_lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += int(title_font.size * 1.22)
    y += 16
    for line in sub_lines:
        draw.text((MARGIN, y), line, font=sub_font, fill=INK_SOFT)
        y += int(sub_font.size * 1.35)

    if card.footer:
        draw.line((MARGIN, footer_top - 26, WIDTH - MARGIN, footer_top - 26), fill=(52, 58, 66))
        x = MARGIN
        for i, part in enumerate(card.footer):
            font, lines = _fit(part, "regular", (30,), WIDTH - MARGIN - x, 1)
            if i:
                draw.ellipse((x + 12, footer_top + 16, x + 18, footer_top + 22), fill=INK_SOFT)
                x += 30
            draw.text((x, footer_top + 19), lines[0], font=font, fill=INK_SOFT, anchor="lm")
            x += int(font.getlength(lines[0]))
            if x > WIDTH - MARGIN - 60:
                break

    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
