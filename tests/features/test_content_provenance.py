"""Format version 2 carries provenance, material updates, identifiers and review marks, and
version 1 files still import without losing any of them."""

import copy
import csv
import datetime
import io
import json
import uuid

import pytest

from features.content_io import ImportFailed, import_content
from features.models import Feature, MaterialUpdate, StatusChange
from tests.factories import MaterialUpdateFactory
from tests.features.conftest import export
from tests.features.test_exports import wipe_content
from tests.features.test_imports import launch_document, status_entry, write

pytestmark = pytest.mark.django_db


def refused(tmp_path, document) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        import_content(write(tmp_path, document))
    return [str(problem) for problem in failure.value.problems]


def as_version_1(document: dict) -> dict:
    """The same content as a version-1 file wrote it: no provenance, no identifiers."""
    old = copy.deepcopy(document)
    old["schema_version"] = 1
    new_entry_keys = (
        "uid", "date_precision", "is_correction", "source_kind", "source_title", "source_url",
        "source_label", "checked_on", "recorded_at", "event", "source_session",
    )  # fmt: skip
    for event in old["events"]:
        del event["preview_terms_url"], event["highlights"], event["sources"]
    for session in old["sessions"]:
        del session["japanese_title"]
    for feature in old["features"]:
        del feature["uid"], feature["material_updates"], feature["japanese_name"]
        for entry in feature["status_history"]:
            for key in new_entry_keys:
                del entry[key]
    for section in old.values():
        for item in section if isinstance(section, list) else ():
            item.pop("stale_translations", None)
            item.pop("publish_at", None), item.pop("unpublish_at", None)  # scheduling came later
    return old


# The launch content ---------------------------------------------------------------------------


def test_the_launch_content_says_where_each_status_comes_from(launch_content):
    for entry in StatusChange.objects.select_related("feature__session", "source_session"):
        assert entry.date_precision == "event" and entry.event.slug == "ignite-2025"
        assert entry.source_kind == "session"
        assert entry.source_session == entry.feature.session
        assert entry.source_label in ("GA", "Public Preview", "Preview")
        assert entry.checked_on == datetime.date(2026, 11, 24)


def test_a_complete_export_imports_back_as_it_was(launch_content, tmp_path):
    MaterialUpdateFactory(feature=Feature.objects.get(slug="localdns"), note_en="Now on Windows")
    feature = Feature.objects.get(slug="pod-sandboxing")
    feature.summary_en = "Changed in English only."
    feature.save()
    before = export("--include-drafts")
    wipe_content()  # not flush: PostgreSQL cannot TRUNCATE inside the test's transaction
    import_content(write(tmp_path, json.loads(before)))
    assert export("--include-drafts") == before
    assert Feature.objects.get(slug="pod-sandboxing").stale_translations == ["summary.ja"]


# Version 1 files -------------------------------------------------------------------------------


def test_a_version_1_file_keeps_what_it_does_not_know(launch_content, tmp_path):
    localdns = Feature.objects.get(slug="localdns")
    MaterialUpdateFactory(feature=localdns)
    entries = {entry.pk: entry.uid for entry in StatusChange.objects.all()}
    before = json.loads(export("--include-drafts"))
    document = as_version_1(before)
    document["features"][0]["summary"]["en"] = "Edited in an old tool."
    assert import_content(write(tmp_path, document)).changed_anything
    after = json.loads(export("--include-drafts"))
    assert after["features"][0]["summary"]["en"] == "Edited in an old tool."
    assert [f["status_history"] for f in after["features"]] == [
        f["status_history"] for f in before["features"]
    ]
    assert [f["uid"] for f in after["features"]] == [f["uid"] for f in before["features"]]
    assert {e.pk: e.uid for e in StatusChange.objects.all()} == entries
    assert localdns.material_updates.count() == 1


def test_a_new_entry_from_a_version_1_file_gets_the_defaults(launch_content, tmp_path):
    document = as_version_1(launch_document())
    feature = document["features"][0]
    feature["status"] = "ga"
    feature["status_history"].append(
        {"status": "ga", "date": "2026-02-02", "note": {"en": "GA", "ja": ""}}
    )
    import_content(write(tmp_path, document))
    entry = StatusChange.objects.get(feature__slug=feature["slug"], date="2026-02-02")
    assert (entry.date_precision, entry.source_kind, entry.checked_on) == ("day", "", None)
    assert entry.uid is not None


# Version 2 rules -----------------------------------------------------------------------------


def _entry_case(change):
    def edit(document):
        change(document["features"][0]["status_history"][0])
        return document

    return edit


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda e: e.update(event=None),
            "status_history[0].event: is required with the date precision “event”",
        ),
        (
            lambda e: e.update(date_precision="day"),
            "status_history[0].event: is only for the date precision “event”",
        ),
        (
            lambda e: e.update(date_precision="month", event=None, date="2025-11-17"),
            "status_history[0].date: with the precision “month”, write the month's first day",
        ),
        (
            lambda e: e.update(date="2025-11-18"),
            "status_history[0].date: is 2025-11-18; with the precision “event” write the "
            "event's first day, 2025-11-17",
        ),
        (
            lambda e: e.update(source_kind="documentation"),
            "status_history[0].source_session: is only for the source kind “session”",
        ),
        (
            lambda e: e.update(source_session=None),
            "status_history[0].source_session: is required with the source kind “session”",
        ),
        (
            lambda e: e.update(source_session="nowhere"),
            "status_history[0].source_session: no source_session “nowhere” in the file or the "
            "database",
        ),
        (
            lambda e: e.update(checked_on="2025-01-01"),
            "status_history[0].checked_on: is before the date the status took effect",
        ),
        (
            lambda e: e.update(uid="not-an-identifier"),
            "status_history[0].uid: expected an identifier such as "
            "3f2a1c9e-7b4d-4e1a-9c2b-0d5e6f7a8b9c",
        ),
        (lambda e: e.update(is_correction="yes"), "status_history[0].is_correction: expected"),
        (
            lambda e: e.update(source_kind="rumour"),
            "status_history[0].source_kind: Value 'rumour' is not a valid choice.",
        ),
    ],
)
def test_provenance_that_does_not_hold_together_is_refused(
    launch_content, tmp_path, snapshot, change, message
):
    document = launch_document()
    document["complete"] = True
    before = snapshot()
    problems = refused(tmp_path, _entry_case(change)(document))
    assert any(message in problem for problem in problems), problems
    assert snapshot() == before


def test_an_identifier_names_one_row(launch_content, tmp_path):
    document = launch_document()
    twin = document["features"][1]["status_history"][0]
    twin["uid"] = document["features"][0]["status_history"][0]["uid"]
    document["features"][2]["uid"] = document["features"][0]["uid"]
    problems = refused(tmp_path, document)
    assert any("features[2]: duplicate uid" in problem for problem in problems)
    assert any("features[1].status_history[0]: duplicate uid" in problem for problem in problems)


def test_review_marks_are_checked(launch_content, tmp_path):
    document = launch_document()
    document["features"][0]["stale_translations"] = ["summary.fr"]
    assert any(
        "features[0].stale_translations: unknown mark 'summary.fr'" in p
        for p in refused(tmp_path, document)
    )


def test_marks_in_the_file_are_set_as_the_file_says(launch_content, tmp_path):
    document = launch_document()
    document["features"][0]["stale_translations"] = ["body.ja"]
    document["features"][0]["summary"]["en"] = "Changed, but the file says only body.ja lags."
    import_content(write(tmp_path, document))
    assert Feature.objects.get(slug=document["features"][0]["slug"]).stale_translations == [
        "body.ja"
    ]


def test_moving_an_entry_to_another_day_keeps_its_identifier(launch_content, tmp_path):
    document = launch_document()
    document["features"][0]["status"] = "ga"
    entry = status_entry("ga", "2026-02-02")
    document["features"][0]["status_history"].append(entry)
    import_content(write(tmp_path, document))
    entry["date"] = "2026-03-03"
    import_content(write(tmp_path, document))
    moved = StatusChange.objects.get(uid=entry["uid"])
    assert moved.date == datetime.date(2026, 3, 3)


def test_material_updates_travel_and_are_made_to_match(launch_content, tmp_path):
    document = launch_document()
    update = {
        "uid": str(uuid.uuid4()),
        "date": "2026-04-01",
        "recorded_at": "2026-04-01T08:00:00Z",
        "note": {"en": "Now on Windows node pools", "ja": "Windows ノード プールにも対応"},
    }
    document["features"][0]["material_updates"] = [update]
    import_content(write(tmp_path, document))
    assert MaterialUpdate.objects.get().note_ja == "Windows ノード プールにも対応"
    document["features"][0]["material_updates"] = []
    import_content(write(tmp_path, document))
    assert not MaterialUpdate.objects.exists()


def test_a_partial_file_leaves_a_draft_source_session_out_and_the_import_keeps_it(
    launch_content, tmp_path
):
    from sessions.models import Session

    Session.objects.filter(code="BRK120").update(state="draft")
    document = json.loads(export())  # no drafts: BRK120 is left out
    entry = next(f for f in document["features"] if f["slug"] == "localdns")["status_history"][0]
    assert entry["source_kind"] == "session" and entry["source_session"] is None
    import_content(write(tmp_path, document))
    assert StatusChange.objects.filter(source_session__code="BRK120").count() == 13


# CSV and Markdown ----------------------------------------------------------------------------


def test_csv_dates_keep_their_precision_and_name_the_source(launch_content):
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv", "--status", "ga"))))
    assert {row["announced_on"] for row in rows} == {"2025-11-17/2025-11-21"}
    assert {(row["status_as_of"], row["status_source"]) for row in rows} == {
        ("2026-11-24", "BRK120")
    }


def test_the_article_says_who_announced_each_feature_and_as_of_when(launch_content):
    article = export("--format", "markdown", "--status", "ga")
    assert (
        "Announced in BRK120 during Microsoft Ignite 2025 (17–21 November 2025); "
        "GA as of 24 Nov 2026"
    ) in article
    japanese = export("--format", "markdown", "--status", "ga", "--language", "ja")
    assert "Microsoft Ignite 2025 期間中（2025年11月17日〜21日）に BRK120 で発表" in japanese
