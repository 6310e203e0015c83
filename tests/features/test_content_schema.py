"""The export format has a published JSON Schema, and import_content refuses what it refuses."""

import copy
import json
from io import StringIO

import jsonschema_rs
import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from features.content_io import ImportFailed, import_content, schema
from features.content_io.format import SCHEMA_VERSION
from tests.features.conftest import export
from tests.features.test_exports import build_large_site
from tests.features.test_imports import BAD_FILES, launch_document, write

pytestmark = pytest.mark.django_db


def published_schema() -> dict:
    return json.loads(schema.SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_errors(document) -> list[str]:
    """What a third party with only the published file and jsonschema would find."""
    return [
        error.message for error in Draft202012Validator(published_schema()).iter_errors(document)
    ]


def test_the_schema_file_is_the_schema_the_format_describes():
    Draft202012Validator.check_schema(published_schema())
    out = StringIO()
    call_command("content_schema", stdout=out)
    assert out.getvalue() == schema.SCHEMA_FILE.read_text(encoding="utf-8")
    assert published_schema() == schema.build_schema(), (
        "The format changed: run manage.py content_schema > features/content_io/"
        "content-v2.schema.json"
    )


def test_the_schema_of_every_version_the_site_reads_is_kept(client):
    for version, path in schema.SCHEMA_FILES.items():
        assert json.loads(path.read_text(encoding="utf-8")) == schema.build_schema(version)
        out = StringIO()
        call_command("content_schema", "--schema-version", str(version), stdout=out)
        assert out.getvalue() == path.read_text(encoding="utf-8")
        assert client.get(f"/schemas/content-v{version}.json").status_code == 200
    assert client.get("/schemas/content-v3.json").status_code == 404


@pytest.mark.parametrize(
    "args",
    [(), ("--include-drafts",), ("--status", "ga"), ("--area", "fleet"), ("--session", "lab517")],
)
def test_every_export_of_the_launch_content_matches_the_schema(launch_content, args):
    assert schema_errors(json.loads(export(*args))) == []


def test_exports_of_generated_content_match_the_schema(db):
    build_large_site(features=40)
    document = json.loads(export("--include-drafts"))
    assert len(document["features"]) == 40
    assert schema_errors(document) == []


# The bad files the schema alone can see (the rest need references, order or the database).
SHAPE_PROBLEMS = {
    "no schema_version",
    "newer schema",
    "missing required field",
    "unknown status",
    "bad URL",
    "script URL",
    "wrong type",
    "bad date",
    "unknown field",
    "unknown section",
    "compact date",
    "NUL character",
    "order out of range",
    "a language left out",
    "children left out",
}


@pytest.mark.parametrize("label", sorted(SHAPE_PROBLEMS))
def test_the_published_schema_refuses_malformed_files(label):
    assert schema_errors(_bad_document(label)) != []


def _bad_document(label):
    make = next(make for name, make, _message in BAD_FILES if name == label)
    bad = make(launch_document())
    return json.loads(bad) if isinstance(bad, str) else bad


@pytest.mark.parametrize("label", sorted(SHAPE_PROBLEMS))
def test_the_compiled_schema_passes_nothing_the_schema_refuses(label):
    """Only the compiled check's "valid" is trusted (it skips the full check): it must never
    pass a file the full check refuses."""
    bad = _bad_document(label)
    assert schema_errors(bad) != []
    assert not schema.surely_valid(SCHEMA_VERSION, bad)
    try:
        problems = schema.schema_problems(bad)
    except ImportFailed as failure:  # a version the site cannot read stops it at once
        problems = failure.problems
    assert problems != []


def test_the_compiled_schema_passes_a_valid_file_without_the_full_check(monkeypatch):
    document = launch_document()
    assert schema.surely_valid(document["schema_version"], document)
    monkeypatch.setattr(schema, "_validator", None)  # would fail if it were asked
    assert schema.schema_problems(document) == []


def test_a_file_the_compiled_schema_cannot_read_is_judged_by_the_full_check():
    document = launch_document()
    document["features"][0]["name"] = "\ud800"  # a lone surrogate: not UTF-8
    assert not schema.surely_valid(document["schema_version"], document)
    assert schema.schema_problems(document) == []  # the schema allows any text but NUL


def _edit(change) -> dict:
    document = launch_document()
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["features"][0].update(status="beta"),
            ["features[0].status: Value 'beta' is not a valid choice."],
        ),
        (lambda d: d["features"][0].update(staus="ga"), ["features[0].staus: unknown field"]),
        (lambda d: d["features"][0].pop("name"), ["features[0].name: is missing"]),
        (
            lambda d: d["features"][0].pop("doc_links"),
            ["features[0].doc_links: is missing (write null or [] for none)"],
        ),
        (
            lambda d: d["features"][0]["summary"].pop("ja"),
            ['features[0].summary.ja: is missing (write "" for none)'],
        ),
        (
            lambda d: d["features"][0]["summary"].update(fr="Résumé"),
            ["features[0].summary.fr: unknown language"],
        ),
        (
            lambda d: d["features"][0].update(summary="Plain text"),
            ['features[0].summary: expected a text per language, e.g. {"en": "…"}'],
        ),
        (
            lambda d: d["areas"][0].update(order=10**12),
            ["areas[0].order: expected a whole number from 0 to 32767"],
        ),
        (lambda d: d["areas"][0].update(order="1"), ["areas[0].order: expected a whole number"]),
        (
            lambda d: d["events"][0].update(start_date="17/11/2025"),
            ["events[0].start_date: expected a date such as 2025-11-17"],
        ),
        (
            lambda d: d["features"][0].update(first_published_at="yesterday"),
            [
                "features[0].first_published_at: expected a date and time such as "
                "2025-11-17T09:00:00Z"
            ],
        ),
        (
            lambda d: d["sessions"][0].update(url="javascript:alert(1)"),
            ["sessions[0].url: must be an http:// or https:// address"],
        ),
        (
            lambda d: d["features"][1]["body"].update(en="x" * 20_001),
            ["features[1].body.en: is 20,001 characters long; the limit is 20,000"],
        ),
        (
            lambda d: d["sessions"][0].update(title="T" * 301),
            ["sessions[0].title: is 301 characters long; the limit is 300"],
        ),
        (lambda d: d["features"][0].update(related="x"), ["features[0].related: expected a list"]),
        (lambda d: d.update(complete="yes"), ["complete: expected true or false"]),
        (
            lambda d: d.update(feature=[]),
            [
                "feature: unknown section (expected one of: areas, events, speakers, sessions, "
                "features, comparisons, redirects)"
            ],
        ),
        (lambda d: d["features"].__setitem__(0, "x"), ["features[0]: expected an object"]),
    ],
)
def test_schema_problems_are_told_in_the_imports_words(change, expected):
    document = _edit(change)
    assert not schema.surely_valid(SCHEMA_VERSION, document)
    assert [str(problem) for problem in schema.schema_problems(document)] == expected


def test_a_file_the_schema_refuses_is_never_imported(
    launch_content, tmp_path, monkeypatch, snapshot
):
    """Even where the import's own checks would let it through, the schema decides first."""
    stricter = published_schema()
    stricter["properties"]["features"]["maxItems"] = 2
    monkeypatch.setattr(schema, "_validator", lambda version: Draft202012Validator(stricter))
    monkeypatch.setattr(
        schema, "_compiled", lambda version: jsonschema_rs.Draft202012Validator(stricter)
    )
    before = snapshot()
    with pytest.raises(ImportFailed) as failure:
        import_content(write(tmp_path, launch_document()))
    assert [problem.path for problem in failure.value.problems] == ["features"]
    assert snapshot() == before


def test_the_schema_is_published_for_tools_to_fetch(client, settings):
    response = client.get("/schemas/content-v2.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    served = json.loads(response.content)
    assert (
        served.pop("$id")
        == f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}/schemas/content-v2.json"
    )
    assert served == published_schema()
    again = client.get("/schemas/content-v2.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.head("/schemas/content-v2.json").status_code == 200
    assert client.post("/schemas/content-v2.json").status_code == 405
    assert client.get("/en/schemas/content-v2.json").status_code == 404


def test_a_partial_edit_keeps_the_schema_honest(launch_content):
    """A file may leave out whole sections (they are then left alone), as the import allows."""
    document = copy.deepcopy(json.loads(export()))
    for section in ("areas", "events", "speakers", "comparisons", "redirects"):
        del document[section]
    assert schema_errors(document) == []
