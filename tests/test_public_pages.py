"""Every public page: content, titles, structure and accessibility basics."""

import re

import pytest

from features.models import Feature
from tests.crawl import sitemap_text
from tests.html import active_content, headings_in_order, outline, visible_text

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/en/events/ignite-2025/",
    "/en/features/",
    "/en/features/pod-sandboxing/",
    "/en/features/localdns/",
    "/en/sessions/",
    "/en/sessions/brk120/",
    "/en/sessions/lab517/",
    "/en/speakers/",
    "/en/speakers/brendan-burns/",
    "/en/comparisons/",
    "/en/comparisons/aks-standard-vs-automatic/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_structure(client, launch_content, path):
    response = client.get(path)
    assert response.status_code == 200
    page = outline(response.content.decode())
    assert headings_in_order(page.headings), (path, page.headings)
    for landmark in ("header", "nav", "main", "footer"):
        assert page.find_all(landmark), (path, landmark)
    assert page.find_all("link", rel="canonical")
    assert page.find_all("meta", name="description")[0]["content"].strip()
    assert page.find_all("html")[0]["lang"] == "en"


def test_titles_and_descriptions_are_unique(client, launch_content):
    titles, descriptions = {}, {}
    for path in PAGES[2:]:  # the home page and its event page are the same recap
        page = outline(client.get(path).content.decode())
        titles[path] = page.title
        descriptions[path] = page.find_all("meta", name="description")[0]["content"]
    assert len(set(titles.values())) == len(titles), titles
    assert len(set(descriptions.values())) >= len(descriptions) - 3, descriptions


def test_the_event_page_of_the_current_event_is_canonically_the_home_page(
    client, settings, launch_content
):
    settings.SITE_DOMAIN = "recap.example.com"  # links name the site, not the request's Host
    page = outline(client.get("/en/events/ignite-2025/").content.decode())
    assert page.find_all("link", rel="canonical")[0]["href"] == "http://recap.example.com/en/"


def test_recap_leads_with_what_matters_then_sums_up_each_session(client, launch_content):
    html = client.get("/en/").content.decode()
    text = visible_text(html)
    assert "4 GA · 8 Public Preview · 1 Preview" in text
    assert "What matters most Four features are generally available" in text
    assert "Scaling Kubernetes Securely and Reliably with Azure Kubernetes Service" in text
    assert re.search(r"Speaker: Brendan Burns\s?\(Corporate Vice President\)", text)
    assert "Why AKS" in text
    assert "Configuration / control" in text and "Protected out of the box" in text
    assert re.search(r"Content owners: Paul Yu\s?, Pavneet Ahluwalia", text)
    # Each session in brief: its outline, and a link to the whole story on its own page.
    assert "In this session: Microsoft’s own services on AKS Why AKS What makes it work" in text
    assert "Agility" not in text  # the points themselves are on the session page
    assert 'href="/en/sessions/brk120/">Read the BRK120 recap' in html
    assert "Sources The facts come from 「Microsoft Ignite 2025のまとめ〜AKS編〜」" in text
    assert "さいとう (Saito)" in text and "zenn.dev" not in html


def test_feature_page_has_everything_about_the_feature(client, launch_content):
    html = client.get("/en/features/pod-sandboxing/").content.decode()
    text = visible_text(html)
    assert "Pod Sandboxing" in text and "GA" in text
    assert "Security · Isolation" in text
    assert "announced in BRK120 Scaling Kubernetes" in text
    assert "runtimeClassName: kata-vm-isolation" in html
    assert 'href="https://learn.microsoft.com/azure/aks/concepts-pod-sandboxing"' in html
    assert "Status history" in text and "Announced during Microsoft Ignite 2025" in text
    acns = visible_text(client.get("/en/features/acns-container-network-logs/").content.decode())
    assert "Editor's note" in acns and "Related features LocalDNS" in acns


def test_session_page_lists_speakers_points_features_and_its_comparison(client, launch_content):
    html = client.get("/en/sessions/brk120/").content.decode()
    text = visible_text(html)
    assert "Brendan Burns" in text
    assert "The vision: “One Kubernetes experience everywhere”" in text
    assert "Standard vs Automatic: two ways to operate AKS" in text
    # At most six features of each status, and a link to the catalog for the rest.
    assert len(re.findall(r'<article class="feature-card', html)) == 4 + 6 + 1
    assert "See all 8 Public Preview features in the catalog" in text
    assert 'href="/en/features/?session=brk120&amp;status=public-preview"' in html
    assert "Sources The facts come from" in text


def test_session_codes_in_any_case_redirect_to_the_session(client, launch_content):
    response = client.get("/en/sessions/BRK120/")
    assert response.status_code == 301
    assert response["Location"] == "/en/sessions/brk120/"


def test_speaker_page_tells_what_they_did_with_whom_and_what_was_announced(client, launch_content):
    text = visible_text(client.get("/en/speakers/paul-yu/").content.decode())
    assert "Content owner at Microsoft Ignite 2025 LAB517" in text
    assert "Next-Gen AKS Operations" in text
    assert re.search(r"Content owners: Paul Yu\s?, Pavneet Ahluwalia", text)
    assert (
        "In this session: The three tools, from the lab repository’s README Where the models run "
        "Read the LAB517 recap"
    ) in text
    assert "The LAB517 tools and content owners are named in the lab's repository." in text
    brendan = client.get("/en/speakers/brendan-burns/").content.decode()
    text = visible_text(brendan)
    assert "Speaker at Microsoft Ignite 2025 BRK120" in text
    assert "Announced in these sessions" in text
    assert "See all 8 Public Preview features in the catalog" in text


def test_comparison_table_is_accessible(client, launch_content):
    page = outline(client.get("/en/comparisons/aks-standard-vs-automatic/").content.decode())
    assert page.find_all("caption")
    assert len(page.find_all("th", scope="col")) == 2
    assert len(page.find_all("th", scope="row")) == 3


def test_unknown_pages_are_404_in_the_sites_own_style(client, launch_content):
    for path in ("/en/features/no-such-feature/", "/en/sessions/xyz/", "/en/nowhere/"):
        response = client.get(path)
        assert response.status_code == 404
        text = visible_text(response.content.decode())
        assert "Page not found" in text and "Search all features" in text


def test_root_redirects_to_the_readers_language(client, launch_content):
    assert client.get("/", headers={"Accept-Language": "ja,en;q=0.5"})["Location"] == "/ja/"
    assert client.get("/", headers={"Accept-Language": "fr"})["Location"] == "/en/"
    assert client.get("/features/?status=ga")["Location"] == "/en/features/?status=ga"


def test_feed_and_sitemap(client, launch_content):
    feed = client.get("/en/features/feed/", follow=True)  # the first address still delivers
    assert feed.status_code == 200 and feed.content.decode().count("<entry>") == 13
    sitemap = sitemap_text(client)
    assert "/ja/features/localdns/" in sitemap and 'hreflang="ja"' in sitemap


def test_an_empty_site_says_so(client, db):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Nothing published yet" in visible_text(response.content.decode())


XSS_MARKDOWN = [
    "<script>alert('xss')</script>",
    "[click](javascript:alert('xss'))",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(\'xss\')">hi</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<svg onload="alert(1)"><circle /></svg>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="jAvAsCrIpT:alert(1)">x</a>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<form action='https://evil.example'><input name=x></form>",
]


PAGES_WITH_FEATURE_TEXT = (
    "/en/features/localdns/",
    "/ja/features/localdns/",
    "/en/features/",
    "/en/",
)


def _dangerous_markup(client) -> dict[str, list[str]]:
    return {
        path: active_content(client.get(path).content.decode()) for path in PAGES_WITH_FEATURE_TEXT
    }


@pytest.mark.parametrize("payload", XSS_MARKDOWN)
def test_editor_markdown_cannot_inject_script(client, launch_content, payload):
    """Whatever an editor writes, the pages carry no more risky markup than our own."""
    before = _dangerous_markup(client)
    feature = Feature.objects.get(slug="localdns")
    for field in ("summary", "body", "editors_note"):
        for language in ("en", "ja"):
            setattr(feature, f"{field}_{language}", f"Before {payload} after")
    feature.save()
    after = _dangerous_markup(client)
    assert after == before
    assert "Before" in client.get("/en/features/localdns/").content.decode()
