"""The catalog's facet (built in Python): its options as checkboxes on the live site and as
links in the static archive, escaped, with their counts said in the reader's language."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from features.filters import FacetOption
from tests.html import outline, visible_text

pytestmark = pytest.mark.django_db


def facet(name, options, *, archive=False, query="", language="en") -> str:
    request = RequestFactory().get(f"/{language}/features/?{query}")
    template = Template("{% load facets %}{% facet name legend options %}")
    context = Context(
        {
            "request": request,
            "name": name,
            "legend": "A <legend>",
            "options": options,
            "static_archive": archive,
        }
    )
    with translation.override(language):
        return template.render(context)


def test_options_are_checkboxes_with_escaped_labels_and_counts_in_words():
    options = [
        FacetOption("nets", "Nets & <Pods>", 1, selected=True),
        FacetOption("empty", "Empty", 0, selected=False),
        FacetOption("more", "More", 12, selected=False),
    ]
    html = facet("area", options)
    assert "<legend>A &lt;legend&gt;</legend>" in html
    assert '<span class="facet__label">Nets &amp; &lt;Pods&gt;</span>' in html
    page = outline(html)
    boxes = {box["value"]: box for box in page.find_all("input")}
    assert set(boxes) == {"nets", "empty", "more"}
    assert "checked" in boxes["nets"] and "disabled" not in boxes["nets"]
    assert "disabled" in boxes["empty"]  # nothing to gain by ticking it
    assert "checked" not in boxes["more"] and "disabled" not in boxes["more"]
    words = " ".join(visible_text(html).split())
    assert words == "A <legend> Nets & <Pods> , 1 feature Empty , 0 features More , 12 features"
    assert [label["for"] for label in page.find_all("label")] == [
        "area-nets",
        "area-empty",
        "area-more",
    ]


def test_a_status_shows_its_badge_and_japanese_counts_its_own_way():
    html = facet("status", [FacetOption("ga", "GA", 4, selected=False)], language="ja")
    assert '<span class="status status--ga">' in html
    assert '<span class="visually-hidden">、</span>4' in html


def test_the_archive_links_each_option_to_its_page_and_marks_the_chosen_one():
    options = [
        FacetOption("ga", "GA", 4, selected=True),
        FacetOption("preview", "Preview", 0, selected=False),
        FacetOption("public-preview", "Public Preview", 8, selected=False),
    ]
    html = facet("status", options, archive=True, query="status=ga&area=networking")
    # The chosen one links to the page without it; another to the page with just it.
    assert (
        '<a class="facet__option" href="/en/features/?area=networking" aria-current="true">' in html
    )
    assert (
        '<a class="facet__option" href="/en/features/?status=public-preview&amp;area=networking">'
        in html
    )
    assert '<span class="facet__option" aria-disabled="true">' in html  # no page for nothing
    assert "<input" not in html


def test_a_facet_without_options_says_so():
    assert '<li class="muted">No options with these filters.</li>' in facet("session", [])
