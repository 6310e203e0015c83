"""Every admin page an editor opens answers, and nobody signed out gets in."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

CONTENT_APPS = {"ignite_sessions", "features"}


def _content_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in CONTENT_APPS
    ]


def _urls(model):
    opts = model._meta
    first = model.objects.order_by("pk").first()
    urls = [
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[first.pk]),
    ]
    return urls


def test_every_content_model_has_an_admin():
    registered = {model.__name__ for model, _admin in _content_admins()}
    assert registered == {"Event", "Speaker", "Session", "Area", "Feature", "Comparison"}


def test_every_admin_page_answers_for_a_superuser(superuser_client, launch_content):
    for model, _model_admin in _content_admins():
        for url in _urls(model):
            response = superuser_client.get(url)
            assert response.status_code == 200, url


def test_anonymous_users_are_sent_to_login(client, launch_content):
    for model, _model_admin in _content_admins():
        for url in _urls(model):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url


def test_the_comparison_change_page_is_a_grid_of_labelled_cells(superuser_client, launch_content):
    from features.models import Comparison

    comparison = Comparison.objects.get()
    response = superuser_client.get(
        reverse("admin:features_comparison_change", args=[comparison.pk])
    )
    html = response.content.decode()
    columns = list(comparison.columns.all())
    for slot in range(len(columns)):  # cells are named after the column's place in its formset
        for language in ("en", "ja"):
            assert f'name="rows-0-cell_{slot}_{language}"' in html
    assert "Maximum freedom" in html
    assert "rows-0-id" in html and "ComparisonRow object" not in html


def test_admin_search_and_filters_answer(superuser_client, launch_content):
    changelist = reverse("admin:features_feature_changelist")
    assert "LocalDNS" in superuser_client.get(changelist, {"q": "CoreDNS"}).content.decode()
    response = superuser_client.get(changelist, {"status__exact": "preview"})
    assert response.context["cl"].result_count == 1
    response = superuser_client.get(changelist, {"state": "draft"})
    assert response.context["cl"].result_count == 0


def test_autocomplete_answers_for_the_feature_form(superuser_client, launch_content):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "features", "model_name": "feature", "field_name": "session", "term": "brk"},
    )
    assert response.status_code == 200
    assert next(r["text"] for r in response.json()["results"]).startswith("BRK120")
