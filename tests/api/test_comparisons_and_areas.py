"""/api/v1/comparisons/ (tables as rows × columns × cells) and /api/v1/areas/."""

import pytest

from tests.factories import (
    AreaFactory,
    ComparisonCellFactory,
    ComparisonColumnFactory,
    ComparisonFactory,
    ComparisonRowFactory,
    FeatureFactory,
)

pytestmark = pytest.mark.django_db


def test_a_comparison_is_columns_and_rows_of_cells(api, launch_content):
    comparison = api("/api/v1/comparisons/aks-standard-vs-automatic/").json()
    assert [column["label"] for column in comparison["columns"]] == ["Standard", "Automatic"]
    assert len(comparison["rows"]) == 3
    first = comparison["rows"][0]
    assert first["label"] == "Configuration / control"
    assert len(first["cells"]) == 2 and all(cell["text"] for cell in first["cells"])
    assert comparison["session"]["code"] == "BRK120"
    listed = api("/api/v1/comparisons/").json()["results"]
    assert [item["slug"] for item in listed] == ["aks-standard-vs-automatic"]


def test_a_missing_cell_is_null_in_its_columns_place(api, db):
    comparison = ComparisonFactory(slug="gappy")
    left = ComparisonColumnFactory(comparison=comparison, order=0, label_en="Left")
    ComparisonColumnFactory(comparison=comparison, order=1, label_en="Right")
    row = ComparisonRowFactory(comparison=comparison, label_en="Only left")
    ComparisonCellFactory(row=row, column=left, text_en="here", text_ja="")
    body = api("/api/v1/comparisons/gappy/", {"lang": "ja"}).json()
    assert body["rows"][0]["cells"] == [
        {"text": "here", "fallback_languages": {"text": "en"}},
        None,
    ]


def test_draft_comparisons_never_appear(api, db):
    ComparisonFactory(slug="draft-table", draft=True)
    assert api("/api/v1/comparisons/").json()["count"] == 0
    assert api("/api/v1/comparisons/draft-table/").status_code == 404


def test_areas_with_published_features_and_their_counts(api, launch_content):
    body = api("/api/v1/areas/", {"lang": "ja", "page_size": 100}).json()
    networking = next(area for area in body["results"] if area["slug"] == "networking")
    assert networking["name"] == "ネットワーク"
    assert networking["url"] == "http://testserver/ja/features/?area=networking"
    assert networking["features_api_url"] == "http://testserver/api/v1/features/?area=networking"
    features = api(networking["features_api_url"].removeprefix("http://testserver")).json()
    assert networking["feature_count"] == features["count"] > 0
    assert sum(area["feature_count"] for area in body["results"]) == 13


def test_an_area_of_drafts_only_is_not_shown(api, db):
    FeatureFactory(area=AreaFactory(slug="upcoming"), draft=True)
    FeatureFactory(area=AreaFactory(slug="visible"))
    assert [area["slug"] for area in api("/api/v1/areas/").json()["results"]] == ["visible"]
    assert api("/api/v1/areas/upcoming/").status_code == 404
    assert api("/api/v1/areas/visible/").json()["feature_count"] == 1
