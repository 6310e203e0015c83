"""Markdown that has hurt renderers: deep nesting, unclosed brackets, runs of half-made tags.

Shared by the property test (tests/ignite/test_markdown.py) and the benchmark
(scripts/markdown_bench.py), so the figures and the promise are about the same inputs.
"""

PATHOLOGICAL = {
    "20,000 × [": "[" * 20_000,
    "10,000 × ![": "![" * 10_000,
    "nested links, 3,000 deep": "[" * 3_000 + "a" + "](u)" * 3_000,
    "nested images, 2,000 deep": "![" * 2_000 + "a" + "](u)" * 2_000,
    "5,000 × <a ": "<a " * 5_000,
    "5,000 × <a href=": "<a href=" * 2_500,
    "nested definition lists (t / : d), 4,200 chars": "t\n: d\n" * 700,
    "nested definition lists, 20,000 chars": "t\n: d\n" * 3_334,
    "5,000 × >": ">" * 5_000 + " x",
    "nested blockquotes, one per line": "".join(">" * i + " a\n" for i in range(140)),
    "5,000 × - ": "- " * 2_500 + "x",
    "nested lists by indentation": "".join("  " * i + "- x\n" for i in range(140)),
    "5,000 × *": "*" * 5_000,
    "alternating *_": "*_" * 5_000,
    "10,000 × `": "`" * 10_000,
    "backtick runs of growing length": "".join("`" * i + "a" for i in range(1, 140)),
    "unclosed <!--": "<!--" * 5_000,
    "10,000 × &#": "&#" * 10_000,
    "table with 2,000 columns": "|" + "a|" * 2_000 + "\n|" + "-|" * 2_000 + "\n",
    "20,000 × \\": "\\" * 20_000,
    "link reference definitions": "".join(f"[r{i}]: http://e/{i}\n" for i in range(1_000))
    + "[r1] " * 1_000,
    "emphasis inside link text": "[*" * 5_000,
}
