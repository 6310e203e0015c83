"""`manage.py export_site`: where it writes, what it refuses, and what it tells the operator."""

import io
import zipfile
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from archive import export
from tests.factories import FeatureFactory


class TerminalStream(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def content(db):
    """A small published catalog: quick to archive."""
    return FeatureFactory(summary_en="See [the sessions](/en/sessions/).")


def run(*args, stderr=None):
    out = StringIO()
    call_command("export_site", *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def test_it_says_where_the_archive_goes_when_told_nowhere(db):
    with pytest.raises(CommandError, match="--output FOLDER and/or --zip FILE"):
        run()


def previous_archive(folder):
    folder.mkdir()
    for name in ("index.html", "404.html", "stale.html"):
        (folder / name).write_text("the previous archive")
    return folder


def test_an_earlier_archive_is_replaced_only_when_asked(content, tmp_path):
    folder = previous_archive(tmp_path / "archive")
    with pytest.raises(CommandError, match=r"holds an earlier archive\. Pass --replace"):
        run("--output", str(folder))
    assert (folder / "stale.html").exists()
    run("--output", str(folder), "--replace")
    assert not (folder / "stale.html").exists()
    assert (folder / "index.html").read_text() != "the previous archive"
    assert [p.name for p in tmp_path.iterdir()] == ["archive"]  # no leftovers beside it


@pytest.mark.parametrize("replace", [(), ("--replace",)])
def test_a_folder_holding_anything_else_is_never_replaced(content, tmp_path, replace):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="holds something other than an archive"):
        run("--output", str(tmp_path), *replace)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_failed_export_leaves_the_previous_archive_untouched(content, tmp_path, monkeypatch):
    folder = previous_archive(tmp_path / "archive")

    def broken(self, address, entry):
        raise export.ArchiveError(f"{address} could not be rendered: boom")

    monkeypatch.setattr(export.Crawl, "_answer", broken)
    with pytest.raises(CommandError, match="No archive written: / could not be rendered: boom"):
        run("--output", str(folder), "--replace")
    assert (folder / "index.html").read_text() == "the previous archive"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing" / "archive", "the folder .* does not exist"),
        (lambda tmp: (tmp / "file").touch() or tmp / "file", "is a file, not a folder"),
        (lambda tmp: settings.BASE_DIR, "holds the project"),
    ],
)
def test_impossible_folders_are_refused(db, tmp_path, make, message):
    with pytest.raises(CommandError, match=message):
        run("--output", str(make(tmp_path)), "--replace")


@pytest.mark.parametrize(
    "site_url", ["example.org/recap/", "ftp://example.org/", "https://example.org/?a=1", "/recap/"]
)
def test_a_site_url_must_be_an_absolute_web_address(db, tmp_path, site_url):
    with pytest.raises(CommandError, match="--site-url must be an absolute http"):
        run("--output", str(tmp_path / "a"), "--site-url", site_url)


def test_a_zip_needs_a_folder_to_go_in_and_stays_out_of_the_output(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("--zip", str(tmp_path / "missing" / "recap.zip"))
    with pytest.raises(CommandError, match="is a folder, not a file"):
        run("--zip", str(tmp_path))
    with pytest.raises(CommandError, match="outside the --output folder"):
        run("--output", str(tmp_path / "a"), "--zip", str(tmp_path / "a" / "recap.zip"))


def test_a_zip_alone_holds_the_archive_under_one_folder(content, tmp_path):
    output = run("--zip", str(tmp_path / "recap.zip"))
    assert [p.name for p in tmp_path.iterdir()] == ["recap.zip"]
    with zipfile.ZipFile(tmp_path / "recap.zip") as archive:
        names = archive.namelist()
    assert "recap/index.html" in names and "recap/en/features/index.html" in names
    assert all(name.startswith("recap/") for name in names)
    assert f"Zip: {tmp_path / 'recap.zip'}" in output


def test_a_terminal_sees_a_progress_bar_and_a_log_does_not(content, tmp_path):
    terminal = TerminalStream()
    run("--output", str(tmp_path / "a"), stderr=terminal)
    assert "\rArchiving [" in terminal.getvalue() and "/en/features/" in terminal.getvalue()
    log = StringIO()
    run("--output", str(tmp_path / "b"), stderr=log)
    assert "Archiving [" not in log.getvalue()


def test_links_to_pages_the_site_does_not_have_are_reported(db, tmp_path):
    FeatureFactory(summary_en="An [old link](/en/features/gone-for-good/).")
    errors = StringIO()
    run("--output", str(tmp_path / "a"), stderr=errors)
    assert "Not archived: /en/features/gone-for-good/ answered 404." in errors.getvalue()
    assert "Broken link in en/features/index.html: /en/features/gone-for-good/" in errors.getvalue()
