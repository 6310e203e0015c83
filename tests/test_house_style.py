"""The house style (docs/house-style.md) holds in every text we publish.

The texts are the launch content (each "en"/"ja" value), the Japanese catalogue (each msgstr
is Japanese, each msgid English) and the Japanese written in templates. The katakana compounds
and the forbidden phrases are read from the tables of the style file, so the rules have one home.
Each problem names its place: a JSON path, a .po line, or a template line.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
STYLE = BASE / "docs" / "house-style.md"
CONTENT = BASE / "content" / "ignite-2025.json"
CATALOGUE = BASE / "locale" / "ja" / "LC_MESSAGES" / "django.po"
TEMPLATE_ROOTS = [BASE / "templates", *sorted(BASE.glob("*/templates"))]

# Kana and kanji, without the punctuation that lives in the same blocks (・ is U+30FB).
JA = r"[\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u3005-\u3007]"
LATIN = r"[A-Za-z0-9]"
JA_PUNCTUATION = "、。，．「」『』（）・〜：！？"

# Quoted verbatim from another work: they keep their own spelling (see the style file).
VERBATIM = ("Microsoft Ignite 2025のまとめ〜AKS編〜", "同じビット、同じAKS")
MASK = "\u3013"  # 〓: neither Japanese letter, Latin letter nor punctuation for the checks

# Text that is copied, not read, or that the site renders in its own format.
COPIED = [
    re.compile(r"```.*?```", re.S),  # fenced code
    re.compile(r"`[^`\n]+`"),  # inline code
    re.compile(r"%\(\w+\)[sd]|%[sd]"),  # gettext placeholders, before ( ) are looked at
    re.compile(r"\]\([^)\s]*\)"),  # Markdown link target: keep the ], drop (url)
    re.compile(r"<[^<>]+>"),  # HTML tags and autolinks
    re.compile(r"https?://\S+"),
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}"),  # template syntax
    re.compile(r"(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:〜\d{1,2}日)?|\d{4}年(?:\d{1,2}月)?"),
]


@dataclass(frozen=True)
class Text:
    place: str
    text: str
    language: str  # "en" or "ja"


def _table(heading: str) -> list[tuple[str, str]]:
    """The two-column table under a heading of the style file, header row left out."""
    section = STYLE.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    cells = [tuple(cell.strip() for cell in row.strip("|").split("|")) for row in rows]
    return [(left, right) for left, right in cells[1:] if not set(left) <= {"-", " "}]


COMPOUNDS = _table("Katakana compounds")
FORBIDDEN = [phrase for phrase, _why in _table("Forbidden phrases")]


def masked(text: str) -> str:
    for phrase in VERBATIM:
        text = text.replace(phrase, MASK)
    for pattern in COPIED:
        text = pattern.sub(lambda m: "]" if m.group().startswith("](") else MASK, text)
    return text


def _context(text: str, start: int, end: int) -> str:
    return "«" + text[max(start - 12, 0) : end + 12].replace("\n", "⏎") + "»"


# --- where the texts are ---------------------------------------------------------------------


def content_texts() -> Iterator[Text]:
    def walk(node, path: str) -> Iterator[Text]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("en", "ja") and isinstance(value, str):
                    yield Text(f"{CONTENT.relative_to(BASE)} › {path}.{key}", value, key)
                else:
                    yield from walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                label = isinstance(item, dict) and (item.get("slug") or item.get("code"))
                yield from walk(item, f"{path}[{index}]" + (f" ({label})" if label else ""))

    yield from walk(json.loads(CONTENT.read_text(encoding="utf-8")), "")


def catalogue_texts() -> Iterator[Text]:
    place = CATALOGUE.relative_to(BASE)
    for entry in polib.pofile(str(CATALOGUE)):
        where = f"{place}:{entry.linenum} ({entry.msgid[:40]!r})"
        for english in (entry.msgid, entry.msgid_plural):
            if english:
                yield Text(f"{where} msgid", english, "en")
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for japanese in translations:
            if japanese:
                yield Text(f"{where} msgstr", japanese, "ja")


def template_lines() -> Iterator[Text]:
    """Every template line, as English; its Japanese runs are checked by template_japanese."""
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("*.html")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                yield Text(f"{path.relative_to(BASE)}:{number}", line, "en")


RUN = re.compile(rf"(?:{JA}|{LATIN}|[ {JA_PUNCTUATION}])*{JA}(?:{JA}|{LATIN}|[ {JA_PUNCTUATION}])*")


def template_japanese() -> Iterator[Text]:
    """The Japanese runs of template lines (with the Latin words around them).

    Runs are looked for in the raw line, so Japanese inside a {% translate %} tag or an
    attribute counts too; only verbatim quotations and {{ variables }} are set aside.
    """
    for line in template_lines():
        text = line.text
        for phrase in VERBATIM:
            text = text.replace(phrase, MASK)
        for run in RUN.finditer(re.sub(r"\{\{.*?\}\}", MASK, text)):
            yield Text(line.place, run.group().strip(), "ja")


def japanese_texts() -> list[Text]:
    texts = [*content_texts(), *catalogue_texts(), *template_japanese()]
    return [t for t in texts if t.language == "ja"]


def all_texts() -> list[Text]:
    return [*content_texts(), *catalogue_texts(), *template_lines(), *template_japanese()]


# --- the rules -------------------------------------------------------------------------------

SPACING = re.compile(rf"(?<={JA})(?={LATIN})|(?<={LATIN})(?={JA})")
SPACE_BY_PUNCTUATION = re.compile(rf" (?=[{JA_PUNCTUATION}])|(?<=[{JA_PUNCTUATION}]) ")
WIDE_LATIN = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
KANJI_COUNT = re.compile(r"[一二三四五六七八九十]+(?:つ|件|個|人|行|文|回)")
# A colon anywhere but at the end, except between digits (a time such as 09:00:00Z).
INNER_COLON = re.compile(r"(?!(?<=\d):\d)[：:](?!\s*$)")
WESTERN_QUOTES = re.compile(r"[“”\"‘’]")
NARROW_PARENTHESES = re.compile(r"[()]")


def spacing_problems(item: Text) -> list[str]:
    text = masked(item.text)
    problems = [
        f"{item.place}: put a half-width space between «{text[m.start() - 1]}» and "
        f"«{text[m.start()]}» in {_context(text, m.start() - 1, m.start() + 1)}"
        for m in SPACING.finditer(text)
    ]
    problems += [
        f"{item.place}: no space next to Japanese punctuation in "
        f"{_context(text, m.start(), m.end())}"
        for m in SPACE_BY_PUNCTUATION.finditer(text)
    ]
    if "\u3000" in text:
        problems.append(f"{item.place}: ideographic space; use a half-width space or none")
    problems += [
        f"{item.place}: full-width «{m.group()}»; write Latin letters and digits half-width"
        for m in WIDE_LATIN.finditer(text)
    ]
    return problems


def counter_problems(item: Text) -> list[str]:
    text = masked(item.text)
    return [
        f"{item.place}: write counts with Arabic numerals and a space («{m.group()}» → "
        f"«1 {m.group()[-1]}» …) in {_context(text, m.start(), m.end())}"
        for m in KANJI_COUNT.finditer(text)
    ]


def compound_problems(item: Text) -> list[str]:
    problems = []
    for wrong, right in COMPOUNDS:
        for m in re.finditer(re.escape(wrong), item.text):
            if not item.text.startswith(right, m.start()):
                problems.append(
                    f"{item.place}: write «{right}», not «{wrong}», in "
                    f"{_context(item.text, m.start(), m.end())}"
                )
    return problems


def colon_problems(item: Text) -> list[str]:
    text = masked(item.text)
    return [
        f"{item.place}: no colon inside a Japanese sentence; rephrase "
        f"{_context(text, m.start(), m.end())}"
        for m in INNER_COLON.finditer(text)
    ]


def punctuation_problems(item: Text) -> list[str]:
    text = masked(item.text)
    problems = colon_problems(item)
    problems += [
        f"{item.place}: use 「」 for quotations, not «{m.group()}», in "
        f"{_context(text, m.start(), m.end())}"
        for m in WESTERN_QUOTES.finditer(text)
    ]
    problems += [
        f"{item.place}: use full-width （） in Japanese text, in "
        f"{_context(text, m.start(), m.end())}"
        for m in NARROW_PARENTHESES.finditer(text)
    ]
    return problems


def forbidden_problems(item: Text) -> list[str]:
    folded = item.text.casefold()
    problems = []
    for phrase in FORBIDDEN:
        start = folded.find(phrase.casefold())
        if start >= 0:
            problems.append(
                f"{item.place}: forbidden phrase «{phrase}» (see docs/house-style.md) in "
                f"{_context(item.text, start, start + len(phrase))}"
            )
    return problems


def _report(problems: list[str]) -> str:
    return f"{len(problems)} house-style problem(s):\n" + "\n".join(problems)


# --- the promises ----------------------------------------------------------------------------


def test_japanese_is_spaced_against_latin_letters_and_digits():
    problems = [p for item in japanese_texts() for p in spacing_problems(item)]
    assert problems == [], _report(problems)


def test_counts_are_written_one_way():
    problems = [p for item in japanese_texts() for p in counter_problems(item)]
    assert problems == [], _report(problems)


def test_katakana_compounds_are_spaced_as_microsoft_writes_them():
    problems = [p for item in japanese_texts() for p in compound_problems(item)]
    assert problems == [], _report(problems)


def test_japanese_punctuation_no_inner_colon_japanese_quotes_full_width_parentheses():
    texts = [*content_texts(), *catalogue_texts()]
    problems = [p for item in texts if item.language == "ja" for p in punctuation_problems(item)]
    # A template run is Japanese inside English markup, whose quotes and brackets are English;
    # runs hold no half-width colon, so only a full-width one can be found there.
    problems += [p for item in template_japanese() for p in colon_problems(item)]
    assert problems == [], _report(problems)


def test_no_text_claims_more_than_its_source():
    problems = [p for item in all_texts() for p in forbidden_problems(item)]
    assert problems == [], _report(problems)


# --- the checks catch what they are for --------------------------------------------------------


def _sample(text: str, language: str = "ja") -> Text:
    return Text("sample", text, language)


def test_the_style_file_tables_are_read():
    assert ("ノードプール", "ノード プール") in COMPOUNDS
    assert "every announced" in FORBIDDEN and "書き起こ" in FORBIDDEN


@pytest.mark.parametrize(
    ("check", "bad", "good"),
    [
        (spacing_problems, "AKSの機能は13件", "AKS の機能は 13 件"),
        (spacing_problems, "AKS （Azure）", "AKS（Azure）"),
        (spacing_problems, "ＡＫＳ の機能", "AKS の機能"),
        (spacing_problems, "kubectlで確認", "`kubectl`で確認した 2025年11月17日〜21日"),
        (spacing_problems, "Zennの記事", "[ドキュメント](https://x.test/a)を参照"),
        (spacing_problems, "%(count)d 件、2件", "%(count)d 件、%(name)sのみ"),
        (counter_problems, "二つのモデル", "2 つのモデル"),
        (compound_problems, "ノードプールとコンテナ", "ノード プールとコンテナー"),
        (punctuation_problems, "注意：ログが多い", "登壇者："),
        (punctuation_problems, "“fully opinionated”と呼ぶ", "「fully opinionated」と呼ぶ"),
        (punctuation_problems, "ACNS (Advanced)", "ACNS（Advanced）、%(name)s"),
        (forbidden_problems, "発表されたすべての機能", "発表の一部"),
        (forbidden_problems, "Every Announced feature", "A selection of the features"),
    ],
)
def test_each_check_catches_its_mistake(check, bad, good):
    assert check(_sample(bad)), bad
    assert check(_sample(good)) == [], good


def test_a_problem_names_its_place():
    item = next(t for t in content_texts() if t.place.endswith("(localdns).summary.ja"))
    broken = Text(item.place, "CoreDNSの負荷", "ja")
    assert item.place.startswith("content/ignite-2025.json › features[")
    assert spacing_problems(broken) == [
        f"{item.place}: put a half-width space between «S» and «の» in «CoreDNSの負荷»"
    ]


def test_japanese_in_a_template_is_checked_with_its_line(tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text(
        '{% load i18n %}\n<p>{% translate "AKSの機能：概要" %}</p>\n', encoding="utf-8"
    )
    monkeypatch.setattr(f"{__name__}.TEMPLATE_ROOTS", [folder])
    monkeypatch.setattr(f"{__name__}.BASE", tmp_path)
    (run,) = template_japanese()
    assert run.place == "templates/page.html:2"
    assert spacing_problems(run) and colon_problems(run)


def test_a_catalogue_problem_names_its_line():
    entry = next(t for t in catalogue_texts() if t.language == "ja")
    assert re.fullmatch(r"locale/ja/LC_MESSAGES/django\.po:\d+ \('.*'\) msgstr", entry.place)
