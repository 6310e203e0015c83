"""A shared link shows a card: every page carries Open Graph and Twitter metadata, and features,
sessions and recaps have an image the site draws itself."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from features.models import Feature
from ignite.social_images import CJK_FONTS, SocialCard, render_png
from tests.crawl import public_pages
from tests.html import outline

pytestmark = pytest.mark.django_db


def metadata(html: str) -> dict[str, str]:
    page = outline(html)
    found = {}
    for tag in page.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key and (key.startswith(("og:", "twitter:", "article:"))):
            found[key] = tag.get("content", "")
    return found


def origin() -> str:
    """Where absolute links point: the configured public site (tests run as production does)."""
    return f"http://{settings.SITE_DOMAIN}"


def fetch_image(client, url: str) -> Image.Image:
    assert url.startswith(origin() + "/"), url
    response = client.get(url.removeprefix(origin()))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_every_public_page_has_a_complete_card(client, launch_content):
    for address, (status, html) in public_pages(client).items():
        if status != 200:
            continue
        meta = metadata(html)
        canonical = outline(html).find_all("link", rel="canonical")[0]["href"]
        assert meta["og:url"] == canonical, address
        for key in ("og:title", "og:description", "og:image:alt", "twitter:title"):
            assert meta[key].strip(), (address, key)
        assert meta["twitter:card"] == "summary_large_image", address
        assert meta["og:image"] == meta["twitter:image"], address
        assert meta["og:image"].startswith(origin() + "/"), address
        assert meta["og:image"].endswith(".png"), address
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert meta["og:locale"] == ("ja_JP" if address.startswith("/ja/") else "en_US")
        assert meta["og:site_name"] == "Ignite Recap"


def test_a_feature_card_names_its_status_and_the_page_its_dates(client, launch_content):
    meta = metadata(client.get("/en/features/pod-sandboxing/").content.decode())
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Pod Sandboxing (GA)"
    assert meta["og:image"] == origin() + "/en/features/pod-sandboxing/card.png"
    assert meta["og:image:alt"] == (
        "GA — Pod Sandboxing — Security — Ignite Recap — Microsoft Ignite 2025 — BRK120"
    )
    assert meta["article:published_time"].startswith("2026-11-24T09:00:00")
    image = fetch_image(client, meta["og:image"])
    assert image.size == (1200, 630)


def test_each_feature_session_and_recap_has_its_own_image(client, launch_content):
    images = {}
    for page in (
        "/en/",
        "/en/features/",
        "/en/features/localdns/",
        "/en/features/pod-sandboxing/",
        "/en/sessions/brk120/",
        "/en/sessions/lab517/",
        "/ja/features/localdns/",
    ):
        url = metadata(client.get(page).content.decode())["og:image"]
        images[page] = fetch_image(client, url).tobytes()
    assert len(set(images.values())) == len(images), "every card differs"


def test_japanese_cards_are_drawn_in_japanese(client, launch_content):
    if not any(Path(path).exists() for path, _index in CJK_FONTS["bold"]):
        pytest.fail("Japanese cards need a CJK font: apt-get install -y fonts-noto-cjk")
    meta = metadata(client.get("/ja/features/pod-sandboxing/").content.decode())
    assert meta["og:image:alt"].startswith("一般提供 — Pod Sandboxing — ポッド サンドボックス化")
    japanese = fetch_image(client, meta["og:image"])
    english = fetch_image(client, origin() + "/en/features/pod-sandboxing/card.png")
    assert japanese.tobytes() != english.tobytes()


def test_images_are_cached_and_answer_conditional_requests(client, launch_content):
    first = client.get("/en/sessions/brk120/card.png")
    again = client.get("/en/sessions/brk120/card.png")
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    not_modified = client.get(
        "/en/sessions/brk120/card.png", headers={"If-None-Match": first["ETag"]}
    )
    assert not_modified.status_code == 304
    assert "Content-Encoding" not in first  # a PNG is compressed already


def test_images_of_drafts_and_unknown_pages_are_not_found(client, launch_content):
    Feature.objects.filter(slug="localdns").update(state="draft")
    for url in (
        "/en/features/localdns/card.png",
        "/en/features/no-such-feature/card.png",
        "/en/sessions/nope/card.png",
        "/en/events/nope/card.png",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "card",
    [
        SocialCard(label="", title=""),
        SocialCard(label="GA", title="x" * 600, subtitle="y" * 600, footer=("z" * 300,) * 4),
        SocialCard(label="プレビュー", title="名前" * 200, subtitle="長い" * 200, status="preview"),
        SocialCard(label="GA", title="Supercalifragilisticexpialidocious" * 8, status="bogus"),
    ],
)
def test_any_text_fits_the_card(card):
    image = Image.open(io.BytesIO(render_png(card)))
    assert image.size == (1200, 630)
