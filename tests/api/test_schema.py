"""The OpenAPI document: generated from the code, committed (so API changes are deliberate),
its examples true to it, and the reference page built from it."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings

from ignite.api.schema import openapi_document
from tests.html import active_content, headings_in_order, outline, visible_text

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(settings.BASE_DIR, "tests", "api", "openapi-v1.json")


def test_the_committed_schema_is_the_one_the_code_generates():
    """Run `make api-schema` after a deliberate change to the API, and commit the file."""
    assert json.loads(SNAPSHOT.read_text()) == openapi_document(), (
        "The API's schema changed: if that is deliberate, run `make api-schema` and commit "
        "tests/api/openapi-v1.json"
    )


def test_the_schema_is_served_as_openapi_3_1_with_an_etag(client):
    response = client.get("/api/v1/schema/", headers={"Origin": "https://tools.example"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document == openapi_document()
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/schema/", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_every_operation_is_described_with_errors_and_examples():
    document = openapi_document()
    operations = [op for methods in document["paths"].values() for op in methods.values()]
    assert len(operations) == 14
    for operation in operations:
        assert operation["summary"] and operation["description"], operation["operationId"]
        assert {"200", "304", "400", "429"} <= set(operation["responses"])
        assert operation["responses"]["200"]["content"]["application/json"]["examples"]
        parameters = {p["name"] for p in operation["parameters"]}
        assert {"lang", "If-None-Match", "Accept-Language"} <= parameters
    changes = document["paths"]["/api/v1/changes/"]["get"]
    parameters = {p["name"] for p in changes["parameters"]}
    # The changelog page's own parameters, by the same names, beside the catalog's.
    assert {
        "since",
        "until",
        "added-since",
        "kind",
        "to",
        "since-event",
        "until-event",
    } <= parameters
    assert {"status", "area", "session", "event", "q"} <= parameters


def test_the_features_list_takes_exactly_the_catalogs_filters():
    from features.filters import FeatureFilterSet

    parameters = document_parameters("/api/v1/features/")
    expected = {*FeatureFilterSet.base_filters, "page", "page_size", "lang"}
    assert {p["name"] for p in parameters if p["in"] == "query"} == expected
    assert all(p.get("description") for p in parameters)


def document_parameters(path: str) -> list[dict]:
    return openapi_document()["paths"][path]["get"]["parameters"]


def _resolved(document: dict, schema: dict) -> dict:
    """The schema with the document's components available to $ref."""
    return {**schema, "components": document["components"]}


def test_every_example_conforms_to_its_schema():
    document = openapi_document()
    checked = 0
    for methods in document["paths"].values():
        for operation in methods.values():
            for response in operation["responses"].values():
                for content in response.get("content", {}).values():
                    schema = _resolved(document, content["schema"])
                    for example in content.get("examples", {}).values():
                        jsonschema.Draft202012Validator(schema).validate(example["value"])
                        checked += 1
    assert checked == 14 * 3 + 6  # every 200, 400 and 429, and the six 404s


def test_the_reference_page_documents_every_operation_and_object(client):
    response = client.get("/api/docs/", headers={"Accept-Language": "ja"})
    assert response.status_code == 200
    html = response.content.decode()
    page = outline(html)
    assert page.find_all("html")[0]["lang"] == "en"
    assert headings_in_order(page.headings)
    document = openapi_document()
    for methods in document["paths"].values():
        for operation in methods.values():
            assert page.find_all("section", id=operation["operationId"])
    for name in document["components"]["schemas"]:
        assert page.find_all("section", id=f"schema-{name}"), name
    assert "Languages" in visible_text(html)
    assert "<code>fallback_languages</code>" in html and "<code>If-None-Match</code>" in html
    assert page.find_all("a", href="http://testserver/api/v1/schema/")


def test_the_reference_page_runs_no_inline_code_and_loads_nothing_from_elsewhere(client):
    html = client.get("/api/docs/").content.decode()
    assert not [found for found in active_content(html) if "style" in found or "[on" in found]
    page = outline(html)
    scripts = page.find_all("script")
    # The reference needs no script at all (htmx is the catalog's alone); any it ever gets is a
    # file of ours with the request's nonce.
    assert all(script.get("src") for script in scripts)
    for tag, attribute in (("script", "src"), ("link", "href")):
        for element in page.find_all(tag):
            address = element.get(attribute, "")
            assert not address.startswith(("http:", "https:", "//")) or "testserver" in address
    assert all(script.get("nonce") for script in page.find_all("script"))
