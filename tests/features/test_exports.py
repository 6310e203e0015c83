"""export_content: complete JSON, the catalog as CSV, the recap as Markdown."""

import csv
import io
import json
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from features import content_io as exports
from features.models import Feature
from sessions.models import Event
from tests.factories import (
    DocLinkFactory,
    FeatureFactory,
    KeyPointFactory,
    SessionSpeakerFactory,
    SpeakerLinkFactory,
    StatusChangeFactory,
    comparison_grid,
)
from tests.features.conftest import export

pytestmark = pytest.mark.django_db


def import_file(path, *args):
    out = StringIO()
    call_command("import_content", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def wipe_content():
    from features.models import Area, Comparison
    from sessions.models import Session, Speaker

    for model in (Feature, Comparison, Session, Speaker, Event, Area):
        model.objects.all().delete()


def test_json_is_complete_and_keyed_by_natural_identifiers(launch_content):
    document = json.loads(export())
    assert document["schema_version"] == 2
    assert [
        len(document[s])
        for s in ("areas", "events", "speakers", "sessions", "features", "comparisons")
    ] == [8, 1, 3, 2, 13, 1]
    text = json.dumps(document)
    assert '"id"' not in text and '"pk"' not in text
    brk120 = next(s for s in document["sessions"] if s["code"] == "BRK120")
    assert brk120["event"] == "ignite-2025"
    assert brk120["speakers"] == [{"speaker": "brendan-burns", "role": "speaker", "order": 0}]
    assert brk120["key_points"][0]["heading"]["en"] == "Microsoft’s own services on AKS"
    row = document["comparisons"][0]["rows"][0]
    assert row["label"]["en"] == "Configuration / control"
    assert len(row["cells"]) == 2


def test_the_same_content_exports_to_the_same_bytes(launch_content):
    assert export() == export()
    assert export("--format", "csv") == export("--format", "csv")
    assert export("--format", "markdown") == export("--format", "markdown")


def test_launch_content_round_trips_byte_for_byte(launch_content, tmp_path):
    first = export("--include-drafts")
    path = tmp_path / "backup.json"
    path.write_text(first, encoding="utf-8")
    wipe_content()
    assert Feature.objects.count() == 0
    import_file(path)
    assert export("--include-drafts") == first


def build_large_site(features: int = 300):
    """Every kind of row, with drafts, gaps and relations, for the round trip."""
    made = FeatureFactory.create_batch(features, status="public-preview")
    for i, feature in enumerate(made):
        if i % 3 == 0:
            DocLinkFactory(feature=feature, kind="repo", title_ja="リポジトリ")
        if i % 4 == 0:
            StatusChangeFactory(feature=feature, note_en="Announced", note_ja="発表")
        if i % 7 == 0:
            feature.state, feature.first_published_at = "draft", None
            feature.topic_en, feature.editors_note_ja = "Topic", "編集部より"
            feature.save()
        if i % 10 == 0:
            feature.related.add(made[(i + 1) % features])
    for feature in made[:20]:
        SessionSpeakerFactory(session=feature.session)
        KeyPointFactory(session=feature.session, heading_en="Group")
        KeyPointFactory(session=feature.session)
        SpeakerLinkFactory()
    comparison = comparison_grid(rows=4, columns=3, session=made[0].session)
    comparison.rows.first().cells.first().delete()  # a missing cell travels as null


def test_a_large_generated_site_round_trips_byte_for_byte(db, tmp_path):
    build_large_site()
    first = export("--include-drafts")
    path = tmp_path / "backup.json"
    path.write_text(first, encoding="utf-8")
    wipe_content()
    import_file(path)
    assert export("--include-drafts") == first
    assert Feature.objects.drafts().count() == 43


def test_drafts_are_left_out_unless_asked_for(db):
    FeatureFactory(name="Public one")
    FeatureFactory(name="Secret draft", draft=True)
    err = StringIO()
    out = StringIO()
    call_command("export_content", "--format", "csv", stdout=out, stderr=err)
    assert "Secret draft" not in out.getvalue()
    assert "drafts left out (features: 1)" in err.getvalue()
    assert "Secret draft" in export("--format", "csv", "--include-drafts")
    assert "Secret draft" not in export()
    assert "Secret draft" not in export("--format", "markdown")


def test_csv_has_one_row_per_feature(launch_content):
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert len(rows) == 13
    pod = next(row for row in rows if row["slug"] == "pod-sandboxing")
    assert (pod["status"], pod["status_label"], pod["area"], pod["session"]) == (
        "ga",
        "GA",
        "Security",
        "BRK120",
    )
    assert "https://learn.microsoft.com/azure/aks/concepts-pod-sandboxing" in pod["doc_links"]
    assert (pod["announced_on"], pod["page"]) == (
        "2025-11-17/2025-11-21",  # the source gives only the event
        "http://127.0.0.1:8000/en/features/pod-sandboxing/",
    )


def test_csv_in_japanese(launch_content):
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv", "--language", "ja"))))
    pod = next(row for row in rows if row["slug"] == "pod-sandboxing")
    assert pod["area"] == "セキュリティ"
    assert pod["page"] == "http://127.0.0.1:8000/ja/features/pod-sandboxing/"


def test_markdown_is_the_whole_recap(launch_content):
    article = export("--format", "markdown")
    assert article.startswith("# Microsoft Ignite 2025\n")
    for code, title in (
        ("BRK120", "Scaling Kubernetes Securely and Reliably with Azure Kubernetes Service"),
        ("LAB517", "Next-Gen AKS Operations with Models, and Agents, and MCPs (oh my!)"),
    ):
        assert f"### {code} — {title}" in article
    assert "| | Standard | Automatic |" in article
    for row in ("Configuration / control", "Operations", "Security / compliance"):
        assert f"| **{row}** |" in article
    for name in Feature.objects.values_list("name", flat=True):
        assert f"**{name}**" in article
    assert "4 GA · 8 Public Preview · 1 Preview" in article
    assert (
        "  - [Pod Sandboxing concepts](https://learn.microsoft.com/azure/aks/concepts-pod-sandboxing)"
        in article
    )
    assert "## Sources\n\nThe facts come from 「Microsoft Ignite 2025のまとめ〜AKS編〜」" in article


def test_markdown_in_japanese(launch_content):
    article = export("--format", "markdown", "--language", "ja")
    assert "2025年11月17日〜21日" in article
    assert "なぜ AKS なのか" in article


@pytest.mark.parametrize(
    "query",
    [
        {"status": ["ga"]},
        {"status": ["ga", "preview"]},
        {"area": ["fleet"]},
        {"session": ["brk120"]},
        {"q": "dns"},
        {"q": "名前解決"},
        {"area": ["fleet"], "status": ["public-preview"], "q": "namespace"},
        {"event": "ignite-2025", "status": ["preview"]},
    ],
)
def test_export_filters_mean_what_the_catalog_filters_mean(client, launch_content, query):
    response = client.get("/en/features/", query)
    on_page = sorted(feature.slug for feature in response.context["features"])
    args = ["--format", "csv"]
    for name, value in query.items():
        for item in [value] if isinstance(value, str) else value:
            args += [f"--{name}", item]
    exported = sorted(row["slug"] for row in csv.DictReader(io.StringIO(export(*args))))
    assert exported == on_page
    in_json = sorted(f["slug"] for f in json.loads(export(*args[2:]))["features"])
    assert in_json == on_page


def test_a_filtered_json_export_imports_on_its_own(launch_content, tmp_path):
    path = tmp_path / "fleet.json"
    path.write_text(export("--area", "fleet"), encoding="utf-8")
    wipe_content()
    import_file(path)
    assert Feature.objects.count() == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "beta"], "--status: There is no release status “beta”."),
        (["--area", "nowhere"], "--area: There is no area “nowhere”."),
        (["--session", "XYZ1"], "--session: There is no session “XYZ1”."),
        (["--event", "nope"], "--event: There is no event “nope”."),
    ],
)
def test_unknown_filters_are_refused_with_a_message(launch_content, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_content", *args, stdout=StringIO())


def test_output_file_is_written_atomically(launch_content, tmp_path, monkeypatch):
    target = tmp_path / "recap.md"
    call_command("export_content", "--format", "markdown", "--output", target, stderr=StringIO())
    good = target.read_text(encoding="utf-8")
    assert good.startswith("# Microsoft Ignite 2025")

    def interrupted(source, destination):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        call_command("export_content", "--format", "json", "--output", target, stderr=StringIO())
    assert target.read_text(encoding="utf-8") == good
    assert [p.name for p in tmp_path.iterdir()] == ["recap.md"]


def test_output_into_a_missing_folder_is_refused(launch_content, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_content", "--output", tmp_path / "nope" / "x.json", stderr=StringIO())


def test_export_functions_report_unknown_filters_without_a_command(launch_content):
    with pytest.raises(exports.ExportError):
        exports.select_features({"status": ["nope"]})


def test_an_output_that_cannot_be_written_is_reported(launch_content, tmp_path, monkeypatch):
    (tmp_path / "folder").mkdir()
    with pytest.raises(CommandError, match=r"Nothing exported: cannot write .*folder: is a folder"):
        call_command("export_content", "--output", tmp_path / "folder", stderr=StringIO())

    def disk_full(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    target = tmp_path / "full.json"
    with pytest.raises(CommandError, match=r"cannot write .*full\.json: No space left on device"):
        call_command("export_content", "--output", target, stderr=StringIO())
    assert list(tmp_path.iterdir()) == [tmp_path / "folder"]


def test_an_export_over_a_file_keeps_its_permissions(launch_content, tmp_path):
    target = tmp_path / "shared.csv"
    target.write_text("old")
    target.chmod(0o644)
    call_command("export_content", "--format", "csv", "--output", target, stderr=StringIO())
    assert target.stat().st_mode & 0o777 == 0o644
    fresh = tmp_path / "fresh.csv"
    call_command("export_content", "--format", "csv", "--output", fresh, stderr=StringIO())
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_json_says_whether_it_holds_everything(launch_content):
    assert json.loads(export("--include-drafts"))["complete"] is True
    assert json.loads(export())["complete"] is False
    assert json.loads(export("--include-drafts", "--status", "ga"))["complete"] is False


def test_the_note_on_drafts_counts_every_kind_the_filters_would_take(launch_content):
    from sessions.models import Speaker

    FeatureFactory(draft=True, status="ga")
    FeatureFactory(draft=True, status="preview")
    Speaker.objects.filter(slug="paul-yu").update(state="draft")
    err = StringIO()
    call_command("export_content", stdout=StringIO(), stderr=err)
    assert "drafts left out (features: 2, speakers: 1)" in err.getvalue()
    err = StringIO()
    call_command("export_content", "--status", "ga", stdout=StringIO(), stderr=err)
    assert "drafts left out (features: 1)" in err.getvalue()


def test_a_filtered_article_is_about_what_was_chosen(launch_content):
    lab = export("--format", "markdown", "--session", "lab517")
    assert "LAB517" in lab and "BRK120" not in lab
    assert "Standard vs Automatic: two ways to operate AKS" not in lab
    fleet = export("--format", "markdown", "--area", "fleet")
    assert "BRK120" in fleet and "### LAB517" not in fleet  # (the sources still credit all)
    assert "Pod Sandboxing" not in fleet and "Fleet Managed Namespaces" in fleet
    err = StringIO()
    call_command(
        "export_content",
        "--format",
        "markdown",
        "--status",
        "retired",
        stdout=StringIO(),
        stderr=err,
    )
    assert "no feature matches these filters" in err.getvalue()


def test_a_comparison_without_a_session_is_still_in_the_article(launch_content):
    comparison_grid(rows=1, columns=2, title_en="Free-standing table", session=None)
    article = export("--format", "markdown")
    assert "# Comparisons" in article and "## Free-standing table" in article


def test_markdown_shows_names_as_written(launch_content):
    feature = FeatureFactory(name="Star *power* [beta]", status="ga")
    DocLinkFactory(feature=feature, title_en="Docs ] (weird) [x]", url="https://example.com/d")
    article = export("--format", "markdown")
    assert r"**Star \*power\* \[beta\]**" in article
    assert r"  - [Docs \] (weird) \[x\]](https://example.com/d)" in article
