"""The checker against a local server: what each kind of answer is recorded as."""

import socket
import ssl
import urllib.error

import pytest

from ignite.links.checker import LinkChecker, classify, interleave_hosts, request_url
from ignite.links.models import LinkError
from tests.ignite.links.conftest import JAPANESE_PATH


@pytest.fixture
def checker():
    return LinkChecker(timeout=0.5, workers=4, per_host=2, max_redirects=5)


def test_a_working_link_is_ok_with_its_final_url(checker, link_server):
    result = checker.check(link_server.url("/ok"))
    assert (result.status_code, result.error, result.ok) == (200, "", True)
    assert result.final_url == link_server.url("/ok")
    assert result.redirects == 0


def test_redirects_are_followed_to_the_final_url(checker, link_server):
    result = checker.check(link_server.url("/moved"))
    assert (result.status_code, result.ok, result.redirects) == (200, True, 2)
    assert result.final_url == link_server.url("/ok")


def test_a_relative_redirect_is_resolved_against_the_current_url(checker, link_server):
    result = checker.check(link_server.url("/relative"))
    assert (result.status_code, result.final_url) == (200, link_server.url("/ok"))


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/error", 500)])
def test_an_http_error_is_recorded_with_its_status(checker, link_server, path, status):
    result = checker.check(link_server.url(path))
    assert (result.status_code, result.error, result.ok) == (status, "", False)


def test_a_redirect_loop_is_named_as_one(checker, link_server):
    result = checker.check(link_server.url("/loop-a"))
    assert (result.status_code, result.error, result.ok) == (None, LinkError.REDIRECT_LOOP, False)
    assert result.final_url == link_server.url("/loop-b")


def test_redirects_stop_at_the_cap(checker, link_server):
    result = checker.check(link_server.url("/endless/0"))
    assert result.error == LinkError.TOO_MANY_REDIRECTS
    assert result.redirects == 6
    assert len(link_server.requests) == 6  # the first request and five redirects, no more


def test_a_redirect_away_from_the_web_is_refused(checker, link_server):
    result = checker.check(link_server.url("/to-ftp"))
    assert (result.error, result.error_detail) == (
        LinkError.BAD_REDIRECT,
        "ftp://files.example.com/",
    )


def test_a_server_slower_than_the_timeout_is_a_timeout(link_server):
    result = LinkChecker(timeout=0.2).check(link_server.url("/slow"))
    assert (result.status_code, result.error, result.ok) == (None, LinkError.TIMEOUT, False)


def test_a_closed_port_is_a_refused_connection(checker, closed_port):
    result = checker.check(f"http://127.0.0.1:{closed_port}/")
    assert (result.status_code, result.error) == (None, LinkError.REFUSED)


def test_tls_to_a_plain_http_server_is_a_tls_error(checker, link_server):
    result = checker.check(f"https://127.0.0.1:{link_server.port}/ok")
    assert result.error == LinkError.TLS


def test_rate_limiting_is_inconclusive_not_a_failure(checker, link_server):
    result = checker.check(link_server.url("/rate-limited"))
    assert (result.status_code, result.ok, result.inconclusive) == (429, False, True)


def test_an_address_that_cannot_be_requested_is_invalid(checker):
    assert checker.check("http://127.0.0.1:port/").error == LinkError.INVALID_URL


def test_requests_are_gets_that_say_who_is_asking(link_server):
    LinkChecker(user_agent="IgniteRecap-LinkChecker/1.0 (+test)").check(link_server.url("/ok"))
    assert link_server.requests == [("GET", "/ok", "IgniteRecap-LinkChecker/1.0 (+test)")]


def test_a_japanese_path_is_percent_encoded_on_the_wire(checker, link_server):
    assert checker.check(link_server.url(JAPANESE_PATH)).status_code == 200


def test_an_internationalised_host_goes_out_in_idna():
    assert request_url("https://例え.jp/パス?q=ノード プール#top") == (
        "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%E3%83%8E%E3%83%BC%E3%83%89%20"
        "%E3%83%97%E3%83%BC%E3%83%AB"
    )


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        (urllib.error.URLError(socket.gaierror(-2, "Name or service not known")), LinkError.DNS),
        (urllib.error.URLError(ConnectionRefusedError(111, "refused")), LinkError.REFUSED),
        (urllib.error.URLError(ssl.SSLCertVerificationError("bad cert")), LinkError.TLS),
        (urllib.error.URLError(TimeoutError("timed out")), LinkError.TIMEOUT),
        (TimeoutError("The read operation timed out"), LinkError.TIMEOUT),
        (ConnectionResetError(104, "reset"), LinkError.CONNECTION),
        (urllib.error.URLError("unknown url type: x"), LinkError.INVALID_URL),
    ],
)
def test_errors_are_classified_by_their_cause(exception, error):
    assert classify(exception)[0] == error


@pytest.mark.parametrize("per_host", [1, 3])
def test_no_host_gets_more_requests_at_once_than_the_limit(link_server, per_host):
    checker = LinkChecker(timeout=5, workers=8, per_host=per_host)
    urls = [link_server.url(f"/busy/{i}") for i in range(8)]
    results = list(checker.check_all(urls))
    assert sorted(result.url for result in results) == sorted(urls)
    assert all(result.ok for result in results)
    # Reached, so the workers did run in parallel; never exceeded.
    assert link_server.max_active == per_host


def test_the_limit_is_per_host_not_for_the_whole_run(link_server):
    checker = LinkChecker(timeout=5, workers=8, per_host=1)
    urls = [
        link_server.url(f"/busy/{i}", host=host)
        for i in range(4)
        for host in ("127.0.0.1", "localhost")
    ]
    assert all(result.ok for result in checker.check_all(urls))
    assert link_server.max_active == 2


def test_hosts_take_turns_in_the_queue():
    urls = ["http://a/1", "http://a/2", "http://a/3", "http://b/1", "http://c/1", "http://b/2"]
    assert interleave_hosts(urls) == [
        "http://a/1", "http://b/1", "http://c/1", "http://a/2", "http://b/2", "http://a/3",
    ]  # fmt: skip
