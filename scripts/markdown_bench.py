"""Time the site's Markdown rendering on known pathological inputs and print the figures.

Run from the repository root: `.venv/bin/python scripts/markdown_bench.py`. Each input is
rendered once, from a cold cache, in this process; figures are CPU seconds.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ignite.settings")

import django

django.setup()

from ignite import markdown as site_markdown  # noqa: E402
from tests.ignite.markdown_cases import PATHOLOGICAL  # noqa: E402


def main() -> None:
    print(f"{'input':48} {'chars':>7} {'CPU s':>8}  result")
    for name, text in PATHOLOGICAL.items():
        if hasattr(site_markdown, "_render"):
            site_markdown._render.cache_clear()
        started = time.process_time()
        try:
            html = site_markdown.render_markdown(text)
            result = f"{len(html):,} chars of HTML"
        except Exception as error:  # the figures must show a crash, not stop at it
            result = type(error).__name__
        print(f"{name:48} {len(text):>7,} {time.process_time() - started:>8.3f}  {result}")


if __name__ == "__main__":
    main()
