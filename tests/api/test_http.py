"""HTTP done properly: conditional GET, caching headers, CORS, one error shape, no 500, a rate
limit."""

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.models import Feature
from tests.api.conftest import problems
from tests.factories import FeatureFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/",
    "/api/v1/features/",
    "/api/v1/features/localdns/",
    "/api/v1/sessions/",
    "/api/v1/sessions/brk120/",
    "/api/v1/speakers/",
    "/api/v1/speakers/brendan-burns/",
    "/api/v1/events/",
    "/api/v1/events/ignite-2025/",
    "/api/v1/comparisons/",
    "/api/v1/comparisons/aks-standard-vs-automatic/",
    "/api/v1/areas/",
    "/api/v1/areas/networking/",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_answers_json_with_validators_and_revalidates(api, launch_content, path):
    first = api(path, {"lang": "ja"})
    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first["Cache-Control"] == "public, max-age=60"
    assert first["Content-Language"] == "ja"
    etag, modified = first["ETag"], first["Last-Modified"]
    again = api(path, {"lang": "ja"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert api(path, {"lang": "ja"}, headers={"If-Modified-Since": modified}).status_code == 304
    assert api(path, {"lang": "en"}, headers={"If-None-Match": etag}).status_code == 200


def test_a_content_change_makes_the_old_etag_stale(api, launch_content):
    first = api("/api/v1/features/localdns/")
    feature = Feature.objects.get(slug="localdns")
    feature.summary_en = "Changed."
    feature.save()
    fresh = api("/api/v1/features/localdns/", headers={"If-None-Match": first["ETag"]})
    assert fresh.status_code == 200 and fresh.json()["summary"] == "Changed."
    assert fresh["ETag"] != first["ETag"]


def test_a_weak_or_listed_etag_matches_too(api, launch_content):
    etag = api("/api/v1/features/")["ETag"]
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        assert api("/api/v1/features/", headers={"If-None-Match": header}).status_code == 304


def test_errors_are_not_cached_and_carry_no_etag(api, launch_content):
    response = api("/api/v1/features/", {"status": "beta"})
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store" and "ETag" not in response


def test_any_origin_may_read_the_api_without_credentials(api, launch_content):
    response = api("/api/v1/features/", headers={"Origin": "https://tools.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert set(response["Access-Control-Expose-Headers"].split(", ")) == {"ETag", "Retry-After"}
    error = api("/api/v1/features/nope/", headers={"Origin": "https://tools.example"})
    assert error["Access-Control-Allow-Origin"] == "*"


def test_a_cors_preflight_allows_reading_and_revalidating(client, db):
    response = client.options(
        "/api/v1/features/",
        headers={
            "Origin": "https://tools.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match, accept-language",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    allowed = set(response["Access-Control-Allow-Headers"].split(", "))
    assert {"if-none-match", "accept-language"} <= allowed
    assert int(response["Access-Control-Max-Age"]) > 0


def test_the_site_sends_no_cors_headers(client, launch_content):
    response = client.get("/en/features/", headers={"Origin": "https://tools.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_options_without_cors_names_the_methods(client, db):
    response = client.options("/api/v1/features/")
    assert response.status_code == 204 and response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_refused_in_the_problem_shape(client, db, method):
    response = getattr(client, method)("/api/v1/features/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["status"] == 405


def test_unknown_addresses_are_json_404s(api, db):
    for path in ("/api/v1/nothing/", "/api/v2/features/", "/api/v1/features/a%20b/", "/api/v1/x"):
        response = api(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Not Found"


def test_an_address_without_its_slash_redirects_to_the_endpoint(api, db):
    response = api("/api/v1/features", {"status": "ga"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/features/?status=ga"
    assert api("/api/")["Location"] == "/api/v1/"


def test_unknown_and_repeated_parameters_are_named(api, launch_content):
    response = api("/api/v1/features/?stauts=ga&sort=name&sort=-name&lang=en&lang=en")
    assert response.status_code == 400
    found = problems(response)
    assert list(found) == ["stauts", "sort"]
    assert "status" in found["stauts"][0]  # the message lists what the address takes
    assert api("/api/v1/speakers/", {"status": "ga"}).status_code == 400


def test_a_bad_language_is_named_in_the_headers_language(api, db):
    response = api("/api/v1/features/", {"lang": "fr"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert problems(response) == {"lang": ["There is no language “fr”; use one of: en, ja."]}


def test_pages_past_the_last_are_named(api, launch_content):
    response = api("/api/v1/features/", {"page": 3, "page_size": 10})
    assert problems(response) == {"page": ["There is no page 3; the last page is 2."]}
    for bad in ("0", "-1", "1.5", "²", "1_0", "9" * 40):
        assert list(problems(api("/api/v1/features/", {"page": bad}))) == ["page"], bad
    assert list(problems(api("/api/v1/features/", {"page_size": "0"}))) == ["page_size"]


def test_hostile_input_never_causes_a_server_error(api, launch_content):
    hostile = [
        "/api/v1/features/?q=%00",
        "/api/v1/features/?status=%00&area=%00&session=%00&event=%00&sort=%00",
        "/api/v1/features/?updated_since=%00",
        "/api/v1/features/?lang=%00",
        "/api/v1/features/?page=%00&page_size=%00",
        "/api/v1/features/?%00=1",
        "/api/v1/features/?q=" + "a" * 20000,
        "/api/v1/features/?" + "&".join(f"status=v{i}" for i in range(900)),
        "/api/v1/features/?" + "&".join(f"p{i}=1" for i in range(1200)),
        "/api/v1/features/%00/",
        "/api/v1/sessions/%00/",
    ]
    answers = {path: api(path) for path in hostile}
    assert {path: r.status_code for path, r in answers.items()} == {
        path: 200 if path.endswith("?q=%00") else 404 if path.endswith("%00/") else 400
        for path in hostile
    }
    for response in answers.values():
        assert response["Content-Type"] in ("application/json", "application/problem+json")


@pytest.mark.usefixtures("launch_content")
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(ENDPOINTS),
    query=st.lists(
        st.tuples(
            st.sampled_from(["status", "area", "q", "page", "page_size", "lang", "sort", "x"]),
            st.text(max_size=50),
        ),
        max_size=6,
    ),
    language=st.text(max_size=40),
)
def test_no_query_or_header_causes_a_server_error(path, query, language):
    client = Client()
    try:
        response = client.get(path, query, headers={"Accept-Language": language})
    except UnicodeEncodeError:
        return  # not a header a client could send
    assert response.status_code in (200, 400), (path, query, language)


def test_past_the_rate_limit_the_answer_is_429_with_retry_after(api, db, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    assert [api("/api/v1/").status_code for _ in range(3)] == [200, 200, 200]
    limited = api("/api/v1/features/")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["status"] == 429


def test_the_rate_limit_counts_each_client_apart(db, settings):
    settings.API_REQUESTS_PER_MINUTE = 1
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert first.get("/api/v1/").status_code == 200
    assert second.get("/api/v1/").status_code == 200
    assert first.get("/api/v1/").status_code == 429


def test_without_the_cache_the_api_still_answers(api, db, settings, monkeypatch):
    settings.API_REQUESTS_PER_MINUTE = 1

    def unavailable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", unavailable)
    assert [api("/api/v1/").status_code for _ in range(3)] == [200, 200, 200]


def test_the_index_links_every_list(api, db):
    index = api("/api/v1/").json()
    assert set(index) == {
        "features",
        "sessions",
        "speakers",
        "events",
        "comparisons",
        "areas",
        "changes",
        "schema",
        "docs",
    }
    assert index["docs"] == "http://testserver/api/docs/"
    for key in ("features", "sessions", "speakers", "events", "comparisons", "areas", "changes"):
        assert api(index[key].removeprefix("http://testserver")).status_code == 200


def test_json_is_answered_whatever_accept_says(api, db):
    FeatureFactory()
    response = api("/api/v1/features/", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_without_a_database_the_answer_is_a_503_problem(api, db, monkeypatch):
    from django.db import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(Feature.objects, "for_page", unreachable)
    response = api("/api/v1/features/localdns/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["status"] == 503
