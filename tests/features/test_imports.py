"""import_content: all or nothing, every problem reported with its place, nothing lost."""

import copy
import json
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from features.content_io import ImportFailed, import_content
from features.models import Feature
from sessions.models import Session
from tests.factories import FeatureFactory, UserFactory
from tests.features.conftest import export

pytestmark = pytest.mark.django_db

LAUNCH = Path(settings.BASE_DIR, "content", "ignite-2025.json")


def launch_document() -> dict:
    return json.loads(LAUNCH.read_text(encoding="utf-8"))


def write(tmp_path, document, name="content.json") -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path, *args) -> str:
    out = StringIO()
    call_command("import_content", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(path, *args) -> str:
    with pytest.raises(CommandError) as failure:
        run_import(path, *args)
    return str(failure.value)


def _edit(document: dict, change) -> dict:
    edited = copy.deepcopy(document)
    change(edited)
    return edited


def _set(section, index, key, value):
    def change(document):
        document[section][index][key] = value

    return change


def _drop(section, index, key):
    def change(document):
        del document[section][index][key]

    return change


def _duplicate_feature(document):
    document["features"].append(copy.deepcopy(document["features"][0]))


BAD_FILES = [
    ("malformed JSON", lambda d: json.dumps(d)[:-20], "not valid JSON"),
    (
        "no schema_version",
        _drop_top := (lambda d: {k: v for k, v in d.items() if k != "schema_version"}),
        "schema_version: missing",
    ),
    (
        "newer schema",
        lambda d: {**d, "schema_version": 3},
        "schema_version: the file is version 3, newer than this site reads (2)",
    ),
    (
        "missing required field",
        lambda d: _edit(d, _drop("features", 3, "name")),
        "features[3].name: is missing",
    ),
    (
        "unknown status",
        lambda d: _edit(d, _set("features", 3, "status", "beta")),
        "features[3].status: Value 'beta' is not a valid choice.",
    ),
    (
        "duplicate slug",
        lambda d: _edit(d, _duplicate_feature),
        "features[13]: duplicate slug “acns-container-network-logs” (also at features[0])",
    ),
    (
        "unknown session",
        lambda d: _edit(d, _set("features", 2, "session", "brk999")),
        "features[2].session: no session “brk999” in the file or the database",
    ),
    (
        "unknown area",
        lambda d: _edit(d, _set("features", 2, "area", "nowhere")),
        "features[2].area: no area “nowhere” in the file or the database",
    ),
    (
        "bad URL",
        lambda d: _edit(d, _set("sessions", 0, "url", "not a url")),
        "sessions[0].url: Enter a valid URL.",
    ),
    (
        "script URL",
        lambda d: _edit(d, _set("events", 0, "url", "ftp://ignite.example")),
        "events[0].url: must be an http:// or https:// address",
    ),
    (
        "wrong type",
        lambda d: _edit(d, _set("areas", 0, "order", "first")),
        "areas[0].order: expected a whole number",
    ),
    (
        "bad date",
        lambda d: _edit(d, _set("events", 0, "start_date", "17/11/2025")),
        "events[0].start_date: expected a date such as 2025-11-17",
    ),
    (
        "unknown field",
        lambda d: _edit(d, _set("features", 0, "staus", "ga")),
        "features[0].staus: unknown field",
    ),
    ("unknown section", lambda d: {**d, "feature": []}, "feature: unknown section"),
    ("not an object", lambda d: [d], "expected a JSON object"),
    (
        "ragged comparison",
        lambda d: _edit(d, lambda x: x["comparisons"][0]["rows"][1]["cells"].pop()),
        "comparisons[0].rows[1].cells: has 1 cell(s) for 2 column(s)",
    ),
]


# Files that look right but would lose or garble data ------------------------------------------


def _deep(document):
    return '{"schema_version": 1, "areas": ' + "[" * 100_000 + "]" * 100_000 + "}"


def _swap_key_point_order(document):
    points = document["sessions"][0]["key_points"]
    points[0]["order"], points[1]["order"] = points[1]["order"], points[0]["order"]


def _one_sided_relation(document):
    first, second = document["features"][0], document["features"][1]
    first["related"] = sorted({*first["related"], second["slug"]})
    second["related"] = [slug for slug in second["related"] if slug != first["slug"]]


def _retire_without_history(document):
    document["features"][0]["status"] = "retired"


BAD_FILES += [
    (
        "impossible date and time",
        lambda d: _edit(d, _set("features", 0, "first_published_at", "2026-13-24T09:00:00Z")),
        "features[0].first_published_at: expected a date and time",
    ),
    (
        "impossible time zone",
        lambda d: _edit(d, _set("features", 0, "first_published_at", "2026-01-24T09:00:00+25:00")),
        "features[0].first_published_at: expected a date and time",
    ),
    (
        "compact date",
        lambda d: _edit(d, _set("events", 0, "start_date", "20251117")),
        "events[0].start_date: expected a date such as 2025-11-17",
    ),
    (
        "NUL character",
        lambda d: _edit(d, _set("sessions", 0, "title", "BRK\x00120")),
        "sessions[0].title: contains a NUL character",
    ),
    (
        "lone surrogate",
        lambda d: json.dumps(d).replace('"LocalDNS"', '"Local\\ud800DNS"'),
        "contains a lone surrogate",
    ),
    ("nested too deeply", _deep, "nested too deeply"),
    (
        "number with thousands of digits",
        lambda d: json.dumps(d).replace('"order": 0', '"order": ' + "9" * 5000, 1),
        "not valid JSON",
    ),
    (
        "order out of range",
        lambda d: _edit(d, _set("areas", 0, "order", 10**12)),
        "areas[0].order: expected a whole number from 0 to 32767",
    ),
    (
        "key repeated in an object",
        lambda d: json.dumps(d).replace(
            '"slug": "networking"', '"slug": "networking", "slug": "x"'
        ),
        "areas[0].slug: appears more than once",
    ),
    (
        "a language left out",
        lambda d: _edit(d, lambda x: x["features"][0]["summary"].pop("ja")),
        'features[0].summary.ja: is missing (write "" for none)',
    ),
    (
        "children left out",
        lambda d: _edit(d, _drop("features", 0, "doc_links")),
        "features[0].doc_links: is missing (write null or [] for none)",
    ),
    (
        "key points out of order",
        lambda d: _edit(d, _swap_key_point_order),
        "sessions[0].key_points[1].order: is 10, lower than the item before it (20)",
    ),
    (
        "relation on one side only",
        lambda d: _edit(d, _one_sided_relation),
        "does not list “acns-container-network-logs” back",
    ),
    (
        "status the history does not record",
        lambda d: _edit(d, _retire_without_history),
        "features[0].status: is “retired”, but the latest status_history entry",
    ),
    (
        "blank session code",
        lambda d: _edit(d, _set("sessions", 0, "code", "   ")),
        "sessions[0].code: This field cannot be blank.",
    ),
]


@pytest.mark.parametrize(("label", "make", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_and_nothing_changes(
    launch_content, tmp_path, snapshot, label, make, message
):
    before = snapshot()
    document = launch_document()
    for feature in document["features"]:
        feature["summary"]["en"] += " (edited)"  # valid changes that must not land either
    path = write(tmp_path, make(document))
    error = refused(path)
    assert message in error
    assert "nothing was imported" in error
    assert "Traceback" not in error
    assert snapshot() == before


def test_every_problem_is_reported_at_once(launch_content, tmp_path, snapshot):
    before = snapshot()
    document = launch_document()
    document["features"][0]["status"] = "beta"
    document["features"][5]["area"] = "nowhere"
    document["sessions"][1]["url"] = "javascript:alert(1)"
    del document["areas"][2]["name"]
    error = refused(write(tmp_path, document))
    assert "4 problem(s)" in error
    for place in ("features[0].status", "features[5].area", "sessions[1].url", "areas[2].name"):
        assert place in error
    assert snapshot() == before


def test_a_missing_file_and_a_directory_are_reported(db, tmp_path):
    assert "no such file" in refused(tmp_path / "missing.json")
    assert "is a directory" in refused(tmp_path)
    (tmp_path / "latin1.json").write_bytes('{"x": "caf\xe9"}'.encode("latin-1"))
    assert "not UTF-8" in refused(tmp_path / "latin1.json")


def test_a_failure_while_writing_rolls_everything_back(
    launch_content, tmp_path, snapshot, monkeypatch
):
    before = snapshot()
    document = launch_document()
    for feature in document["features"]:
        feature["summary"]["en"] += " (edited)"
    saves = {"count": 0}
    original_save = Feature.save

    def failing_save(self, *args, **kwargs):
        saves["count"] += 1
        if saves["count"] == 6:
            from django.db import IntegrityError

            raise IntegrityError("disk full (simulated)")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Feature, "save", failing_save)
    error = refused(write(tmp_path, document))
    assert "the database refused it: disk full (simulated)" in error
    assert "features[5]" in error
    assert snapshot() == before


def test_a_new_row_the_database_refuses_is_named_and_nothing_is_written(db, tmp_path, snapshot):
    """New rows are inserted in batches; a batch the database refuses is retried row by row
    so that the answer names the row."""
    document = launch_document()
    taken = document["features"][5]["uid"]
    FeatureFactory(slug="not-in-the-file", uid=taken)  # the file cannot know of it
    before = snapshot()
    error = refused(write(tmp_path, document))
    assert "the database refused it" in error
    assert "features[5]:" in error
    assert snapshot() == before


def status_entry(status: str, date: str, **fields) -> dict:
    """A status-history entry as the file writes it (a day, no source unless given)."""
    return {
        "uid": str(uuid.uuid4()),
        "status": status,
        "date": date,
        "date_precision": "day",
        "is_correction": False,
        "source_kind": "",
        "source_title": "",
        "source_url": "",
        "source_label": "",
        "checked_on": None,
        "recorded_at": "2026-02-02T09:00:00Z",
        "note": {"en": "", "ja": ""},
        "event": None,
        "source_session": None,
        **fields,
    }


def went_ga(feature: dict) -> None:
    """Record that a feature became GA, as an editor would: status and history together."""
    feature["status"] = "ga"
    feature["status_history"].append(
        status_entry("ga", "2026-02-02", note={"en": "GA", "ja": "一般提供"})
    )


def copied_feature(feature: dict, **changes) -> dict:
    """Another feature like this one, with identifiers of its own."""
    new = copy.deepcopy(feature)
    new.update(uid=str(uuid.uuid4()), **changes)
    for entry in new["status_history"] + new["material_updates"]:
        entry["uid"] = str(uuid.uuid4())
    return new


def test_import_upserts_by_natural_keys(launch_content, tmp_path):
    document = launch_document()
    went_ga(document["features"][0])
    new = copied_feature(
        document["features"][1], slug="brand-new-feature", name="Brand new feature"
    )
    new["doc_links"] = []
    document["features"].append(new)
    out = run_import(write(tmp_path, document))
    assert "features: 1 created, 1 updated, 12 unchanged, 0 removed" in out
    assert Feature.objects.get(slug=document["features"][0]["slug"]).status == "ga"
    assert Feature.objects.count() == 14


def test_dry_run_says_what_would_change_and_writes_nothing(launch_content, tmp_path, snapshot):
    before = snapshot()
    document = launch_document()
    went_ga(document["features"][0])
    document["features"] = [f for f in document["features"] if f["slug"] != "agentic-cli-for-aks"]
    out = run_import(write(tmp_path, document), "--dry-run", "--prune")
    assert "Dry run, nothing written." in out
    assert "update feature “acns-container-network-logs” (status)" in out
    assert "remove feature “agentic-cli-for-aks”" in out
    assert "features: 0 created, 1 updated, 11 unchanged, 1 removed" in out
    assert snapshot() == before


def test_rows_missing_from_the_file_are_removed_only_with_prune(launch_content, tmp_path):
    document = launch_document()
    document["features"] = [f for f in document["features"] if f["slug"] != "aks-desktop"]
    path = write(tmp_path, document)
    run_import(path)
    assert Feature.objects.filter(slug="aks-desktop").exists()
    out = run_import(path, "--prune")
    assert not Feature.objects.filter(slug="aks-desktop").exists()
    assert "features: 0 created, 0 updated, 12 unchanged, 1 removed" in out


def test_prune_needs_every_section(launch_content, tmp_path, snapshot):
    before = snapshot()
    document = launch_document()
    del document["comparisons"]
    assert "comparisons: missing; --prune needs every section" in refused(
        write(tmp_path, document), "--prune"
    )
    assert snapshot() == before


def test_prune_refuses_references_to_rows_it_would_remove(launch_content, tmp_path):
    document = launch_document()
    document["sessions"] = [s for s in document["sessions"] if s["slug"] != "brk120"]
    error = refused(write(tmp_path, document), "--prune")
    assert "features[0].session: no session “brk120” in the file" in error


def test_a_session_code_taken_by_a_row_not_in_the_file_is_reported(launch_content, tmp_path):
    document = launch_document()
    session = next(s for s in document["sessions"] if s["code"] == "LAB517")
    session["slug"] = "lab517-renamed"
    document["sessions"] = [session]
    error = refused(write(tmp_path, document))
    assert "LAB517 is already used in event ignite-2025 by session “lab517”" in error


def test_children_follow_the_file(launch_content, tmp_path):
    document = launch_document()
    brk120 = next(s for s in document["sessions"] if s["slug"] == "brk120")
    brk120["key_points"] = brk120["key_points"][:3]
    pod = next(f for f in document["features"] if f["slug"] == "pod-sandboxing")
    pod["doc_links"] = pod["doc_links"][:1]
    out = run_import(write(tmp_path, document))
    assert Session.objects.get(slug="brk120").key_points.count() == 3
    assert Feature.objects.get(slug="pod-sandboxing").doc_links.count() == 1
    assert "links: 0 created, 0 updated, 5 unchanged, 1 removed" in out


def test_imports_are_recorded_in_the_history_with_their_author(launch_content, tmp_path):
    author = UserFactory(username="operator", is_superuser=True)  # --user holds it to a role
    document = launch_document()
    document["features"][0]["summary"]["en"] = "Changed by an import."
    run_import(write(tmp_path, document), "--user", "operator")
    record = Feature.objects.get(slug=document["features"][0]["slug"]).history.first()
    assert (record.history_change_reason, record.history_user, record.history_type) == (
        "import_content",
        author,
        "~",
    )
    previous = record.prev_record
    assert [change.field for change in record.diff_against(previous).changes] == ["summary_en"]


def test_an_unknown_author_is_refused_before_anything_is_read(launch_content, tmp_path):
    assert "No user “ghost”" in refused(LAUNCH, "--user", "ghost")


def test_progress_is_shown_for_large_files(db, tmp_path):
    FeatureFactory.create_batch(120)
    path = write(tmp_path, export())
    err = StringIO()
    call_command("import_content", str(path), stdout=StringIO(), stderr=err)
    assert "features: 100/120" in err.getvalue() and "features: 120/120" in err.getvalue()


def test_the_import_function_raises_with_every_problem(db, tmp_path):
    with pytest.raises(ImportFailed) as failure:
        import_content(write(tmp_path, {"schema_version": 1, "features": [{"slug": "x"}]}))
    assert [str(p) for p in failure.value.problems] == [
        *(
            f"features[0].{key}: is missing (write null or [] for none)"
            for key in ("area", "session", "related", "doc_links", "status_history")
        ),
        # A version-1 file has no japanese_name (added in version 2) to miss.
        *(f"features[0].{key}: is missing" for key in ("name", "status", "state")),
        "features[0].first_published_at: is missing",
        *(f"features[0].{key}: is missing" for key in ("topic", "summary", "body", "editors_note")),
        "features[0].area: is required",
    ]


def test_the_command_exits_non_zero_without_a_traceback(db, tmp_path):
    path = write(tmp_path, "{ not json")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_content", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **__import__("os").environ,
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        },
        check=False,
    )
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_byte_order_mark_is_harmless(launch_content, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + LAUNCH.read_bytes())
    assert "features: 0 created, 0 updated, 13 unchanged, 0 removed" in run_import(path)


def _make_drafts_the_export_leaves_out():
    from sessions.models import Speaker

    Speaker.objects.filter(slug="brendan-burns").update(state="draft")
    Session.objects.filter(slug="lab517").update(state="draft")
    Feature.objects.filter(slug="aks-desktop").update(session=Session.objects.get(slug="lab517"))


def test_a_readers_export_imported_back_keeps_links_to_drafts(launch_content, tmp_path, snapshot):
    _make_drafts_the_export_leaves_out()
    before = snapshot()
    document = json.loads(export())
    assert document["complete"] is False
    assert next(s for s in document["sessions"] if s["slug"] == "brk120")["speakers"] == []
    out = run_import(write(tmp_path, document))
    assert snapshot() == before, out
    assert "0 removed" in out and " 1 removed" not in out


def test_prune_refuses_a_partial_file(launch_content, tmp_path, snapshot):
    FeatureFactory(draft=True, slug="secret-draft")
    before = snapshot()
    for args in ((), ("--status", "ga", "--include-drafts")):
        error = refused(write(tmp_path, json.loads(export(*args))), "--prune")
        assert "complete: the file does not say it is complete" in error
    assert snapshot() == before


def test_prune_after_moving_rows_away_from_what_goes(launch_content, tmp_path):
    document = json.loads(export("--include-drafts"))
    document["areas"] = [a for a in document["areas"] if a["slug"] != "operations"]
    for feature in document["features"]:
        if feature["area"] == "operations":
            feature["area"] = "networking"
    lab517 = next(s for s in document["sessions"] if s["slug"] == "lab517")
    lab517["speakers"] = [a for a in lab517["speakers"] if a["speaker"] != "paul-yu"]
    document["speakers"] = [s for s in document["speakers"] if s["slug"] != "paul-yu"]
    out = run_import(write(tmp_path, document), "--prune")
    assert "areas: 0 created, 0 updated, 7 unchanged, 1 removed" in out
    assert "speakers: 0 created, 0 updated, 2 unchanged, 1 removed" in out
    assert "session speakers: 0 created, 0 updated, 2 unchanged, 1 removed" in out
    assert not Feature.objects.filter(area__slug="operations").exists()


def test_pruning_counts_what_goes_with_each_row(launch_content, tmp_path):
    document = json.loads(export("--include-drafts"))
    document["features"] = [f for f in document["features"] if f["slug"] != "pod-sandboxing"]
    for feature in document["features"]:
        feature["related"] = [slug for slug in feature["related"] if slug != "pod-sandboxing"]
    out = run_import(write(tmp_path, document), "--prune")
    assert "features: 0 created" in out and "1 removed" in out
    assert "links: 0 created, 0 updated, 4 unchanged, 2 removed" in out
    assert "status history: 0 created, 0 updated, 12 unchanged, 1 removed" in out


def test_sessions_can_trade_codes(launch_content, tmp_path):
    document = json.loads(export("--include-drafts"))
    brk120 = next(s for s in document["sessions"] if s["slug"] == "brk120")
    lab517 = next(s for s in document["sessions"] if s["slug"] == "lab517")
    brk120["code"], lab517["code"] = lab517["code"], brk120["code"]
    out = run_import(write(tmp_path, document))
    assert "sessions: 0 created, 2 updated, 0 unchanged, 0 removed" in out
    assert Session.objects.get(slug="brk120").code == "LAB517"
    record = Session.objects.get(slug="brk120").history.first()
    assert [c.field for c in record.diff_against(record.prev_record).changes] == ["code"]


def test_a_relation_change_counts_for_both_features(launch_content, tmp_path):
    document = json.loads(export("--include-drafts"))
    first, second = document["features"][0], document["features"][1]
    assert second["slug"] not in first["related"]
    first["related"] = sorted([*first["related"], second["slug"]])
    second["related"] = sorted([*second["related"], first["slug"]])
    out = run_import(write(tmp_path, document), "-v", "2")
    assert "features: 0 created, 2 updated, 11 unchanged, 0 removed" in out
    assert f"update feature “{first['slug']}” (related)" in out
    assert f"update feature “{second['slug']}” (related)" in out


def test_old_addresses_travel_with_the_content(launch_content, tmp_path, client):
    feature = Feature.objects.get(slug="localdns")
    feature.slug = "local-dns"
    feature.save()
    document = json.loads(export("--include-drafts"))
    assert {"old_path": "/en/features/localdns/", "new_path": "/en/features/local-dns/"} in (
        document["redirects"]
    )
    from django.contrib.redirects.models import Redirect

    Redirect.objects.all().delete()
    out = run_import(write(tmp_path, document))
    assert "redirects: 2 created" in out
    assert client.get("/ja/features/localdns/")["Location"] == "/ja/features/local-dns/"
    assert "redirects: 0 created, 0 updated, 2 unchanged" in run_import(write(tmp_path, document))


@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        ({"old_path": "en/x/", "new_path": "/en/y/"}, "redirects[0].old_path: must be a path"),
        ({"old_path": "/en/x/", "new_path": "javascript:x"}, "redirects[0].new_path: must be"),
        ({"old_path": "/en/x/", "new_path": "/en/x/"}, "redirects[0]: redirects to itself"),
        ({"old_path": "/en/x/"}, "redirects[0].new_path: is missing"),
    ],
)
def test_a_bad_redirect_is_refused(launch_content, tmp_path, snapshot, redirect, message):
    before = snapshot()
    document = launch_document()
    document["redirects"] = [redirect]
    assert message in refused(write(tmp_path, document))
    assert snapshot() == before


def test_prune_refuses_a_file_that_does_not_say_it_is_complete(launch_content, tmp_path, snapshot):
    before = snapshot()
    document = launch_document()
    del document["complete"]  # as files from before the flag, which may have left drafts out
    assert "complete: the file does not say it is complete" in refused(
        write(tmp_path, document), "--prune"
    )
    assert snapshot() == before


def test_a_partial_file_may_name_a_speaker_it_does_not_carry(launch_content, tmp_path, snapshot):
    before = snapshot()
    document = json.loads(export())
    document["speakers"] = []  # BRK120 still lists brendan-burns, who is in the database
    out = run_import(write(tmp_path, document))
    assert "session speakers: 0 created, 0 updated, 3 unchanged, 0 removed" in out
    assert snapshot() == before


def test_two_statuses_on_one_day_are_refused(launch_content, tmp_path):
    document = launch_document()
    history = document["features"][0]["status_history"]
    history.append({**history[0], "status": "ga"})
    document["features"][0]["status"] = "ga"
    assert "status_history[1]: duplicate status change on 2025-11-17" in refused(
        write(tmp_path, document)
    )
