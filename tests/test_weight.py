"""What a reader downloads: compressed public pages, and a weight budget for every one of them.

Budget: the first load of any public page (its HTML, stylesheet and scripts, compressed) is at
most 40 KB; an htmx update of the catalog is at most a quarter of the catalog's first load.
"""

import gzip
import re
from functools import cache

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from ignite.compression import may_compress
from tests.crawl import public_pages

pytestmark = pytest.mark.django_db

FIRST_LOAD_BUDGET = 40 * 1024
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
ASSETS = re.compile(r'<(?:link rel="stylesheet"|script)[^>]* (?:href|src)="([^"]+)"')


@cache
def asset_size(url: str) -> int:
    """An asset's compressed size, as WhiteNoise serves it (gzip at level 9)."""
    path = finders.find(url.removeprefix(settings.STATIC_URL).removeprefix("/"))
    assert path, url
    with open(path, "rb") as file:
        return len(gzip.compress(file.read(), compresslevel=9))


def first_load(client, address: str) -> tuple[int, int, list[str]]:
    """(compressed HTML bytes, compressed asset bytes, asset URLs) of a page."""
    response = client.get(address, headers=GZIP)
    assert response["Content-Encoding"] == "gzip", address
    html = gzip.decompress(response.content).decode()
    assets = sorted(set(ASSETS.findall(html)))
    return len(response.content), sum(asset_size(url) for url in assets), assets


def test_public_pages_are_compressed_and_say_so(client, launch_content):
    plain = client.get("/en/features/")
    compressed = client.get("/en/features/", headers=GZIP)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 3
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    again = client.get("/en/features/", headers=GZIP)  # from the page cache: compressed too
    assert (again["X-Page-Cache"], again["Content-Encoding"]) == ("hit", "gzip")


def test_a_compressed_page_still_answers_conditional_requests(client, launch_content):
    first = client.get("/en/", headers=GZIP)
    assert first["ETag"].startswith('W/"')
    again = client.get("/en/", headers={**GZIP, "If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_pages_with_secrets_or_personal_data_are_never_compressed(editor_client, launch_content):
    # The sign-in form carries a CSRF token and sets its cookie.
    login = Client().get(f"/{settings.ADMIN_URL}login/", headers=GZIP)
    assert login.status_code == 200 and "Content-Encoding" not in login
    # An editor's preview is personal (drafts, a session cookie).
    preview = editor_client.get("/en/features/", headers=GZIP)
    assert preview.status_code == 200 and "Content-Encoding" not in preview


def test_only_answers_without_cookies_or_private_data_may_be_compressed(rf):
    from django.http import HttpResponse

    request = rf.get("/en/")

    def page(**headers):
        response = HttpResponse("<p>x</p>" * 100, headers=headers)
        return response

    assert may_compress(request, page())
    with_cookie = page()
    with_cookie.set_cookie("sessionid", "secret")
    assert not may_compress(request, with_cookie)
    assert not may_compress(request, page(**{"Cache-Control": "private, no-store"}))
    assert not may_compress(request, page(**{"Content-Type": "image/png"}))
    csrf = rf.get("/en/")
    csrf.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not may_compress(csrf, page())
    assert not may_compress(rf.get(f"/{settings.ADMIN_URL}"), page())


def test_only_the_catalog_loads_scripts(client, launch_content):
    assert first_load(client, "/en/")[2] == ["/static/css/site.css"]
    catalog_assets = first_load(client, "/en/features/")[2]
    assert "/static/css/site.css" in catalog_assets
    assert any("htmx" in url for url in catalog_assets)
    assert "/static/js/site.js" in catalog_assets


def test_every_public_page_loads_within_the_budget(client, launch_content):
    figures = {}
    for address, (status, _html) in public_pages(client).items():
        if status == 200:
            html, assets, _urls = first_load(client, address)
            figures[address] = html + assets
    heaviest = max(figures, key=figures.get)
    print(f"\nHeaviest first load: {heaviest} {figures[heaviest] / 1024:.1f} KB of {len(figures)}")
    over = {address: size for address, size in figures.items() if size > FIRST_LOAD_BUDGET}
    assert over == {}, f"over {FIRST_LOAD_BUDGET} bytes: {over}"


@pytest.mark.parametrize("target", ["results", "catalog"])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_htmx_catalog_update_weighs_a_quarter_of_the_first_load(
    client, launch_content, target, language
):
    html, assets, _urls = first_load(client, f"/{language}/features/")
    update = client.get(
        f"/{language}/features/?status=public-preview",
        headers={**GZIP, "HX-Request": "true", "HX-Target": target},
    )
    assert update.status_code == 200 and update["Content-Encoding"] == "gzip"
    print(f"\n{language} #{target} update: {len(update.content)} of {html + assets} bytes")
    assert len(update.content) <= (html + assets) / 4
