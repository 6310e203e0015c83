"""The newsroom workflow: drafts stay private, publishing is a Publisher's call, all is traced."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.urls import reverse

from features.models import Feature
from ignite.publishing import PublicationState
from ignite.roles import EDITOR, PUBLISHER, sync_roles
from sessions.models import Session
from tests.crawl import sitemap_text
from tests.factories import (
    ComparisonFactory,
    EventFactory,
    FeatureFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
)
from tests.features.conftest import export
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "publisher", "superuser"]


@pytest.fixture
def as_role(client, request):
    """A client signed in as the given role (or not signed in)."""

    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in


def changelist(model: str) -> str:
    return reverse(f"admin:features_{model}_changelist")


def run_action(client, model: str, action: str, objects, **extra):
    return client.post(
        changelist(model),
        {"action": action, "_selected_action": [o.pk for o in objects], "index": 0, **extra},
    )


# Drafts are invisible to the public --------------------------------------------------------


def test_a_draft_feature_is_nowhere_public(client, launch_content):
    draft = FeatureFactory(
        name="Secret Draft Feature",
        slug="secret",
        status="ga",
        draft=True,
        session=Session.objects.get(code="BRK120"),
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    catalog = client.get("/en/features/")
    assert "Secret Draft Feature" not in catalog.content.decode()
    assert {o.value: o.count for o in catalog.context["facets"]["status"]}["ga"] == 4
    assert "4 GA · 8 Public Preview · 1 Preview" in visible_text(
        client.get("/en/").content.decode()
    )
    assert "Secret Draft Feature" not in client.get("/en/features/feed/").content.decode()
    assert "/secret/" not in sitemap_text(client)
    assert (
        "/en/features/?q=secret"
        and client.get("/en/features/", {"q": "secret"}).context["page"].paginator.count == 0
    )
    for fmt in ("json", "csv", "markdown"):
        assert "Secret Draft Feature" not in export("--format", fmt)
    assert "Secret Draft Feature" in export("--include-drafts")


def test_draft_sessions_speakers_events_and_comparisons_stay_hidden(client, launch_content):
    session = SessionFactory(code="BRK999", slug="brk999", title="Hidden session", draft=True)
    speaker = SpeakerFactory(name="Hidden Speaker", draft=True)
    SessionSpeakerFactory(session=Session.objects.get(code="BRK120"), speaker=speaker)
    ComparisonFactory(
        title_en="Hidden comparison", session=Session.objects.get(code="BRK120"), draft=True
    )
    feature = FeatureFactory(name="Visible feature", session=session)
    draft_event = EventFactory(
        name_en="Hidden Event 2030",
        start_date=datetime.date(2030, 1, 1),
        end_date=datetime.date(2030, 1, 2),
        draft=True,
    )
    SessionFactory(event=draft_event, code="KEY1", slug="key1", title="Session of a draft event")

    assert client.get("/en/sessions/brk999/").status_code == 404
    assert client.get("/en/sessions/key1/").status_code == 404
    assert client.get(speaker.get_absolute_url()).status_code == 404
    assert client.get(draft_event.get_absolute_url()).status_code == 404
    pages = "".join(
        client.get(path).content.decode()
        for path in (
            "/en/",
            "/en/sessions/",
            "/en/speakers/",
            "/en/sessions/brk120/",
            "/en/comparisons/",
            "/en/features/",
        )
    )
    for secret in (
        "Hidden session",
        "Hidden Speaker",
        "Hidden comparison",
        "Hidden Event 2030",
        "BRK999",
        "KEY1",
    ):
        assert secret not in pages
    # A published feature of a draft session is shown, without a link to the session.
    feature_page = client.get(feature.get_absolute_url()).content.decode()
    assert "brk999" not in feature_page.lower()


# Preview --------------------------------------------------------------------------------------


def test_editors_preview_drafts_on_the_site_clearly_marked(client, editor, launch_content):
    draft = FeatureFactory(name="Coming Soon", slug="coming-soon", draft=True)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Preview mode" in text and "Draft" in text
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Coming Soon" in client.get("/en/features/").content.decode()


def test_a_user_without_the_preview_permission_does_not_see_drafts(client, launch_content):
    draft = FeatureFactory(draft=True)
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_view_on_site_from_the_admin_opens_a_draft(client, editor):
    draft = FeatureFactory(draft=True)
    client.force_login(editor)
    change_page = client.get(reverse("admin:features_feature_change", args=[draft.pk]))
    link = re.search(r'<a href="([^"]+)" class="viewsitelink"', change_page.content.decode())
    assert link.group(1) == draft.get_absolute_url()
    assert client.get(link.group(1)).status_code == 200


# Publishing is a Publisher's call, enforced on the server --------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_publish_action(as_role, role):
    drafts = FeatureFactory.create_batch(2, draft=True)
    run_action(as_role(role), "feature", "publish_selected", drafts)
    published = Feature.objects.published().count()
    assert published == (2 if role in ("publisher", "superuser") else 0)
    if published:
        assert all(f.first_published_at for f in Feature.objects.all())


def test_an_editor_is_told_why_publishing_is_refused(editor_client):
    draft = FeatureFactory(draft=True)
    response = run_action(editor_client, "feature", "publish_selected", [draft])
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Only publishers may publish or unpublish."]
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("role", ROLES)
def test_unpublish_action(as_role, role):
    features = FeatureFactory.create_batch(2)
    run_action(as_role(role), "feature", "unpublish_selected", features)
    drafts = Feature.objects.drafts().count()
    assert drafts == (2 if role in ("publisher", "superuser") else 0)


@pytest.mark.parametrize("role", ROLES)
def test_deleting_published_content(as_role, role):
    feature = FeatureFactory()
    client = as_role(role)
    response = client.post(
        reverse("admin:features_feature_delete", args=[feature.pk]), {"post": "yes"}
    )
    allowed = role in ("publisher", "superuser")
    assert Feature.objects.filter(pk=feature.pk).exists() is not allowed
    if role == "editor":
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_deleting_a_draft(as_role, role):
    draft = FeatureFactory(draft=True)
    as_role(role).post(reverse("admin:features_feature_delete", args=[draft.pk]), {"post": "yes"})
    assert Feature.objects.filter(pk=draft.pk).exists() is (role == "anonymous")


def test_an_editor_cannot_bulk_delete_published_content(editor_client):
    features = [FeatureFactory(draft=True), FeatureFactory()]
    response = run_action(editor_client, "feature", "delete_selected", features, post="yes")
    assert response.status_code == 403
    assert Feature.objects.count() == 2


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_the_change_form_cannot_publish_without_permission(as_role, role):
    draft = FeatureFactory(draft=True)
    client = as_role(role)
    url = reverse("admin:features_feature_change", args=[draft.pk])
    form = client.get(url).context["adminform"].form
    data = {**_form_data(form), "state": "published", **_empty_inlines()}
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    draft.refresh_from_db()
    assert draft.state == ("published" if role == "publisher" else "draft")


def test_a_new_feature_from_an_editor_is_a_draft(editor_client):
    template = FeatureFactory()
    data = {
        "name": "Brand new",
        "slug": "brand-new",
        "status": "preview",
        "area": template.area.pk,
        "summary_en": "New.",
        "state": "published",
        **_empty_inlines(),
    }
    response = editor_client.post(reverse("admin:features_feature_add"), data)
    assert response.status_code == 302
    assert Feature.objects.get(slug="brand-new").state == PublicationState.DRAFT


def test_reverting_history_cannot_publish_for_an_editor(editor_client):
    feature = FeatureFactory()  # published, then taken back to draft by a publisher
    feature.unpublish()
    feature.save()
    _revert(editor_client, feature, feature.history.order_by("history_id").first())
    assert feature.state == "draft"


@pytest.mark.parametrize("role", ROLES)
def test_change_status_action_records_history(as_role, role):
    feature = FeatureFactory(status="public-preview")
    response = run_action(
        as_role(role),
        "feature",
        "change_status",
        [feature],
        apply="1",
        status="ga",
        date="2026-02-01",
        note_en="Now GA",
        note_ja="GA になりました",
    )
    feature.refresh_from_db()
    if role == "anonymous":
        assert feature.status == "public-preview"
        return
    assert response.status_code == 302
    assert feature.status == "ga"
    change = feature.status_changes.get()
    assert (change.status, change.date, change.note_ja) == (
        "ga",
        datetime.date(2026, 2, 1),
        "GA になりました",
    )
    record = feature.history.first()
    assert (record.status, record.history_change_reason) == ("ga", "change release status")
    assert record.history_user_id == int(as_role(role).session["_auth_user_id"])
    assert [c.field for c in record.diff_against(record.prev_record).changes] == ["status"]


def test_change_status_asks_for_the_date_first(editor_client):
    feature = FeatureFactory()
    response = run_action(editor_client, "feature", "change_status", [feature])
    assert response.status_code == 200
    assert "Record the change" in response.content.decode()
    assert feature.status_changes.count() == 0


def _change_feature(client, feature, **changes):
    url = reverse("admin:features_feature_change", args=[feature.pk])
    data = {**_form_data(client.get(url).context["adminform"].form), **_empty_inlines()}
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    feature.refresh_from_db()
    return response


# Roles -----------------------------------------------------------------------------------------


def test_groups_exist_after_migrate_and_syncing_again_changes_nothing():
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    sync_roles()
    call_command("sync_roles", stdout=StringIO())
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert before == after
    assert set(after) == {EDITOR, PUBLISHER}
    assert "publish_feature" not in after[EDITOR]
    assert {"add_feature", "change_feature", "delete_feature", "preview_drafts"} <= after[EDITOR]
    assert {"publish_feature", "publish_session", "publish_comparison", "delete_area"} <= after[
        PUBLISHER
    ]
    assert after[EDITOR] < after[PUBLISHER]


def test_every_publish_permission_belongs_to_the_publisher():
    publish = set(
        Permission.objects.filter(codename__startswith="publish_").values_list(
            "codename", flat=True
        )
    )
    assert publish == {
        f"publish_{m}" for m in ("event", "speaker", "session", "feature", "comparison")
    }
    assert publish <= set(
        Group.objects.get(name=PUBLISHER).permissions.values_list("codename", flat=True)
    )


# History ---------------------------------------------------------------------------------------


def test_admin_changes_are_recorded_field_by_field_and_can_be_restored(editor_client, editor):
    feature = FeatureFactory(summary_en="First wording.")
    url = reverse("admin:features_feature_change", args=[feature.pk])
    form = editor_client.get(url).context["adminform"].form
    editor_client.post(
        url, {**_form_data(form), "summary_en": "Second wording.", **_empty_inlines()}
    )
    latest = feature.history.first()
    assert latest.history_user == editor
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["summary_en"]

    history = editor_client.get(reverse("admin:features_feature_history", args=[feature.pk]))
    assert [r.history_id for r in history.context["page_obj"]][:1] == [latest.history_id]
    assert "First wording. → Second wording." in visible_text(history.content.decode())

    _revert(editor_client, feature, latest.prev_record)
    assert feature.summary_en == "First wording."
    assert feature.history.first().history_user == editor


def test_a_change_of_related_features_is_in_the_history(editor_client):
    feature, other = FeatureFactory(), FeatureFactory()
    _change_feature(editor_client, feature, related=[other.pk])
    record = feature.history.first()
    changes = record.diff_against(record.prev_record).changes
    assert [c.field for c in changes] == ["related"]
    assert [row["to_feature"] for row in changes[0].new] == [other.pk]


def test_history_of_inline_children_is_kept(superuser_client):
    from features.models import DocLink

    feature = FeatureFactory()
    DocLink.objects.create(feature=feature, title_en="Docs", url="https://example.com/a")
    DocLink.objects.get().delete()
    assert list(DocLink.history.values_list("history_type", flat=True)) == ["-", "+"]


# Slugs stay stable once published -----------------------------------------------------------


def test_renaming_a_published_slug_keeps_the_old_address(client):
    feature = FeatureFactory(slug="old-name")
    feature.slug = "new-name"
    feature.save()
    for language in ("en", "ja"):
        response = client.get(f"/{language}/features/old-name/")
        assert response.status_code == 301
        assert response["Location"] == f"/{language}/features/new-name/"
    feature.slug = "newest-name"
    feature.save()
    assert client.get("/en/features/old-name/")["Location"] == "/en/features/newest-name/"
    assert client.get("/en/features/new-name/")["Location"] == "/en/features/newest-name/"
    feature.slug = "old-name"
    feature.save()
    assert client.get("/en/features/old-name/").status_code == 200
    assert client.get("/en/features/newest-name/")["Location"] == "/en/features/old-name/"


def test_an_editor_cannot_take_a_published_session_off_the_site_by_moving_it(as_role):
    session = SessionFactory()
    draft_event = EventFactory(draft=True)
    for role, allowed in (("editor", False), ("publisher", True)):
        client = as_role(role)
        response = _post_session_change(client, session, event=draft_event.pk)
        session.refresh_from_db()
        assert (session.event == draft_event) is allowed, role
        if not allowed:
            assert "only a publisher may decide" in str(response.context["adminform"].form.errors)
        client.logout()


def test_an_editor_still_edits_a_published_session_of_a_draft_event(editor_client):
    session = SessionFactory(event=EventFactory(draft=True), title="Typo in the titel")
    response = _post_session_change(editor_client, session, title="Typo in the title")
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Typo in the title"


def test_key_points_get_a_markdown_preview_in_the_admin(superuser_client):
    from tests.factories import KeyPointFactory

    point = KeyPointFactory(text_en="A **key** point")
    html = superuser_client.get(
        reverse("admin:ignite_sessions_session_change", args=[point.session.pk])
    ).content.decode()
    assert re.search(r'class="markdown-preview"[^>]*><p>A <strong>key</strong> point</p>', html)


def test_inline_inputs_are_labelled_for_screen_readers(superuser_client):
    from tests.factories import comparison_grid

    comparison = comparison_grid(rows=1, columns=2)
    html = superuser_client.get(
        reverse("admin:features_comparison_change", args=[comparison.pk])
    ).content.decode()
    grid_inputs = re.findall(r"<(?:input|textarea|select)[^>]*name=\"rows-0-[^\"]+\"[^>]*>", html)
    assert grid_inputs
    labelled_ids = set(re.findall(r'<label[^>]*for="([^"]+)"', html))

    def labelled(tag: str) -> bool:
        found = re.search(r'id="([^"]+)"', tag)
        return "aria-label=" in tag or (found is not None and found.group(1) in labelled_ids)

    unlabelled = [tag for tag in grid_inputs if 'type="hidden"' not in tag and not labelled(tag)]
    assert unlabelled == []


def test_renaming_a_draft_leaves_no_redirect():
    draft = FeatureFactory(slug="draft-name", draft=True)
    draft.slug = "better-name"
    draft.save()
    assert Redirect.objects.count() == 0


def test_renamed_sessions_and_speakers_redirect_too(client):
    session = SessionFactory(slug="brk1")
    session.slug = "brk1-2025"
    session.save()
    assert client.get("/en/sessions/brk1/")["Location"] == "/en/sessions/brk1-2025/"


# Editing comfort -------------------------------------------------------------------------------


def test_markdown_preview_renders_like_the_site(editor_client, client):
    url = reverse("markdown_preview")

    def preview(field: str, data: dict) -> str:
        headers = {"HX-Request": "true", "HX-Trigger-Name": field}
        return editor_client.post(url, data, headers=headers).content.decode().strip()

    # The whole admin form is posted; the field that asked is the one previewed.
    form = {"summary_en": "**bold** <script>x</script>", "summary_ja": "*other*"}
    assert preview("summary_en", form) == "<p><strong>bold</strong> </p>"
    assert (
        preview("key_points-7-text_en", {"key_points-7-text_en": "*new*"}) == "<p><em>new</em></p>"
    )
    assert preview("missing", form) == ""
    assert editor_client.post(url, form).content == b""  # not from htmx: nothing to preview
    assert preview("body_en", {"body_en": "a" * 30_000}).count("a") == 20_000
    assert editor_client.get(url).status_code == 405
    client.logout()
    assert client.post(url, {"x": "y"}).status_code == 302


def test_change_form_shows_a_rendered_preview(superuser_client):
    feature = FeatureFactory(summary_en="Some **strong** words")
    html = superuser_client.get(
        reverse("admin:features_feature_change", args=[feature.pk])
    ).content.decode()
    assert re.search(
        r'class="markdown-preview"[^>]*><p>Some <strong>strong</strong> words</p>', html
    )


def test_lists_show_state_status_and_last_change_with_a_state_filter(superuser_client):
    FeatureFactory(name="Draft one", draft=True)
    FeatureFactory(name="Live one")
    response = superuser_client.get(changelist("feature"), {"state": "draft"})
    assert [f.name for f in response.context["cl"].result_list] == ["Draft one"]
    headers = visible_text(response.content.decode())
    for column in ("Release status", "State", "Last changed"):
        assert column.lower() in headers.lower()


# helpers ---------------------------------------------------------------------------------------


def _form_data(form) -> dict:
    """The values a browser would post back for an unchanged admin form."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple | set) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            data[name] = [getattr(v, "pk", v) for v in items]
        else:
            data[name] = value
    return data


def _revert(client, feature, record) -> None:
    """Open a historical version in the admin and save it, as "Revert" does."""
    url = reverse("admin:features_feature_simple_history", args=[feature.pk, record.history_id])
    client.post(url, _form_data(client.get(url).context["adminform"].form))
    feature.refresh_from_db()


def _post_session_change(client, session, **changes):
    """Post a session's admin form back with some fields changed (and its inlines untouched)."""
    url = reverse("admin:ignite_sessions_session_change", args=[session.pk])
    form = client.get(url).context["adminform"].form
    inlines = _empty_inlines("appearances", "key_points")
    return client.post(url, {**_form_data(form), **inlines, **changes})


def _empty_inlines(*prefixes: str) -> dict:
    return {
        f"{prefix}-{key}": value
        for prefix in prefixes or ("doc_links", "status_changes", "material_updates")
        for key, value in (
            ("TOTAL_FORMS", 0),
            ("INITIAL_FORMS", 0),
            ("MIN_NUM_FORMS", 0),
            ("MAX_NUM_FORMS", 1000),
        )
    }
