"""The feature catalog: filters, facets, chips, sorting, pages, htmx fragments and bad input."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CATALOG = "/en/features/"


def names(response) -> list[str]:
    return [feature.name for feature in response.context["features"]]


def facet(response, name: str) -> dict[str, int]:
    """The options of a facet that would give features, with their counts."""
    return {o.value: o.count for o in response.context["facets"][name] if o.count}


def test_lists_every_published_feature_grouped_by_status(client, launch_content):
    response = client.get(CATALOG)
    assert response.status_code == 200
    assert len(names(response)) == 13
    statuses = [feature.status for feature in response.context["features"]]
    assert statuses == sorted(statuses, key=["ga", "public-preview", "preview"].index)
    assert facet(response, "status") == {"ga": 4, "public-preview": 8, "preview": 1}
    assert "13 features found" in response.content.decode()


def test_status_filter_and_its_facet_counts(client, launch_content):
    response = client.get(CATALOG, {"status": "ga"})
    assert sorted(names(response)) == [
        "LocalDNS",
        "Managed API Server Guard",
        "Managed Kubernetes namespaces",
        "Pod Sandboxing",
    ]
    # A facet counts what its options would give with the *other* filters kept.
    assert facet(response, "status") == {"ga": 4, "public-preview": 8, "preview": 1}
    assert facet(response, "area") == {
        "networking": 1,
        "security": 1,
        "multi-tenancy": 1,
        "reliability": 1,
    }
    assert [o.value for o in response.context["facets"]["status"] if o.selected] == ["ga"]


def test_options_that_would_give_nothing_stay_in_place_disabled(client, launch_content):
    everything = client.get(CATALOG)
    fleet = client.get(CATALOG, {"area": "fleet"})
    statuses = fleet.context["facets"]["status"]
    assert [o.value for o in statuses] == [o.value for o in everything.context["facets"]["status"]]
    assert [(o.value, o.count, o.disabled) for o in statuses] == [
        ("ga", 0, True),
        ("public-preview", 4, False),
        ("preview", 0, True),
    ]
    html = fleet.content.decode()
    assert re.search(r'<input type="checkbox"[^>]*value="ga"[^>]*disabled>', html)
    assert not re.search(r'<input type="checkbox"[^>]*value="public-preview"[^>]*disabled', html)


def test_an_option_with_no_features_at_all_is_not_offered(client, launch_content):
    from tests.factories import AreaFactory

    AreaFactory(slug="empty-area")
    areas = [o.value for o in client.get(CATALOG).context["facets"]["area"]]
    assert "empty-area" not in areas
    chosen = client.get(CATALOG, {"area": "empty-area"}).context["facets"]["area"]
    assert [(o.value, o.count, o.selected) for o in chosen if o.value == "empty-area"] == [
        ("empty-area", 0, True)
    ]


def test_statuses_combine_with_or_and_areas_with_and(client, launch_content):
    assert len(names(client.get(CATALOG, {"status": ["ga", "preview"]}))) == 5
    fleet = client.get(CATALOG, {"area": "fleet"})
    assert len(names(fleet)) == 4
    assert facet(fleet, "status") == {"public-preview": 4}
    assert names(client.get(CATALOG, {"area": "fleet", "status": "ga"})) == []


def test_session_codes_match_whatever_their_case(client, launch_content):
    for code in ("BRK120", "brk120", "Brk120"):
        assert len(names(client.get(CATALOG, {"session": code}))) == 13
    assert names(client.get(CATALOG, {"session": "lab517"})) == []


def test_search_looks_in_names_summaries_bodies_and_notes(client, launch_content):
    assert names(client.get(CATALOG, {"q": "CoreDNS"})) == ["LocalDNS"]
    assert names(client.get(CATALOG, {"q": "kata-vm-isolation"})) == ["Pod Sandboxing"]
    assert names(client.get(CATALOG, {"q": "diagnostic settings"})) == [
        "ACNS: Container Network Logs"
    ]
    assert names(client.get(CATALOG, {"q": "fleet namespace"})) == ["Fleet Managed Namespaces"]


def test_search_finds_japanese_words(client, launch_content):
    assert names(client.get("/ja/features/", {"q": "名前解決"})) == ["LocalDNS"]
    assert names(client.get("/en/features/", {"q": "名前解決"})) == ["LocalDNS"]


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("name", "ACNS: Container Network Logs", "Target Kubernetes minor version channel"),
        ("-name", "Target Kubernetes minor version channel", "ACNS: Container Network Logs"),
        ("area", "LocalDNS", "Agentic CLI for AKS"),
        ("status", "LocalDNS", "AKS Desktop"),
    ],
)
def test_sorting(client, launch_content, sort, first, last):
    listed = names(client.get(CATALOG, {"sort": sort}, follow=True))
    assert (listed[0], listed[-1]) == (first, last)


def test_sorting_by_last_change(client, launch_content):
    from features.models import Feature

    feature = Feature.objects.get(slug="aks-desktop")
    feature.save()
    assert names(client.get(CATALOG, {"sort": "-updated"}))[0] == "AKS Desktop"
    assert names(client.get(CATALOG, {"sort": "updated"}))[-1] == "AKS Desktop"


def test_a_plain_form_submission_lands_on_the_short_address(client, launch_content):
    response = client.get(CATALOG, {"q": "", "status": "ga", "sort": "status", "area": ""})
    assert response.status_code == 302
    assert response["Location"] == "/en/features/?status=ga"
    assert client.get(CATALOG, {"q": "", "sort": "status"})["Location"] == "/en/features/"
    htmx = client.get(CATALOG, {"q": "", "status": "ga"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200


def test_active_filters_are_removable_chips(client, launch_content):
    response = client.get(CATALOG, {"status": ["ga", "preview"], "q": "dns"})
    chips = {chip.label: chip.query for chip in response.context["chips"]}
    assert chips == {
        "Search: “dns”": "?status=ga&status=preview",
        "GA": "?status=preview&q=dns",
        "Preview": "?status=ga&q=dns",
    }
    assert "Clear all" in response.content.decode()


def test_empty_result_is_a_friendly_state(client, launch_content):
    response = client.get(CATALOG, {"q": "nothing-matches-this"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No features match" in html
    assert "0 features found" in html


def test_htmx_gets_the_results_fragment_with_out_of_band_facets(client, launch_content):
    response = client.get(
        CATALOG, {"status": "ga"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="results"' in html
    assert re.search(r'id="facets"[^>]*data-hx-swap-oob="true"', html)
    assert 'id="result-count" data-hx-swap-oob="innerHTML"' in html
    assert re.search(r'id="language-switcher"[^>]*data-hx-swap-oob="true"', html)
    assert "4 features found" in html
    assert "HX-Request" in response["Vary"]


def test_chips_replace_the_whole_catalog(client, launch_content):
    response = client.get(
        CATALOG, {"status": "ga"}, headers={"HX-Request": "true", "HX-Target": "catalog"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('id="catalog"') == 1
    assert 'id="id_q"' in html


def test_a_history_restore_gets_the_full_page(client, launch_content):
    response = client.get(
        CATALOG,
        {"status": "ga"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_full_page_and_fragment_vary_on_the_htmx_headers(client, launch_content):
    page = client.get(CATALOG)
    assert {"HX-Request", "HX-Target"} <= {v.strip() for v in page["Vary"].split(",")}


def test_without_javascript_the_form_submits_with_get(client, launch_content):
    html = client.get(CATALOG).content.decode()
    form = re.search(r'<form id="filters"[^>]*>', html).group(0)
    assert 'method="get"' in form
    assert f'action="{reverse("features:catalog")}"' in form
    assert 'form="filters"' in re.search(r'<input type="search"[^>]*>', html).group(0)
    assert "<noscript><button" in html


def test_pagination_keeps_the_filters(client, db):
    from tests.factories import FeatureFactory

    FeatureFactory.create_batch(45, status="ga")
    response = client.get(CATALOG, {"status": "ga", "page": 2})
    assert response.context["page"].number == 2
    assert len(names(response)) == 20
    assert "?status=ga&amp;page=3" in response.content.decode()


# Bad input: a clear answer, never a 500 ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "bogus"}, "There is no release status “bogus”."),
        ({"status": ["ga", "bogus"]}, "There is no release status “bogus”."),
        ({"area": "nowhere"}, "There is no area “nowhere”."),
        ({"session": "XYZ999"}, "There is no session “XYZ999”."),
        ({"q": "a b c d e f g h i j k"}, "Search with at most 10 words."),
        ({"event": "nope"}, "There is no event “nope”."),
        ({"sort": "password"}, "Results cannot be sorted by “password”."),
        ({"page": "abc"}, "“abc” is not a page number; showing page 1."),
        ({"page": "0"}, "There is no page 0; showing page 1."),
        ({"page": "-3"}, "There is no page -3; showing page 1."),
        ({"page": "999"}, "There is no page 999; showing the last page, 1."),
        ({"q": "x" * 2000}, "Search text can be at most 200 characters long."),
    ],
)
def test_bad_input_is_explained_on_a_working_page(client, launch_content, query, message):
    response = client.get(CATALOG, query)
    assert response.status_code == 200
    assert message in [str(problem) for problem in response.context["problems"]]
    assert 'role="alert"' in response.content.decode()


def test_an_invalid_filter_is_left_out_and_the_others_still_apply(client, launch_content):
    response = client.get(CATALOG, {"status": "bogus", "area": "fleet"})
    assert len(names(response)) == 4


@pytest.mark.parametrize(
    ("name", "good", "bad", "expected"),
    [
        ("status", "ga", "bogus", 4),
        ("area", "fleet", "nope", 4),
        ("session", "brk120", "brk999", 13),
    ],
)
def test_a_bad_value_does_not_void_the_good_values_beside_it(
    client, launch_content, name, good, bad, expected
):
    response = client.get(CATALOG, {name: [good, bad]})
    assert len(names(response)) == expected
    assert [chip.label.lower() for chip in response.context["chips"]] == [good]
    assert len(response.context["problems"]) == 1 and bad in response.context["problems"][0]


def test_every_bad_value_is_named_up_to_a_limit(client, launch_content):
    response = client.get(CATALOG, {"status": [f"bogus{i}" for i in range(8)]})
    assert response.context["problems"] == [
        *(f"There is no release status “bogus{i}”." for i in range(5)),
        "…and 3 more values that do not exist.",
    ]


def test_repeated_and_differently_cased_values_count_once(client, launch_content):
    response = client.get(
        CATALOG,
        {"status": ["ga"] * 50 + ["GA", " Ga "], "session": ["brk120", "BRK120"]},
        follow=True,
    )
    assert [chip.label for chip in response.context["chips"]] == ["GA", "BRK120"]
    assert response.context["problems"] == []
    assert len(names(response)) == 4


def test_search_reads_text_as_the_reader_sees_it(client, launch_content):
    plain = names(client.get(CATALOG, {"q": "dns"}))
    assert plain
    # (A NUL is refused site-wide with a 400: tests/ignite/test_security.py.)
    for variant in ("ＤＮＳ", "\u202edns\u202c", "d\u200bns", " dns "):
        assert names(client.get(CATALOG, {"q": variant})) == plain, variant


def test_search_finds_area_names_in_either_language(client, launch_content):
    security = sorted(names(client.get(CATALOG, {"area": "security"})))
    assert sorted(names(client.get(CATALOG, {"q": "security"}))) == security
    assert sorted(names(client.get("/ja/features/", {"q": "セキュリティ"}))) == security


def test_unknown_parameters_are_dropped_from_the_address(client, launch_content):
    response = client.get(CATALOG, {"utm_source": "mail", "status": ["ga", "ga"]})
    assert response.status_code == 302
    assert response["Location"] == "/en/features/?status=ga"


@pytest.mark.parametrize(
    "text",
    [
        "\u202eevil",
        "🚀 dns",
        "ｄｎｓ",
        "%",
        "_",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "ẞ" * 199,
    ],
)
def test_odd_unicode_and_hostile_search_text(client, launch_content, text):
    response = client.get(CATALOG, {"q": text})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
