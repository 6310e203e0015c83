"""manage.py check_links against a local server: what it records, says and exits with."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

from ignite.links.checker import CheckResult
from ignite.links.models import LinkCheck, LinkError
from ignite.models import ContentRevision
from tests.factories import DocLinkFactory, FeatureFactory, LinkCheckFactory, SessionFactory

pytestmark = pytest.mark.django_db


def check_links(*args: str, stderr=None) -> str:
    out = StringIO()
    call_command("check_links", "--timeout", "0.3", *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


@pytest.fixture
def manage(monkeypatch):
    """Run the command as `manage.py` does, exit status included. (It closes the database
    connections when done, which would end the test's transaction: not here.)"""
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> None:
        execute_from_command_line(["manage.py", "check_links", *args])

    return run


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def linked_content(link_server, closed_port):
    """Content linking to each kind of answer, in every place a link can be."""
    feature = FeatureFactory(body_ja=f"[壊れたリンク]({link_server.url('/missing')})")
    DocLinkFactory(feature=feature, url=link_server.url("/ok"))
    DocLinkFactory(feature=feature, url=link_server.url("/moved"))
    DocLinkFactory(url=link_server.url("/error"))
    SessionFactory(url=link_server.url("/slow"), repository_url=f"http://127.0.0.1:{closed_port}/")
    return feature


def test_every_link_is_checked_and_recorded(link_server, linked_content, closed_port):
    check_links()
    checks = {check.url: check for check in LinkCheck.objects.all()}
    outcome = {url: (check.status_code, check.error) for url, check in checks.items()}
    assert outcome == {
        link_server.url("/ok"): (200, ""),
        link_server.url("/moved"): (200, ""),
        link_server.url("/missing"): (404, ""),
        link_server.url("/error"): (500, ""),
        link_server.url("/slow"): (None, LinkError.TIMEOUT),
        f"http://127.0.0.1:{closed_port}/": (None, LinkError.REFUSED),
    }
    moved = checks[link_server.url("/moved")]
    assert (moved.final_url, moved.redirects) == (link_server.url("/ok"), 2)
    assert moved.failing_since is None and moved.last_success_at == moved.checked_at
    missing = checks[link_server.url("/missing")]
    assert missing.failing_since == missing.checked_at and missing.last_success_at is None


def test_the_summary_names_the_failing_links_and_the_exit_status_stays_zero(
    link_server, linked_content, capsys, manage
):
    manage("--timeout", "0.3")  # returns: exit status 0
    out = capsys.readouterr().out
    assert "Checked 6 of 6 links in " in out
    assert ": 2 working, 4 failing." in out
    assert f"  404                  {link_server.url('/missing')}  (failing since " in out
    assert f"  Timed out            {link_server.url('/slow')}  (failing since " in out
    assert "In all: 4 links failing, 0 of them for 7 days or more" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--workers", "0"],
        ["--per-host", "0"],
        ["--url", "ftp://files.example.com/"],
        ["--url", "not a url"],
    ],
)
def test_bad_options_are_errors_with_a_reason(args, capsys, manage):
    with pytest.raises(SystemExit) as exit_info:
        manage(*args)
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.startswith("CommandError: ")
    assert not LinkCheck.objects.exists()


@pytest.mark.parametrize("args", [["--timeout", "0"], ["--timeout", "soon"], ["--only-due", "-1"]])
def test_unusable_numbers_are_refused_by_the_parser(args, capsys, manage):
    with pytest.raises(SystemExit) as exit_info:
        manage(*args)
    assert exit_info.value.code == 2
    assert "invalid positive_number value" in capsys.readouterr().err


def test_failing_since_is_kept_across_runs_and_cleared_on_recovery(link_server):
    url = link_server.url("/flaky")
    DocLinkFactory(url=url)
    check_links()
    first = LinkCheck.objects.get(url=url)
    assert first.status_code == 503 and first.failing_since == first.checked_at

    check_links()
    second = LinkCheck.objects.get(url=url)
    assert second.checked_at > first.checked_at
    assert second.failing_since == first.failing_since

    link_server.flaky_works = True
    check_links()
    recovered = LinkCheck.objects.get(url=url)
    assert (recovered.status_code, recovered.failing_since) == (200, None)
    assert recovered.last_success_at == recovered.checked_at


def test_a_rate_limited_answer_changes_neither_failing_since_nor_last_success(link_server):
    url = link_server.url("/rate-limited")
    DocLinkFactory(url=url)
    since = timezone.now() - datetime.timedelta(days=3)
    LinkCheckFactory(url=url, status_code=503, failing_since=since, last_success_at=None)
    out = check_links()
    check = LinkCheck.objects.get(url=url)
    assert (check.status_code, check.failing_since, check.last_success_at) == (429, since, None)
    assert "1 rate-limited (retry later)" in out


def test_a_week_of_failures_makes_a_link_broken():
    now = timezone.now()
    result = CheckResult("https://gone.example.com/", status_code=404)
    LinkCheck.record(result, now=now - datetime.timedelta(days=8))
    LinkCheck.record(result, now=now - datetime.timedelta(days=1))
    LinkCheck.record(CheckResult("https://new.example.com/", status_code=500), now=now)
    assert list(LinkCheck.objects.failing().values_list("url", flat=True)) == [
        "https://gone.example.com/",
        "https://new.example.com/",
    ]
    assert list(LinkCheck.objects.broken().values_list("url", flat=True)) == [
        "https://gone.example.com/"
    ]
    assert LinkCheck.objects.broken(days=9).count() == 0
    assert LinkCheck.objects.get(url="https://gone.example.com/").is_broken()


def test_only_due_skips_links_checked_recently(link_server):
    recent, old = link_server.url("/ok"), link_server.url("/missing")
    DocLinkFactory(url=recent)
    DocLinkFactory(url=old)
    LinkCheckFactory(url=recent, checked_at=timezone.now() - datetime.timedelta(hours=2))
    LinkCheckFactory(url=old, checked_at=timezone.now() - datetime.timedelta(hours=30))
    out = check_links("--only-due", "24")
    assert [path for _method, path, _agent in link_server.requests] == ["/missing"]
    assert "Checked 1 of 2 links" in out
    assert "Skipped 1 checked within the last 24 hours." in out


def test_one_url_can_be_checked_alone_and_other_checks_are_kept(link_server):
    DocLinkFactory(url=link_server.url("/ok"))
    kept = LinkCheckFactory(url="https://elsewhere.example.com/")
    stderr = StringIO()
    out = check_links("--url", link_server.url("/missing"), stderr=stderr)
    assert [path for _method, path, _agent in link_server.requests] == ["/missing"]
    assert LinkCheck.objects.get(url=link_server.url("/missing")).status_code == 404
    assert LinkCheck.objects.filter(pk=kept.pk).exists()
    assert "Checked 1 of 1 links" in out
    assert "is not linked from the content; checked anyway" in stderr.getvalue()


def test_a_full_run_forgets_links_the_content_no_longer_uses(link_server):
    DocLinkFactory(url=link_server.url("/ok"))
    LinkCheckFactory(url="https://fixed-by-an-editor.example.com/", failing_since=timezone.now())
    out = check_links()
    assert list(LinkCheck.objects.values_list("url", flat=True)) == [link_server.url("/ok")]
    assert "Forgot 1 links the content no longer uses." in out


def test_a_run_makes_cached_pages_stale(link_server):
    DocLinkFactory(url=link_server.url("/ok"))
    before = ContentRevision.current().number
    check_links()
    assert ContentRevision.current().number == before + 1


def test_nothing_to_check_is_said_plainly():
    assert check_links() == "No links to check.\n"


def test_a_terminal_gets_a_progress_bar(link_server):
    for path in ("/ok", "/missing", "/moved"):
        DocLinkFactory(url=link_server.url(path))
    terminal = Terminal()
    check_links(stderr=terminal)
    progress = terminal.getvalue()
    assert "\rChecking links [------------------------------] 0/3, 0 failing" in progress
    assert "\rChecking links [##############################] 3/3, 1 failing" in progress
    assert "\x1b[" not in progress  # plain text, not styled as an error


def test_without_a_terminal_there_is_no_progress_bar(link_server):
    DocLinkFactory(url=link_server.url("/ok"))
    stderr = StringIO()
    check_links(stderr=stderr)
    assert stderr.getvalue() == ""


def test_a_command_error_leaves_earlier_results_alone():
    LinkCheckFactory(url="https://kept.example.com/")
    with pytest.raises(CommandError):
        check_links("--workers", "0")
    assert LinkCheck.objects.count() == 1
