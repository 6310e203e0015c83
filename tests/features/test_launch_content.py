"""The launch content: exactly the facts of the Ignite 2025 fact sheet, loaded idempotently."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from features.models import Area, Comparison, Feature
from sessions.models import Event, KeyPoint, Session, Speaker

pytestmark = pytest.mark.django_db

EXPECTED_STATUSES = {
    "ACNS: Container Network Logs": "public-preview",
    "External identity provider authentication": "public-preview",
    "Cluster autoscaling for Virtual Machines node pools": "public-preview",
    "Fleet Manager: approval gates for update runs": "public-preview",
    "Fleet Manager: workload placement with staged update strategy": "public-preview",
    "Target Kubernetes minor version channel": "public-preview",
    "Managed Kubernetes namespaces": "ga",
    "Fleet Managed Namespaces": "public-preview",
    "Managed API Server Guard": "ga",
    "LocalDNS": "ga",
    "Pod Sandboxing": "ga",
    "AKS Desktop": "preview",
    "Agentic CLI for AKS": "public-preview",
}


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Event, Session, Speaker, KeyPoint, Area, Feature, Comparison)
    }


def test_loads_exactly_the_facts(launch_content):
    assert dict(Feature.objects.values_list("name", "status")) == EXPECTED_STATUSES
    event = Event.objects.get()
    assert (event.name, str(event.start_date), str(event.end_date), event.city) == (
        "Microsoft Ignite 2025",
        "2025-11-17",
        "2025-11-21",
        "San Francisco",
    )
    assert sorted(Session.objects.values_list("code", "kind")) == [
        ("BRK120", "breakout"),
        ("LAB517", "lab"),
    ]
    assert sorted(Speaker.objects.values_list("name", flat=True)) == [
        "Brendan Burns",
        "Paul Yu",
        "Pavneet Ahluwalia",
    ]
    brk120 = Session.objects.get(code="BRK120")
    assert [a.speaker.name for a in brk120.appearances.all()] == ["Brendan Burns"]
    assert Feature.objects.filter(session=brk120).count() == 13


def test_the_comparison_is_three_rows_by_two_columns(launch_content):
    comparison = Comparison.objects.get()
    assert [c.label for c in comparison.columns.all()] == ["Standard", "Automatic"]
    assert [r.label for r in comparison.rows.all()] == [
        "Configuration / control",
        "Operations",
        "Security / compliance",
    ]
    assert all(cell is not None for _row, cells in comparison.grid() for _c, cell in cells)
    assert comparison.session.code == "BRK120"


def test_doc_links_are_the_fact_sheets(launch_content):
    links = {
        (f.name, link.url)
        for f in Feature.objects.prefetch_related("doc_links")
        for link in f.doc_links.all()
    }
    assert (
        "Pod Sandboxing",
        "https://learn.microsoft.com/azure/aks/concepts-pod-sandboxing",
    ) in links
    assert len(links) == 6


def test_no_figures_the_recording_cut_are_stated(launch_content):
    text = json.dumps(
        list(KeyPoint.objects.values("text_en", "text_ja")), ensure_ascii=False
    ).lower()
    assert "million" not in text and "万" not in text


def test_every_text_has_a_japanese_version(launch_content):
    for feature in Feature.objects.all():
        assert feature.summary_ja, feature.name
    for point in KeyPoint.objects.all():
        assert point.text_ja, point.text_en


def test_loading_twice_changes_nothing(launch_content):
    before = _counts()
    history_before = Feature.history.count()
    out = StringIO()
    call_command("load_content", stdout=out, stderr=StringIO())
    assert _counts() == before
    assert Feature.history.count() == history_before
    assert "13 unchanged" in out.getvalue()
    assert " 1 created" not in out.getvalue()


def test_editing_the_file_and_loading_again_updates_the_row(launch_content, tmp_path, settings):
    from features.management.commands import load_content

    document = json.loads(load_content.LAUNCH_CONTENT.read_text(encoding="utf-8"))
    feature = next(f for f in document["features"] if f["slug"] == "localdns")
    feature["summary"]["en"] = "Edited summary."
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("import_content", edited, stdout=out)
    assert Feature.objects.get(slug="localdns").summary_en == "Edited summary."
    assert "features: 0 created, 1 updated, 12 unchanged" in out.getvalue()
