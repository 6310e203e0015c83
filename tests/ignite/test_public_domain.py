"""Absolute links in the sitemap and the feed: in development, wherever the site was reached
(`make run PORT=8001`); in production, always the configured public domain."""

import re

import pytest

pytestmark = pytest.mark.django_db

PATHS = ["/sitemap.xml", "/en/features/feed.atom", "/en/changes/feed.json"]
ELSEWHERE = {"www.w3.org", "www.sitemaps.org", "jsonfeed.org"}  # namespaces and specs


def hosts_in(client, path: str, host: str) -> set[str]:
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 200, path
    return set(re.findall(r"https?://([^/\"<]+)/", response.content.decode()))


@pytest.mark.parametrize("path", PATHS)
def test_in_development_links_follow_the_address_the_site_was_reached_at(
    client, launch_content, settings, path
):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    hosts = hosts_in(client, path, "127.0.0.1:8001") - ELSEWHERE
    assert hosts == {"127.0.0.1:8001"}


@pytest.mark.parametrize("path", PATHS)
def test_in_production_links_keep_the_configured_domain(client, launch_content, settings, path):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["recap.example.com", "127.0.0.1"]
    settings.SITE_DOMAIN = "recap.example.com"
    # An allowed host without a port (one with another port is refused: see below).
    hosts = hosts_in(client, path, "127.0.0.1") - ELSEWHERE
    assert hosts == {"recap.example.com"}


def test_in_production_an_allowed_host_at_another_port_is_refused(client, db, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["recap.example.com", "127.0.0.1"]
    settings.SITE_DOMAIN = "recap.example.com"
    assert client.get("/sitemap.xml", headers={"Host": "127.0.0.1:8001"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8001"}).status_code == 200
