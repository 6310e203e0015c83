"""A translation that may lag behind the other language is marked, per field, until reviewed."""

import pytest
from django.urls import reverse
from django.utils import translation

from features.models import Feature
from ignite.translation_review import stale_marks
from sessions.models import KeyPoint
from tests.factories import DocLinkFactory, FeatureFactory, KeyPointFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def both(**texts):
    return FeatureFactory(
        summary_en="Logs of container traffic.",
        summary_ja="コンテナー間の通信のログです。",
        body_en="Body.",
        body_ja="本文。",
        **texts,
    )


def saved(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    obj.refresh_from_db()
    return obj.stale_translations


def test_changing_the_english_marks_the_japanese_of_that_field_only():
    feature = both()
    assert saved(feature, summary_en="Logs of the traffic between containers.") == ["summary.ja"]


def test_rewriting_the_marked_language_clears_the_mark():
    feature = both()
    saved(feature, summary_en="New English.")
    assert saved(feature, summary_ja="新しい日本語。") == []


def test_changing_both_languages_together_marks_neither():
    feature = both()
    assert saved(feature, summary_en="New English.", summary_ja="新しい日本語。") == []


def test_a_change_of_the_japanese_marks_the_english():
    feature = both()
    assert saved(feature, body_ja="書き直した本文。") == ["body.en"]


def test_a_language_without_text_is_not_marked():
    feature = FeatureFactory(summary_en="English only.", summary_ja="")
    assert saved(feature, summary_en="Still English only.") == []


def test_emptying_a_marked_text_clears_its_mark():
    feature = both()
    saved(feature, summary_en="New English.")
    assert saved(feature, summary_ja="") == []


def test_saving_without_a_change_keeps_marks():
    feature = both()
    saved(feature, summary_en="New English.")
    assert saved(feature, name="Renamed") == ["summary.ja"]


def test_children_are_marked_too():
    link = DocLinkFactory(title_en="Docs", title_ja="ドキュメント")
    assert saved(link, title_en="Documentation") == ["title.ja"]


def test_the_rule_for_any_pair_of_texts():
    before = {"summary_en": "a", "summary_ja": "b"}
    assert stale_marks(["summary"], before, {"summary_en": "A", "summary_ja": "b"}, []) == [
        "summary.ja"
    ]
    assert stale_marks(["summary"], before, {"summary_en": "", "summary_ja": "b"}, []) == []
    assert stale_marks(["summary"], before, before, ["summary.ja"]) == ["summary.ja"]


def test_a_history_revert_of_the_english_marks_the_japanese(superuser_client):
    feature = both()
    saved(feature, summary_en="Second English.", summary_ja="二番目の日本語。")
    first = feature.history.earliest()
    url = reverse("admin:features_feature_simple_history", args=[feature.pk, first.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {
        "summary_ja": "二番目の日本語。",
        "status": feature.status,
        "area": feature.area_id,
        "session": feature.session_id,
    }
    data |= {
        f"{prefix}-{key}": value
        for prefix in ("doc_links", "status_changes", "material_updates")
        for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    feature.refresh_from_db()
    assert feature.summary_en == "Logs of container traffic."
    assert feature.stale_translations == ["summary.ja"]


# Editors see and clear the marks ------------------------------------------------------------


def test_the_admin_form_badges_a_stale_field_and_lets_the_editor_clear_it(editor_client):
    feature = both()
    saved(feature, summary_en="New English.")
    url = reverse("admin:features_feature_change", args=[feature.pk])
    response = editor_client.get(url)
    html = response.content.decode()
    assert "Needs review: the other language changed after this was written." in html
    form = response.context["adminform"].form
    assert "needs-review" in form.fields["summary_ja"].widget.attrs["class"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name != "reviewed_translations"
    }
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    data |= {
        f"{prefix}-{key}": value
        for prefix in ("doc_links", "status_changes", "material_updates")
        for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
    }
    data["reviewed_translations"] = ["summary.ja"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    feature.refresh_from_db()
    assert feature.stale_translations == []


def test_the_feature_list_filters_stale_translations(editor_client):
    stale, fresh = both(name="Stale one"), both(name="Fresh one")
    saved(stale, summary_en="New English.")
    listing = editor_client.get(
        reverse("admin:features_feature_changelist"), {"translation": "stale"}
    )
    assert [f.pk for f in listing.context["cl"].result_list] == [stale.pk]
    assert fresh.pk not in [f.pk for f in listing.context["cl"].result_list]


# Readers see a discreet marker ---------------------------------------------------------------


def test_japanese_readers_see_where_the_japanese_may_lag(client):
    feature = both()
    saved(feature, summary_en="New English.")
    with translation.override("ja"):
        url = feature.get_absolute_url()
    html = client.get(url).content.decode()
    assert "翻訳を確認中" in visible_text(html)
    english = visible_text(client.get(f"/en{url[3:]}").content.decode())
    assert "Translation being reviewed" not in english


def test_key_points_are_tracked_like_any_text():
    point = KeyPointFactory(text_en="A point.", text_ja="要点。")
    assert saved(point, text_ja="書き直した要点。") == ["text.en"]
    assert KeyPoint.objects.exclude(stale_translations=[]).count() == 1
    assert Feature.objects.exclude(stale_translations=[]).count() == 0


def test_catching_up_does_not_mark_the_language_it_caught_up_with():
    feature = both()
    saved(feature, summary_en="New English.")
    assert saved(feature, summary_ja="追いついた日本語。") == []
    assert saved(feature, summary_ja="さらに書き直した日本語。") == ["summary.en"]
