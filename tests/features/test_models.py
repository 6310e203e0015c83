import datetime

import pytest
from django.core.exceptions import ValidationError

from features.models import Feature, ReleaseStatus, StatusChange
from tests.factories import (
    AreaFactory,
    ComparisonCellFactory,
    ComparisonColumnFactory,
    ComparisonRowFactory,
    DocLinkFactory,
    FeatureFactory,
    StatusChangeFactory,
    comparison_grid,
    refused_by_database,
)

pytestmark = pytest.mark.django_db


def test_release_statuses_have_stable_url_values_and_are_distinct():
    assert ReleaseStatus.values == ["ga", "public-preview", "preview", "private-preview", "retired"]
    assert len(set(ReleaseStatus.labels)) == 5


def test_database_refuses_an_unknown_status():
    refused_by_database(FeatureFactory, status="beta")
    refused_by_database(StatusChangeFactory, status="beta")


def test_feature_and_area_slugs_are_unique():
    refused_by_database(FeatureFactory, slug=FeatureFactory().slug)
    refused_by_database(AreaFactory, slug=AreaFactory().slug)


def test_one_cell_per_row_and_column():
    cell = ComparisonCellFactory()
    refused_by_database(ComparisonCellFactory, row=cell.row, column=cell.column)


def test_a_cell_cannot_mix_rows_and_columns_of_two_comparisons():
    cell = ComparisonCellFactory.build(row=ComparisonRowFactory(), column=ComparisonColumnFactory())
    with pytest.raises(ValidationError):
        cell.full_clean()


def test_doc_link_urls_must_be_web_addresses_and_unique_per_feature():
    refused_by_database(DocLinkFactory, url="javascript:alert(1)")
    link = DocLinkFactory()
    refused_by_database(DocLinkFactory, feature=link.feature, url=link.url)


def test_recording_a_status_keeps_the_earlier_one():
    feature = FeatureFactory(status=ReleaseStatus.PUBLIC_PREVIEW)
    StatusChangeFactory(feature=feature, status="public-preview", date=datetime.date(2025, 11, 17))
    feature.record_status("ga", datetime.date(2026, 3, 1), note_en="Generally available")
    feature.refresh_from_db()
    assert feature.status == "ga"
    assert list(feature.status_changes.values_list("status", "date")) == [
        ("public-preview", datetime.date(2025, 11, 17)),
        ("ga", datetime.date(2026, 3, 1)),
    ]


def test_recording_an_older_status_does_not_replace_the_current_one():
    feature = FeatureFactory(status=ReleaseStatus.GA)
    StatusChangeFactory(feature=feature, status="ga", date=datetime.date(2026, 3, 1))
    feature.record_status("preview", datetime.date(2025, 6, 1))
    feature.refresh_from_db()
    assert feature.status == "ga"
    assert StatusChange.objects.filter(feature=feature).count() == 2


def test_a_feature_has_one_status_a_day():
    change = StatusChangeFactory(status="preview")
    refused_by_database(StatusChangeFactory, feature=change.feature, status="ga", date=change.date)


def test_recording_a_day_that_already_has_a_status_changes_nothing():
    feature = FeatureFactory(status="preview")
    day = datetime.date(2026, 1, 5)
    assert feature.record_status("preview", day) is not None
    assert feature.record_status("ga", day) is None
    feature.refresh_from_db()
    assert feature.status == "preview"
    assert list(feature.status_changes.values_list("status", flat=True)) == ["preview"]


def test_related_features_are_symmetrical():
    one, other = FeatureFactory(), FeatureFactory()
    one.related.add(other)
    assert list(other.related.all()) == [one]


def test_grid_lists_cells_in_column_order_with_gaps_as_none():
    comparison = comparison_grid(rows=2, columns=2)
    first_row = comparison.rows.first()
    first_row.cells.order_by("column__order").last().delete()
    grid = comparison.grid()
    assert [row.pk for row, _cells in grid] == list(comparison.rows.values_list("pk", flat=True))
    assert [cell is None for _column, cell in grid[0][1]] == [False, True]
    assert [column.order for column, _cell in grid[1][1]] == [0, 1]


def test_search_matches_every_word_in_either_language():
    wanted = FeatureFactory(name="LocalDNS", summary_en="Node DNS", summary_ja="ノードごとの DNS")
    FeatureFactory(name="Other", summary_en="Unrelated")
    assert list(Feature.objects.search("node dns")) == [wanted]
    assert list(Feature.objects.search("ノードごと")) == [wanted]
    assert list(Feature.objects.search("node unrelated")) == []
