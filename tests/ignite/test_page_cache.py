"""Public pages come from the cache until content changes, and never mix their variants."""

import json
import os
import re
from gzip import decompress
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from features.models import Feature
from ignite import page_cache
from ignite.models import ContentRevision

pytestmark = pytest.mark.django_db


def without_nonces(response) -> str:
    return re.sub(r'nonce="[^"]+"', 'nonce=""', response.content.decode())


def script_nonces(response, html: str | None = None) -> tuple[str, set[str]]:
    """The nonce the CSP header allows, and the nonces the page's scripts carry."""
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode() if html is None else html
    return header, set(re.findall(r'<script[^>]*nonce="([^"]+)"', html))


def test_a_second_visit_is_served_from_the_cache(client, launch_content):
    assert client.get("/en/").headers["X-Page-Cache"] == "miss"
    assert client.get("/en/").headers["X-Page-Cache"] == "hit"


def test_an_admin_edit_shows_on_the_next_request(client, superuser, launch_content):
    url = "/en/features/localdns/"
    assert client.get(url).headers["X-Page-Cache"] == "miss"
    assert client.get(url).headers["X-Page-Cache"] == "hit"

    editor = client.__class__()
    editor.force_login(superuser)
    feature = Feature.objects.get(slug="localdns")
    change = reverse("admin:features_feature_change", args=[feature.pk])
    form = editor.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        area=feature.area.pk,
        session=feature.session.pk,
        related=[f.pk for f in feature.related.all()],
        summary_en="Freshly edited summary.",
        **{
            f"{p}-{k}": v
            for p in ("doc_links", "status_changes", "material_updates")
            for k, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    )
    assert editor.post(change, data).status_code == 302

    response = client.get(url)
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Freshly edited summary." in response.content.decode()


def test_an_import_invalidates_the_cache_once(client, launch_content, tmp_path, settings):
    client.get("/en/")
    before = ContentRevision.current().number
    document = json.loads((settings.BASE_DIR / "content" / "ignite-2025.json").read_text())
    for feature in document["features"]:
        feature["summary"]["en"] += " Imported."
    path = tmp_path / "edit.json"
    path.write_text(json.dumps(document))
    call_command("import_content", str(path), stdout=StringIO())
    assert ContentRevision.current().number == before + 1
    response = client.get("/en/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Imported." in response.content.decode()


def test_a_rolled_back_import_leaves_the_cache_valid(client, launch_content, tmp_path):
    client.get("/en/")
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": 1, "features": [{"slug": "x"}]}')
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_content", str(path), stdout=StringIO())
    assert client.get("/en/").headers["X-Page-Cache"] == "hit"


def test_page_fragment_and_languages_are_cached_apart(client, launch_content):
    page = client.get("/en/features/?status=ga")
    results = {"HX-Request": "true", "HX-Target": "results"}
    fragment = client.get("/en/features/?status=ga", headers=results)
    chips = client.get(
        "/en/features/?status=ga", headers={"HX-Request": "true", "HX-Target": "catalog"}
    )
    japanese = client.get("/ja/features/?status=ga")
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert (
        'id="catalog"' in chips.content.decode() and 'id="catalog"' not in fragment.content.decode()
    )
    assert 'lang="ja"' in japanese.content.decode()
    # Second round: all from the cache, and still each its own.
    again = [
        client.get("/en/features/?status=ga"),
        client.get("/en/features/?status=ga", headers=results),
        client.get("/ja/features/?status=ga"),
    ]
    assert [r.headers["X-Page-Cache"] for r in again] == ["hit", "hit", "hit"]
    assert [without_nonces(r) for r in again] == [
        without_nonces(page),
        without_nonces(fragment),
        without_nonces(japanese),
    ]


def test_conditional_get_with_etag_and_last_modified(client, launch_content):
    first = client.get("/en/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/en/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/en/", headers={"If-Modified-Since": modified}).status_code == 304
    Feature.objects.get(slug="localdns").save()
    fresh = client.get("/en/", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag


def test_a_hit_answers_with_the_headers_of_the_rendering_it_serves(client, launch_content):
    """A stored page carries its validators and cache headers: a hit (from this process or
    from the shared cache) answers as the rendering that stored it did."""
    kept = ("ETag", "Last-Modified", "Cache-Control", "Content-Type", "Content-Language", "Vary")
    miss = client.get("/en/features/?status=ga")
    assert miss["X-Page-Cache"] == "miss"
    hit = client.get("/en/features/?status=ga")
    page_cache.local_pages.clear()
    shared = client.get("/en/features/?status=ga")
    assert [hit["X-Page-Cache"], shared["X-Page-Cache"]] == ["hit", "hit"]
    for response in (hit, shared):
        assert {name: response[name] for name in kept} == {name: miss[name] for name in kept}
    directives = {part.strip() for part in hit["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "must-revalidate"}


def test_the_fragment_has_its_own_etag(client, launch_content):
    page = client.get("/en/features/")
    for headers in ({"HX-Request": "true", "HX-Target": "results"}, {"HX-Request": "true"}):
        fragment = client.get("/en/features/", headers=headers)
        assert page["ETag"] != fragment["ETag"]
        stale = client.get("/en/features/", headers={**headers, "If-None-Match": page["ETag"]})
        assert stale.status_code == 200


def test_previewing_editors_bypass_the_cache(client, editor, launch_content):
    from tests.factories import FeatureFactory

    client.get("/en/features/")  # cached for the public
    FeatureFactory(name="Draft in preview", draft=True)
    client.force_login(editor)
    response = client.get("/en/features/")
    assert "Draft in preview" in response.content.decode()
    assert "X-Page-Cache" not in response
    client.logout()
    assert "Draft in preview" not in client.get("/en/features/").content.decode()


def test_error_pages_are_not_cached(client, launch_content):
    client.get("/en/features/missing/")
    again = client.get("/en/features/missing/")
    assert again.status_code == 404
    assert again.headers.get("X-Page-Cache") != "hit"


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="set REDIS_URL (make test-postgres does)"
)
def test_pages_are_cached_in_redis_and_invalidated(client, launch_content):
    from django.core.cache.backends.redis import RedisCache

    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": settings.REDIS_URL,  # this test worker's own database
                "KEY_PREFIX": "ignite-test",
            }
        }
    ):
        from django.core.cache import caches

        redis_cache = caches["default"]
        assert isinstance(redis_cache, RedisCache)
        redis_cache.clear()
        assert client.get("/en/").headers["X-Page-Cache"] == "miss"
        raw = redis_cache._cache.get_client()
        assert any(b"page:" in key for key in raw.keys("ignite-test*"))
        assert client.get("/en/").headers["X-Page-Cache"] == "hit"
        Feature.objects.filter(slug="localdns").first().save()
        assert client.get("/en/").headers["X-Page-Cache"] == "miss"
        redis_cache.clear()


@override_settings(ROOT_URLCONF="tests.ignite.nonce_urls")
def test_a_cached_page_that_uses_the_nonce_carries_each_visitors_own(client, launch_content):
    gzip = {"Accept-Encoding": "gzip"}
    first, second = client.get("/with-a-nonce/"), client.get("/with-a-nonce/", headers=gzip)
    assert [first["X-Page-Cache"], second["X-Page-Cache"]] == ["miss", "hit"]
    second_html = decompress(second.content).decode()
    header, in_page = script_nonces(second, second_html)
    assert in_page == {header}
    assert header != script_nonces(first)[0]
    # Its bytes differ for each reader, so each hit is compressed afresh, never stored so.
    third = client.get("/with-a-nonce/", headers=gzip)
    assert third["X-Page-Cache"] == "hit" and third.content != second.content


def test_a_cached_page_is_compressed_once_and_sent_so_on_every_hit(client, launch_content):
    """Public pages use no nonce (their inline script is allowed by its hash): every reader
    gets the same bytes, compressed when the page was stored."""
    gzip = {"Accept-Encoding": "gzip, deflate, br"}
    plain = client.get("/en/features/")
    hits = [client.get("/en/features/", headers=gzip) for _attempt in range(2)]
    assert [hit["X-Page-Cache"] for hit in hits] == ["hit", "hit"]
    assert "nonce" not in plain["Content-Security-Policy"]
    for hit in hits:
        assert hit["Content-Encoding"] == "gzip"
        # Cookie too: a signed-in editor's session makes a preview of the same address.
        assert {"Accept-Encoding", "Cookie"} <= {name.strip() for name in hit["Vary"].split(",")}
        assert hit["ETag"] == f"W/{plain['ETag']}"
        assert int(hit["Content-Length"]) == len(hit.content) < len(plain.content) / 3
        assert decompress(hit.content) == plain.content
    # The same compressed bytes: Django's gzip pads each compression with random bytes.
    assert hits[0].content == hits[1].content
    again = client.get("/en/features/", headers={**gzip, "If-None-Match": hits[0]["ETag"]})
    assert again.status_code == 304
    without_gzip = client.get("/en/features/")
    assert without_gzip["X-Page-Cache"] == "hit" and "Content-Encoding" not in without_gzip
    assert without_gzip.content == plain.content


def test_a_stored_page_is_not_sent_compressed_where_compression_is_not_allowed(
    client, launch_content, superuser
):
    gzip = {"Accept-Encoding": "gzip"}
    client.get("/en/features/")  # stored, with its compressed bytes
    client.force_login(superuser)  # a previewing editor: private, and a session cookie
    response = client.get("/en/features/", headers=gzip)
    assert "Content-Encoding" not in response


def test_a_history_restore_cannot_poison_the_fragments_cache(client, launch_content):
    restore = {"HX-Request": "true", "HX-Target": "results", "HX-History-Restore-Request": "true"}
    for _attempt in range(3):
        assert "<html" in client.get("/en/features/?status=ga", headers=restore).content.decode()
    fragment = client.get(
        "/en/features/?status=ga", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<html" not in fragment.content.decode()
    assert "HX-History-Restore-Request" in fragment["Vary"]


@override_settings(
    ALLOWED_HOSTS=["internal.example", "recap.example.com"], SITE_DOMAIN="recap.example.com"
)
def test_a_page_is_kept_once_under_the_sites_own_address(client, launch_content):
    """Whatever Host a request names, the page and its links are the site's (production)."""
    client.get("/en/comparisons/", HTTP_HOST="internal.example")
    public = client.get("/en/comparisons/", HTTP_HOST="recap.example.com")
    assert public["X-Page-Cache"] == "hit"
    html = public.content.decode()
    assert "internal.example" not in html
    assert '<link rel="canonical" href="http://recap.example.com/en/comparisons/">' in html


@override_settings(
    ALLOWED_HOSTS=["recap.example.com", "127.0.0.1"], SITE_DOMAIN="recap.example.com"
)
@pytest.mark.parametrize(
    "host", ["recap.example.com:99999", "recap.example.com:8000", "127.0.0.1:1"]
)
def test_in_production_a_port_that_is_not_the_sites_is_refused(client, launch_content, host):
    response = client.get("/en/comparisons/", HTTP_HOST=host)
    assert response.status_code == 400
    assert "X-Page-Cache" not in response


@override_settings(ALLOWED_HOSTS=["recap.example.com", "10.0.0.5"], SITE_DOMAIN="recap.example.com")
def test_health_is_answered_on_an_instances_own_address(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200


@override_settings(DEBUG=True, ALLOWED_HOSTS=["127.0.0.1", "localhost"])
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "127.0.0.1:8765", "localhost:3000"])
def test_in_development_the_requests_own_host_and_port_work(client, launch_content, host):
    response = client.get("/en/comparisons/", HTTP_HOST=host)
    assert response.status_code == 200
    assert (
        f'<link rel="canonical" href="http://{host}/en/comparisons/">' in response.content.decode()
    )


def test_a_new_release_does_not_serve_the_old_releases_pages(client, launch_content):
    with override_settings(RELEASE="one"):
        client.get("/en/")
        assert client.get("/en/")["X-Page-Cache"] == "hit"
    with override_settings(RELEASE="two"):
        assert client.get("/en/")["X-Page-Cache"] == "miss"


def test_query_strings_on_pages_that_read_none_are_not_stored(client, launch_content):
    for i in range(3):
        assert client.get(f"/en/?utm_source={i}")["X-Page-Cache"] == "miss"
    assert client.get("/en/?utm_source=0")["X-Page-Cache"] == "miss"
    client.get("/en/")
    assert client.get("/en/")["X-Page-Cache"] == "hit"


def test_catalog_pages_with_invalid_filters_are_not_stored(client, launch_content):
    client.get("/en/features/?status=bogus")
    assert client.get("/en/features/?status=bogus")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("path", ["/en/features/missing/", "/en/speakers/nobody/"])
def test_conditional_get_never_turns_a_404_into_a_304(client, launch_content, path):
    client.get("/en/")
    future = "Wed, 01 Jan 2100 00:00:00 GMT"
    assert client.get(path, headers={"If-Modified-Since": future}).status_code == 404
    assert client.get(path, headers={"If-None-Match": "*"}).status_code == 404


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: the cache is down
        }
    }
)
def test_pages_are_served_while_the_cache_is_down(client, launch_content, caplog):
    for url in ("/en/", "/en/features/?status=ga", "/en/features/localdns/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Page-Cache"] == "miss"
    # The first failure is logged, and the cache is left alone for a while after it.
    assert caplog.text.count("Page cache unavailable") == 1
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "checks": {"database": True, "cache": False}}


@override_settings(ROOT_URLCONF="tests.ignite.nonce_urls")
def test_a_304_sends_no_csp_that_would_replace_the_stored_pages(client, launch_content):
    first = client.get("/with-a-nonce/")
    assert "nonce-" in first["Content-Security-Policy"]
    again = client.get("/with-a-nonce/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert "Content-Security-Policy" not in again


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("?status=ga&utm_source=mail", {"HX-Request": "true", "HX-Target": "results"}),
        ("?status=ga", {"HX-Request": "true", "HX-Target": "made-up-target"}),
        ("?status=ga&status=ga", {"HX-Request": "true", "HX-Target": "results"}),
    ],
)
def test_htmx_requests_for_odd_addresses_or_targets_are_not_stored(
    client, launch_content, query, headers
):
    for _attempt in range(2):
        response = client.get(f"/en/features/{query}", headers=headers)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"


def test_pages_without_fragments_ignore_htmx_headers_in_their_key(client, launch_content):
    client.get("/en/comparisons/")
    for target in ("results", "anything", "x" * 50):
        response = client.get(
            "/en/comparisons/", headers={"HX-Request": "true", "HX-Target": target}
        )
        assert response["X-Page-Cache"] == "hit"


def test_a_process_serves_its_current_pages_without_the_shared_cache(client, launch_content):
    """The in-process copy answers a hit with no cache round trip, but only while current."""
    assert client.get("/en/features/")["X-Page-Cache"] == "miss"
    cache.clear()  # the shared cache lost it (another server's flush, an eviction)
    assert len(page_cache.local_pages) == 1
    assert client.get("/en/features/")["X-Page-Cache"] == "hit"
    feature = Feature.objects.get(slug="localdns")
    feature.name = "LocalDNS, renamed"
    feature.save()
    changed = client.get("/en/features/")
    assert changed["X-Page-Cache"] == "miss"  # the process's copy is of the earlier revision
    assert "LocalDNS, renamed" in changed.content.decode()


def test_the_in_process_pages_stay_within_their_bytes(client, launch_content, settings):
    for url in ("/en/", "/en/features/", "/en/sessions/"):
        client.get(url)
    # Each page is held with its compressed copy, and counted so.
    held = list(page_cache.local_pages._pages.values())
    assert len(held) == 3 and all(page.gzipped for page in held)
    sizes = [len(page.content) + len(page.gzipped) for page in held]
    assert page_cache.local_pages._bytes == sum(sizes)
    page_cache.local_pages.clear()
    settings.PAGE_CACHE_LOCAL_BYTES = max(sizes) + min(sizes) // 2
    for url in ("/en/", "/en/features/", "/en/sessions/"):
        cache.clear()
        assert client.get(url)["X-Page-Cache"] == "miss"
    assert len(page_cache.local_pages) == 1  # the last page; the earlier ones left first
    assert page_cache.local_pages._bytes <= settings.PAGE_CACHE_LOCAL_BYTES
    cache.clear()
    assert client.get("/en/sessions/")["X-Page-Cache"] == "hit"
    assert client.get("/en/")["X-Page-Cache"] == "miss"


def test_no_pages_are_kept_in_process_when_that_store_is_off(client, launch_content, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 0
    client.get("/en/features/")
    assert len(page_cache.local_pages) == 0
    assert client.get("/en/features/")["X-Page-Cache"] == "hit"  # from the shared cache


def test_a_dummy_cache_turns_the_in_process_pages_off_too(client, launch_content):
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        client.get("/en/features/")
        assert client.get("/en/features/")["X-Page-Cache"] == "miss"
    assert len(page_cache.local_pages) == 0


def test_a_fixture_load_bumps_the_revision_once_and_again_at_commit(
    tmp_path, django_capture_on_commit_callbacks
):
    """loaddata saves rows raw, one by one: the revision moves for the first and at commit (with
    the next scheduled moment over every row), not once per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import FeatureFactory

    FeatureFactory.create_batch(6, session=None)
    fixture = tmp_path / "features.json"
    call_command("dumpdata", "features.area", "features.feature", output=str(fixture))
    Feature.objects.all().delete()
    before = ContentRevision.current().number
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("loaddata", str(fixture), verbosity=0)
    assert Feature.objects.count() == 6
    bumps = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "ignite_contentrevision"')]
    assert len(bumps) == 2
    assert ContentRevision.current().number == before + 2
