"""Hostile and random query strings at every public URL: never a server error."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/en/",
    "/ja/",
    "/en/features/",
    "/ja/features/",
    "/en/features/localdns/",
    "/en/events/ignite-2025/",
    "/en/sessions/",
    "/en/sessions/brk120/",
    "/en/speakers/",
    "/en/speakers/brendan-burns/",
    "/en/comparisons/",
    "/en/comparisons/aks-standard-vs-automatic/",
    "/en/features/feed/",
    "/sitemap.xml",
    "/healthz",
]
PARAMETERS = ["status", "area", "session", "event", "q", "sort", "page", "x", "status[]", ""]
HOSTILE = [
    "' OR '1'='1",
    "1; DROP TABLE features_feature; --",
    '" UNION SELECT password FROM auth_user --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "../../../../etc/passwd",
    "%00",
    "\x00",
    "\u202e\u200b\ufeff",
    "𝕯𝖗𝖔𝖕",
    "ｄｎｓ",
    "İstanbul ß ﬃ",
    "🚀" * 100,
    "a" * 5000,
    "-1",
    "99999999999999999999999",
    "1e9",
    "NaN",
    "ga" * 300,
    "__proto__",
    "{{ 7*7 }}",
    "%(name)s",
    "${jndi:ldap://x}",
]
value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
queries = st.lists(st.tuples(st.sampled_from(PARAMETERS), value), max_size=8)


@pytest.mark.usefixtures("launch_content")
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(url=st.sampled_from(PUBLIC_URLS), query=queries, htmx=st.booleans())
def test_no_query_string_causes_a_server_error(url, query, htmx):
    client = Client()
    headers = {"HX-Request": "true", "HX-Target": "results"} if htmx else {}
    response = client.get(f"{url}?{urlencode(query)}", headers=headers)
    assert response.status_code < 500, (url, query)


@pytest.mark.usefixtures("launch_content")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(segment=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=80))
def test_no_path_causes_a_server_error(segment):
    client = Client()
    for prefix in ("/en/features/", "/en/sessions/", "/en/speakers/", "/ja/comparisons/"):
        response = client.get(prefix + segment.replace("/", "%2F") + "/")
        assert response.status_code < 500, (prefix, segment)
