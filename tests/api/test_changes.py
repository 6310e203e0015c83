"""/api/v1/changes/: the changelog's entries with their sources, filtered as the site's
changelog page filters them."""

import datetime

import pytest

from features.models import Feature
from tests.api.conftest import problems
from tests.factories import FeatureFactory, MaterialUpdateFactory

pytestmark = pytest.mark.django_db

CHANGES = "/api/v1/changes/"


def promote(slug: str) -> None:
    Feature.objects.get(slug=slug).record_status(
        "ga",
        datetime.date(2026, 2, 1),
        date_precision="month",
        source_kind="documentation",
        source_title="Microsoft Learn",
        source_url="https://learn.microsoft.com/azure/aks/",
        source_label="GA",
        checked_on=datetime.date(2026, 11, 24),
        note_en="Generally available, per the documentation",
        note_ja="ドキュメントによると一般提供",
    )


def site_changes(client, query: str) -> list[str]:
    """The permanent ids the site's changelog page lists for the same query."""
    page = client.get(f"/en/changes/?{query}")
    assert page.status_code == 200
    return [change.uid for change in page.context["page"].object_list]


def test_a_promotion_comes_with_its_source_and_as_of(api, launch_content):
    promote("acns-container-network-logs")
    body = api(CHANGES, {"kind": "promoted", "lang": "ja"}).json()
    assert body["count"] == 1
    [change] = body["results"]
    assert (change["kind"], change["status"], change["previous_status"]) == (
        "promoted",
        "ga",
        "public-preview",
    )
    assert (change["date"], change["date_precision"], change["date_text"]) == (
        "2026-02-01",
        "month",
        "2026年2月",
    )
    assert change["feature"]["slug"] == "acns-container-network-logs"
    assert change["note"] == "ドキュメントによると一般提供"
    assert change["claim"]["source"] == {
        "kind": "documentation",
        "kind_label": "ドキュメント ページ",
        "session": None,
        "title": "Microsoft Learn",
        "url": "https://learn.microsoft.com/azure/aks/",
        "status_as_written": "GA",
    }
    assert change["claim"]["checked_on"] == "2026-11-24"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kind=new",
        "kind=promoted&kind=updated",
        "to=ga",
        "area=networking",
        "status=ga&q=dns",
        "since=2026-01-01",
        "until=2025-12-31",
        "added-since=2026-11-25",
        "since-event=ignite-2025&until-event=ignite-2025",
    ],
)
def test_the_same_query_lists_what_the_changelog_page_lists(api, client, launch_content, query):
    promote("acns-container-network-logs")
    MaterialUpdateFactory(
        feature=Feature.objects.get(slug="localdns"),
        date=datetime.date(2026, 3, 1),
        note_en="Now on Windows node pools",
    )
    answer = api(f"{CHANGES}?{query}&page_size=100")
    assert answer.status_code == 200
    assert [change["id"] for change in answer.json()["results"]] == site_changes(client, query)


def test_newest_first_and_material_updates_name_no_status(api, launch_content):
    promote("acns-container-network-logs")
    MaterialUpdateFactory(
        feature=Feature.objects.get(slug="localdns"),
        date=datetime.date(2026, 3, 1),
        note_en="Now on Windows node pools",
    )
    results = api(CHANGES, {"page_size": 3}).json()["results"]
    assert [r["kind"] for r in results[:2]] == ["updated", "promoted"]
    update = results[0]
    assert (update["status"], update["previous_status"], update["claim"]) == (None, None, None)
    assert update["note"] == "Now on Windows node pools" and update["date_precision"] == "day"


def test_drafts_changes_never_appear(api, db):
    FeatureFactory(slug="secret", draft=True).record_status("ga", datetime.date(2026, 1, 1))
    FeatureFactory(slug="public").record_status("ga", datetime.date(2026, 1, 1))
    slugs = [change["feature"]["slug"] for change in api(CHANGES).json()["results"]]
    assert slugs == ["public"]


def test_every_bad_value_is_named_in_one_400(api, launch_content):
    response = api(
        f"{CHANGES}?kind=bogus&to=beta&since=yesterday&until-event=nope&status=zz&page=0&colour=red"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    found = problems(response)
    assert found["kind"] == ["There is no kind of change “bogus”."]
    assert found["to"] == ["There is no release status “beta”."]
    assert found["since"] == ["“yesterday” is not a date such as 2026-11-24."]
    assert found["until-event"] == ["There is no event “nope”."]
    assert found["status"] == ["There is no release status “zz”."]
    assert "page" in found and "colour" in found


def test_until_before_since_is_named(api, launch_content):
    found = problems(api(CHANGES, {"since": "2026-02-02", "until": "2026-01-01"}))
    assert found == {"until": ["“Until” is before “since”."]}


def test_a_conditional_get_of_the_changes_is_answered_304(api, launch_content):
    first = api(CHANGES, {"kind": "new"})
    again = api(CHANGES, {"kind": "new"}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    promote("acns-container-network-logs")
    assert (
        api(CHANGES, {"kind": "new"}, headers={"If-None-Match": first["ETag"]}).status_code == 200
    )
