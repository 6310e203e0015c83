"""Where each address of the site goes in the archive, and the links between archived files."""

import pytest

from archive.addresses import (
    UnsafeAddress,
    archive_file,
    canonical,
    pretty,
    relative_href,
    rooted_href,
)


@pytest.mark.parametrize(
    ("url", "content_type", "expected"),
    [
        ("/en/features/", "text/html; charset=utf-8", "en/features/index.html"),
        ("/", "text/html", "index.html"),
        ("/en/features/feed/", "application/atom+xml; charset=utf-8", "en/features/feed/index.xml"),
        ("/sitemap.xml", "application/xml", "sitemap.xml"),
        ("/robots.txt", "text/plain", "robots.txt"),
        ("/api/v1/features/", "application/json", "api/v1/features/index.json"),
        ("/en/features/export/", "text/csv", "en/features/export/index.csv"),
        ("/healthz", "text/plain", "healthz.txt"),
        ("/static/css/site.0123456789ab.css", "text/css", "static/css/site.0123456789ab.css"),
    ],
)
def test_each_address_gets_a_file_named_by_its_path_and_type(url, content_type, expected):
    assert archive_file(url, content_type) == expected


def test_a_query_string_is_a_folder_named_by_its_sorted_parameters():
    assert archive_file("/en/features/?status=ga&area=networking") == (
        "en/features/area=networking&status=ga/index.html"
    )
    assert archive_file("/en/features/?area=networking&status=ga") == (
        "en/features/area=networking&status=ga/index.html"
    )


def test_the_same_filters_in_another_order_are_one_address():
    assert canonical("http://x.test/en/features/?status=ga&area=dns#top") == (
        "/en/features/?area=dns&status=ga"
    )
    assert canonical("/en/features/?") == "/en/features/"


def test_a_file_name_of_a_query_beside_a_path_keeps_the_name():
    assert archive_file("/en/features/feed.json?status=ga", "application/json") == (
        "en/features/status=ga/feed.json"
    )


def test_query_values_that_are_not_plain_are_percent_encoded_in_the_folder_name():
    name = archive_file("/en/features/?q=a/b c")
    assert name == "en/features/q=a%2Fb%20c/index.html"
    assert "/" not in name.split("/")[2]


def test_a_very_long_query_is_named_by_a_hash():
    name = archive_file("/en/features/?q=" + "x" * 300)
    folder = name.split("/")[2]
    assert folder.startswith("query=") and len(folder) < 40
    assert archive_file("/en/features/?q=" + "x" * 300) == name


@pytest.mark.parametrize("url", ["/en/../../etc/passwd", "/en/%2e%2e/secret/", "/a/..\\b/"])
def test_an_address_that_climbs_out_of_the_archive_is_refused(url):
    with pytest.raises(UnsafeAddress):
        archive_file(url)


def test_links_are_relative_and_name_index_html():
    assert relative_href("en/features/index.html", "en/features/localdns/index.html") == (
        "localdns/index.html"
    )
    assert relative_href("en/features/status=ga/index.html", "static/css/site.css") == (
        "../../../static/css/site.css"
    )
    assert relative_href("en/index.html", "ja/index.html", "main") == "../ja/index.html#main"


def test_a_percent_in_a_file_name_is_escaped_in_the_link():
    assert relative_href("index.html", "en/features/q=a%20b/index.html") == (
        "en/features/q=a%2520b/index.html"
    )


def test_rooted_links_start_at_the_base_path():
    assert rooted_href("/recap/", "en/features/index.html") == "/recap/en/features/index.html"


def test_the_public_address_of_a_folder_page_ends_in_its_folder():
    assert pretty("en/features/index.html") == "en/features/"
    assert pretty("en/features/feed/index.xml") == "en/features/feed/index.xml"
