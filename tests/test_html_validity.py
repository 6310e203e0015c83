"""Every public page is valid HTML, as the Nu HTML Checker (vnu) reads it, in both languages."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.crawl import public_pages

pytestmark = pytest.mark.django_db

VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR", Path(settings.BASE_DIR, ".venv/node/node_modules/vnu-jar/build/dist/vnu.jar")
    )
)


def validate(files: list[Path]) -> list[dict]:
    """The checker's errors for these files (warnings left out)."""
    if shutil.which("java") is None:
        pytest.fail("The HTML check needs Java: apt-get install -y default-jre-headless")
    if not VNU_JAR.exists():
        pytest.fail(f"The HTML check needs the Nu HTML Checker at {VNU_JAR}: run `make test`")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stderr)["messages"]


def test_every_public_page_is_valid_html(client, launch_content, tmp_path):
    pages = public_pages(client)
    assert len(pages) > 40, sorted(pages)  # both recaps, every feature, session and speaker
    assert {address[:4] for address in pages} == {"/en/", "/ja/"}
    by_file = {}
    for number, (address, (_status, html)) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page-{number:03}.html"
        path.write_text(html, encoding="utf-8")
        by_file[path.name] = address
    errors = [
        f"{by_file.get(message.get('url', '').rsplit('/', 1)[-1])}:{message.get('lastLine')}: "
        f"{message['message']}"
        for message in validate(sorted(tmp_path.glob("page-*.html")))
    ]
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors[:40])


def test_the_checker_finds_errors(tmp_path):
    """The check above cannot pass by accident: a broken page is reported."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><html lang="en"><title>x</title><p hx-get="/">x</div>')
    messages = validate([page])
    assert len(messages) >= 2, messages
