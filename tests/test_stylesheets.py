"""The stylesheets are whole: every block closed. CSS nesting makes an unclosed rule valid CSS
(the Nu checker accepts it), and the rest of the file then silently applies only inside it, as
once happened to the print styles after a merge."""

import re
from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted(Path(settings.BASE_DIR, "static", "css").glob("*.css"))


def depth_by_line(css: str) -> list[tuple[int, int, str]]:
    """(line number, block depth before the line, line) for each line, comments left out."""
    css = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), css, flags=re.S)
    found, depth = [], 0
    for number, line in enumerate(css.splitlines(), 1):
        found.append((number, depth, line))
        depth += line.count("{") - line.count("}")
    found.append((len(found) + 1, depth, ""))
    return found


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_every_block_is_closed_and_at_rules_stand_at_the_top(path):
    lines = depth_by_line(path.read_text(encoding="utf-8"))
    assert lines[-1][1] == 0, f"{path.name}: {lines[-1][1]} block(s) left open at the end"
    nested = [f"{path.name}:{n}: {line}" for n, depth, line in lines if depth and line[:1] == "@"]
    assert nested == [], "at-rules written at the top level sit inside an unclosed block"


def test_the_check_finds_an_unclosed_rule():
    lines = depth_by_line(".a {\n  color: red;\n\n@media print {\n  .b { display: none; }\n}\n")
    assert lines[-1][1] == 1
    assert [n for n, depth, line in lines if depth and line.startswith("@")] == [4]
