"""/changes/ answers "what changed since …", for any slice of the catalog or between two events."""

import datetime
import json

import pytest
from django.utils import timezone

from features.models import MaterialUpdate, StatusChange
from tests.factories import (
    AreaFactory,
    EventFactory,
    FeatureFactory,
    MaterialUpdateFactory,
    SessionFactory,
    StatusChangeFactory,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db

FEED_READER = {"HTTP_ACCEPT": "application/feed+json"}


def listed(client, query: str = "") -> list[tuple[str, str]]:
    response = client.get(f"/en/changes/?{query}")
    assert response.status_code == 200
    return [(change.feature.name, change.kind) for change in response.context["changes"]]


@pytest.fixture
def history():
    """Two areas; a feature announced in preview, promoted, corrected; one updated; a draft."""
    fleet, networking = AreaFactory(slug="fleet", name_en="Fleet"), AreaFactory(slug="networking")
    gates = FeatureFactory(name="Gates", area=fleet, status="ga")
    StatusChangeFactory(feature=gates, status="preview", date=datetime.date(2025, 5, 19))
    StatusChangeFactory(feature=gates, status="public-preview", date=datetime.date(2025, 11, 18))
    StatusChangeFactory(feature=gates, status="ga", date=datetime.date(2026, 3, 2))
    dns = FeatureFactory(name="DNS", area=networking, status="public-preview")
    StatusChangeFactory(feature=dns, status="ga", date=datetime.date(2025, 11, 18))
    StatusChangeFactory(
        feature=dns, status="public-preview", date=datetime.date(2025, 11, 20), is_correction=True
    )
    MaterialUpdateFactory(feature=dns, date=datetime.date(2026, 4, 1), note_en="Now on Windows")
    draft = FeatureFactory(name="Secret", area=fleet, draft=True)
    StatusChangeFactory(feature=draft, status="ga", date=datetime.date(2026, 5, 1))
    return {"gates": gates, "dns": dns}


def test_changes_are_listed_newest_first_with_their_kind(client, history):
    assert listed(client) == [
        ("DNS", "updated"),
        ("Gates", "promoted"),
        ("DNS", "corrected"),
        ("DNS", "new"),  # the same day as the next: recorded later, listed first
        ("Gates", "promoted"),
        ("Gates", "new"),
    ]


def test_the_catalog_filters_choose_whose_changes(client, history):
    assert [name for name, _kind in listed(client, "area=fleet")] == ["Gates"] * 3
    assert [name for name, _kind in listed(client, "q=dns")] == ["DNS"] * 3


def test_kind_status_and_dates_narrow_them(client, history):
    assert listed(client, "kind=corrected&kind=updated") == [
        ("DNS", "updated"),
        ("DNS", "corrected"),
    ]
    assert listed(client, "to=ga") == [("Gates", "promoted"), ("DNS", "new")]
    assert listed(client, "since=2025-11-19&until=2026-03-31") == [
        ("Gates", "promoted"),
        ("DNS", "corrected"),
    ]


def test_added_since_brings_what_was_recorded_late(client, history):
    late = StatusChange.objects.get(feature=history["gates"], status="ga")
    StatusChange.objects.filter(pk=late.pk).update(recorded_at=timezone.now())
    month_ago = timezone.now() - datetime.timedelta(days=30)
    StatusChange.objects.exclude(pk=late.pk).update(recorded_at=month_ago)
    MaterialUpdate.objects.update(recorded_at=month_ago)
    today = timezone.localdate().isoformat()
    assert listed(client, f"added-since={today}") == [("Gates", "promoted")]


def test_corrections_say_so(client, history):
    text = visible_text(client.get("/en/changes/?kind=corrected").content.decode())
    assert "Corrected" in text and "GA → Public Preview" in text.replace("  ", " ")


def test_drafts_never_appear(client, history):
    assert "Secret" not in client.get("/en/changes/").content.decode()
    feed = client.get("/en/changes/feed.json", **FEED_READER).content.decode()
    assert "Secret" not in feed


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2025-13-45", "is not a date"),
        ("kind=rumour", "There is no kind of change “rumour”."),
        ("to=beta", "There is no release status “beta”."),
        ("since-event=nowhere", "There is no event “nowhere”."),
        ("since=2026-01-01&until=2025-01-01", "“Until” is before “since”."),
        ("area=atlantis", "There is no area “atlantis”."),
    ],
)
def test_bad_values_are_named_and_the_rest_applies(client, history, query, message):
    response = client.get(f"/en/changes/?{query}&kind=updated")
    assert response.status_code == 200
    assert message in visible_text(response.content.decode())
    if "kind=rumour" not in query:
        assert [c.kind for c in response.context["changes"]] == ["updated"]


def test_the_bookmark_keeps_the_filters_and_starts_after_the_newest_change(client, history):
    html = client.get("/en/changes/?area=fleet").content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert f'href="/en/changes/?area=fleet&amp;added-since={tomorrow}"' in html


def test_one_address_follows_fleet_going_ga(client, history):
    document = json.loads(
        client.get("/en/changes/feed.json?area=fleet&to=ga", **FEED_READER).content
    )
    assert [item["title"] for item in document["items"]] == ["Gates: Promoted, Public Preview → GA"]
    assert document["title"] == "Ignite Recap: changes to features in Fleet"


def test_change_entries_have_permanent_ids(client, history):
    first = json.loads(client.get("/en/changes/feed.json", **FEED_READER).content)["items"]
    history["gates"].slug = "approval-gates"
    history["gates"].save()
    again = json.loads(client.get("/en/changes/feed.json", **FEED_READER).content)["items"]
    assert [item["id"] for item in first] == [item["id"] for item in again]
    assert len({item["id"] for item in first}) == len(first)


def test_the_changelog_pages(client, db):
    feature = FeatureFactory()
    for day in range(35):
        StatusChangeFactory(
            feature=feature,
            status="preview",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
        )
    second = client.get("/en/changes/?page=2")
    assert len(second.context["changes"]) == 5
    assert client.get("/en/changes/?page=99").status_code == 200


# Between two events ------------------------------------------------------------------------------


def test_between_two_events(client, db):
    build = EventFactory(
        slug="build-2025",
        name_en="Build 2025",
        start_date=datetime.date(2025, 5, 19),
        end_date=datetime.date(2025, 5, 22),
    )
    ignite = EventFactory(
        slug="ignite-2025",
        name_en="Ignite 2025",
        start_date=datetime.date(2025, 11, 17),
        end_date=datetime.date(2025, 11, 21),
    )
    session = SessionFactory(event=ignite)

    def feature(name, *entries):
        made = FeatureFactory(name=name, session=session, status=entries[-1][1])
        for event, status in entries:
            StatusChangeFactory(
                feature=made,
                status=status,
                date=event.start_date,
                date_precision="event",
                event=event,
            )
        return made

    feature("Promoted one", (build, "preview"), (ignite, "ga"))
    feature("Stayed one", (build, "public-preview"), (ignite, "public-preview"))
    feature("Quiet one", (build, "preview"))
    feature("New one", (ignite, "public-preview"))
    feature("Retired one", (build, "ga"), (ignite, "retired"))
    response = client.get("/en/changes/?since-event=build-2025&until-event=ignite-2025")
    groups = {g.key: [f.name for f, _a, _b in g.features] for g in response.context["comparison"]}
    assert groups == {
        "new": ["New one"],
        "promoted": ["Promoted one"],
        "changed": ["Retired one"],
        "stayed": ["Stayed one"],
        "not-mentioned": ["Quiet one"],
    }
    text = visible_text(response.content.decode())
    assert "From Build 2025 to Ignite 2025" in text and "New at Ignite 2025 (1)" in text
    # The list below covers the span between the events.
    assert {c.feature.name for c in response.context["changes"]} == {
        "Promoted one",
        "Stayed one",
        "Quiet one",
        "New one",
        "Retired one",
    }


@pytest.mark.parametrize("sort", ["status", "area", "-updated", "name", "bogus"])
def test_a_catalog_sort_in_a_changelog_address_is_no_error(client, launch_content, sort):
    """A catalog address with its sort, turned into a changelog one, still lists the changes."""
    page = client.get(f"/en/changes/?status=ga&sort={sort}")
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 4
