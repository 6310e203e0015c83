"""The comparison editor saves a whole grid in one submit: new columns with their cells, the
order as set, and everything typed kept when something is refused."""

import re

import pytest
from django.contrib.auth.models import Permission

from features.models import Comparison, ComparisonCell, ComparisonColumn, ComparisonRow
from ignite.publishing import PublicationState
from tests.admin_forms import admin_url, page_data
from tests.factories import UserFactory, comparison_grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def aks(launch_content) -> Comparison:
    return Comparison.objects.get(slug="aks-standard-vs-automatic")


def grid_with_a_new_column(client, comparison, **changes) -> dict:
    """The change page posted back with a third column and its cells in every row."""
    data = page_data(client.get(admin_url(comparison, "change")))
    rows = int(data["rows-TOTAL_FORMS"])
    data.update(
        {
            "columns-TOTAL_FORMS": 3,
            "columns-2-label_en": "Fleet Manager",
            "columns-2-label_ja": "フリート マネージャー",
            "columns-2-order": 2,
            **{f"rows-{row}-cell_2_en": f"Fleet text {row}" for row in range(rows)},
            **{f"rows-{row}-cell_2_ja": f"フリートの説明 {row}" for row in range(rows)},
        }
    )
    data.update(changes)
    return data


def public_headings(client, comparison) -> tuple[list[str], list[str]]:
    html = client.get(f"/en/comparisons/{comparison.slug}/").content.decode()
    columns = re.findall(r'<th scope="col">([^<]*)</th>', html)
    rows = re.findall(r'<th scope="row">([^<]*)</th>', html)
    return columns, rows


def test_a_new_column_and_its_cells_save_in_one_submit(superuser_client, aks):
    response = superuser_client.post(
        admin_url(aks, "change"), grid_with_a_new_column(superuser_client, aks)
    )

    assert response.status_code == 302
    assert [c.label_en for c in aks.columns.all()] == ["Standard", "Automatic", "Fleet Manager"]
    fleet = aks.columns.get(label_en="Fleet Manager")
    assert fleet.label_ja == "フリート マネージャー"
    cells = {cell.row.order: (cell.text_en, cell.text_ja) for cell in fleet.cells.all()}
    assert cells == {row: (f"Fleet text {row}", f"フリートの説明 {row}") for row in range(3)}
    assert ComparisonCell.history.filter(column_id=fleet.pk, history_type="+").count() == 3
    assert "Fleet text 0" in superuser_client.get(f"/en/comparisons/{aks.slug}/").content.decode()


def test_the_order_fields_reorder_rows_and_columns(superuser_client, aks):
    data = page_data(superuser_client.get(admin_url(aks, "change")))
    data.update({"columns-0-order": 1, "columns-1-order": 0})
    data.update({"rows-0-order": 2, "rows-1-order": 1, "rows-2-order": 0})

    response = superuser_client.post(admin_url(aks, "change"), data)

    assert response.status_code == 302
    columns, rows = public_headings(superuser_client, aks)
    assert columns == ["Automatic", "Standard"]
    assert rows == ["Security / compliance", "Operations", "Configuration / control"]
    # The change page shows them in the new order too, with each cell under its own column.
    html = superuser_client.get(admin_url(aks, "change")).content.decode()
    labels = re.findall(r'name="(columns|rows)-\d-label_en" value="([^"]*)"', html)
    assert labels == [
        ("columns", "Automatic"),
        ("columns", "Standard"),
        ("rows", "Security / compliance"),
        ("rows", "Operations"),
        ("rows", "Configuration / control"),
    ]


def test_the_editor_lists_rows_and_cells_in_their_saved_order(superuser_client):
    comparison = comparison_grid(rows=2, columns=2)
    first, second = comparison.columns.all()
    first.order, second.order = 5, 1
    first.save()
    second.save()
    html = superuser_client.get(admin_url(comparison, "change")).content.decode()
    cell_order = re.findall(r'name="rows-0-cell_(\d)_en"', html)
    assert cell_order == ["0", "1"]  # slots follow the stored order: second is slot 0 now


def test_a_new_column_without_a_heading_is_refused_and_every_typed_cell_comes_back(
    superuser_client, aks
):
    data = grid_with_a_new_column(
        superuser_client, aks, **{"columns-2-label_en": "", "rows-1-cell_0_en": "Edited text"}
    )

    response = superuser_client.post(admin_url(aks, "change"), data)

    assert response.status_code == 200
    html = response.content.decode()
    column_form = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "columns"
    ).forms[2]
    assert list(column_form.errors) == ["label_en"]
    errors_at = html.index('class="errorlist"', html.index('id="columns-2"'))
    assert errors_at < html.index('name="columns-2-label_ja"')  # shown by the heading field
    for row in range(3):
        assert f"Fleet text {row}" in html and f"フリートの説明 {row}" in html
    assert "Edited text" in html
    assert "フリート マネージャー" in html
    assert aks.columns.count() == 2 and not ComparisonColumn.objects.filter(label_ja__contains="フ")


def test_a_new_row_without_a_heading_is_refused_by_its_field(superuser_client, aks):
    data = page_data(superuser_client.get(admin_url(aks, "change")))
    data.update(
        {"rows-TOTAL_FORMS": 4, "rows-3-order": 3, "rows-3-label_en": "", "rows-3-cell_1_en": "x"}
    )

    response = superuser_client.post(admin_url(aks, "change"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'name="rows-3-cell_1_en"[^>]*>\s*x</textarea>', html)
    assert 'name="rows-3-label_en"' in html
    assert aks.rows.count() == 3


def test_an_editor_adds_a_column_but_cannot_publish_with_the_same_submit(editor_client):
    draft = comparison_grid(rows=2, columns=2, draft=True)
    data = grid_with_a_new_column(editor_client, draft, state=PublicationState.PUBLISHED)

    response = editor_client.post(admin_url(draft, "change"), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == PublicationState.DRAFT
    assert draft.columns.count() == 3
    assert editor_client.get(f"/en/comparisons/{draft.slug}/", follow=False).status_code in (
        200,  # editors preview drafts
        404,
    )


def test_a_user_who_may_not_add_cells_saves_nothing_of_the_grid(client, aks):
    """The admin's save path runs under ActingUserMiddleware: each row written is checked, and
    one refused write undoes the whole submit."""
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="features",
            codename__in=[
                "view_comparison",
                "change_comparison",
                "add_comparisoncolumn",
                "change_comparisoncolumn",
                "view_comparisoncolumn",
                "add_comparisonrow",
                "change_comparisonrow",
                "view_comparisonrow",
            ],
        )
    )
    client.force_login(clerk)

    response = client.post(admin_url(aks, "change"), grid_with_a_new_column(client, aks))

    assert response.status_code == 403
    assert aks.columns.count() == 2
    assert not ComparisonCell.objects.filter(text_en__startswith="Fleet text").exists()


def test_saving_an_unchanged_grid_adds_no_history(superuser_client, aks):
    models = (ComparisonColumn, ComparisonRow, ComparisonCell)
    before = [model.history.count() for model in models]

    response = superuser_client.post(
        admin_url(aks, "change"), page_data(superuser_client.get(admin_url(aks, "change")))
    )

    assert response.status_code == 302
    assert [model.history.count() for model in models] == before
