"""Only a Publisher changes what the public sees, whichever path the change takes.

One matrix: role × action × path (× kind of content where the path serves every kind). Each case
makes its own rows, tries the action through the path as the role, and checks what is stored
afterwards. Publishers and superusers may do everything; an Editor may edit published content
but not publish, unpublish, delete published content or move it on or off the site.
"""

import datetime
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from ignite.publishing import PublicationState
from tests.admin_forms import admin_url, page_data, post_change_form, revert
from tests.factories import (
    ComparisonFactory,
    EventFactory,
    FeatureFactory,
    KeyPointFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)
from tests.features.conftest import database_snapshot, export

pytestmark = pytest.mark.django_db

ROLES = ["editor", "publisher", "superuser"]
FACTORIES = {
    "event": EventFactory,
    "speaker": SpeakerFactory,
    "session": SessionFactory,
    "feature": FeatureFactory,
    "comparison": ComparisonFactory,
}
SECTIONS = {name: f"{name}s" for name in FACTORIES}
PUBLISHED, DRAFT = PublicationState.PUBLISHED, PublicationState.DRAFT


# The paths -------------------------------------------------------------------------------------


def via_form(client, obj, tmp_path, **changes):
    """The change form, with every inline posted back as shown."""
    values = {name: getattr(value, "pk", value) for name, value in changes.items()}
    return post_change_form(client, obj, **values)


def via_history_revert(client, obj, tmp_path, **changes):
    """History → Revert to a version that had `changes`: the row is first saved with them
    (by an operator, outside any request), then changed back to what it is now."""
    now = {name: getattr(obj, name) for name in changes}
    first_published_at = obj.first_published_at
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    version = obj.history.first()
    for name, value in now.items():
        setattr(obj, name, value)
    obj.first_published_at = first_published_at
    obj.save()
    return revert(client, obj, version)


def via_action(action: str):
    def run(client, obj, tmp_path, **changes):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
        data = {"action": action, "_selected_action": [obj.pk], "index": 0, "post": "yes"}
        return client.post(url, data)

    run.__name__ = f"action {action}"
    return run


def via_import(client, obj, tmp_path, *, prune: bool = False, **changes):
    """import_content --user <the role's user> with a complete export changed as asked."""
    document = json.loads(export("--include-drafts"))
    section = document[SECTIONS[obj._meta.model_name]]
    item = next(entry for entry in section if entry["slug"] == obj.slug)
    if changes.pop("delete", False):
        section.remove(item)
    for name, value in changes.items():
        item[name] = value.slug if hasattr(value, "slug") else value
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    user = client.session["_auth_user_id"]
    from django.contrib.auth import get_user_model

    username = get_user_model().objects.get(pk=user).get_username()
    options = ["--prune"] if prune else []
    try:
        call_command("import_content", str(path), "--user", username, *options, stdout=StringIO())
    except CommandError as error:
        return str(error)
    return "imported"


def via_delete_view(client, obj, tmp_path):
    return client.post(admin_url(obj, "delete"), {"post": "yes"})


def via_delete_action(client, obj, tmp_path):
    return via_action("delete_selected")(client, obj, tmp_path)


def via_prune(client, obj, tmp_path):
    return via_import(client, obj, tmp_path, prune=True, delete=True)


# The actions -----------------------------------------------------------------------------------


def publish(kind: str, path: Callable, tmp_path, client) -> bool:
    obj = FACTORIES[kind](draft=True)
    path(client, obj, tmp_path, state=PUBLISHED)
    obj.refresh_from_db()
    return obj.is_published


def unpublish(kind: str, path: Callable, tmp_path, client) -> bool:
    obj = FACTORIES[kind]()
    path(client, obj, tmp_path, state=DRAFT)
    obj.refresh_from_db()
    return obj.is_draft


def delete_published(kind: str, path: Callable, tmp_path, client) -> bool:
    obj = FACTORIES[kind]()
    path(client, obj, tmp_path)
    return not type(obj).objects.filter(pk=obj.pk).exists()


def move_published_session_into_a_draft_event(kind, path, tmp_path, client) -> bool:
    session = SessionFactory()
    draft_event = EventFactory(draft=True)
    path(client, session, tmp_path, event=draft_event)
    session.refresh_from_db()
    return session.event == draft_event


def move_hidden_session_into_a_published_event(kind, path, tmp_path, client) -> bool:
    """A published session of a draft event is not on the site; in a published event it is."""
    session = SessionFactory(event=EventFactory(draft=True))
    public_event = EventFactory()
    path(client, session, tmp_path, event=public_event)
    session.refresh_from_db()
    return session.event == public_event


PUBLISHER_ONLY = [
    *[(publish, kind, via_form) for kind in FACTORIES],
    *[(publish, kind, via_history_revert) for kind in FACTORIES],
    *[(publish, kind, via_action("publish_selected")) for kind in FACTORIES],
    (publish, "feature", via_import),
    (publish, "session", via_import),
    *[(unpublish, kind, via_form) for kind in FACTORIES],
    *[(unpublish, kind, via_history_revert) for kind in FACTORIES],
    *[(unpublish, kind, via_action("unpublish_selected")) for kind in FACTORIES],
    (unpublish, "feature", via_import),
    (unpublish, "event", via_import),
    *[(delete_published, kind, via_delete_view) for kind in FACTORIES],
    *[(delete_published, kind, via_delete_action) for kind in FACTORIES],
    (delete_published, "feature", via_prune),
    (delete_published, "speaker", via_prune),
    (move_published_session_into_a_draft_event, "session", via_form),
    (move_published_session_into_a_draft_event, "session", via_history_revert),
    (move_published_session_into_a_draft_event, "session", via_import),
    (move_hidden_session_into_a_published_event, "session", via_form),
    (move_hidden_session_into_a_published_event, "session", via_history_revert),
    (move_hidden_session_into_a_published_event, "session", via_import),
]


def _case_id(case) -> str:
    action, kind, path = case
    return f"{action.__name__}-{kind}-{path.__name__.removeprefix('via_')}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", PUBLISHER_ONLY, ids=[_case_id(c) for c in PUBLISHER_ONLY])
def test_only_a_publisher_changes_what_the_public_sees(request, client, tmp_path, role, case):
    action, kind, path = case
    client.force_login(request.getfixturevalue(role))
    happened = action(kind, path, tmp_path, client)
    assert happened is (role != "editor")


# Editing published content stays every role's job, on every path --------------------------


def edit_text(path, tmp_path, client) -> bool:
    feature = FeatureFactory(summary_en="Old words.")
    if path is via_import:
        path(client, feature, tmp_path, summary={"en": "New words.", "ja": ""})
    else:
        path(client, feature, tmp_path, summary_en="New words.")
    feature.refresh_from_db()
    return feature.summary_en == "New words." and feature.is_published


def edit_key_points_inline(path, tmp_path, client) -> bool:
    """The session's inline: add a key point to a published session."""
    session = SessionFactory()
    KeyPointFactory(session=session, order=1, text_en="First point.")
    url = admin_url(session, "change")
    data = page_data(client.get(url))
    data.update(
        {
            "key_points-TOTAL_FORMS": 2,
            "key_points-1-order": 2,
            "key_points-1-text_en": "Second point.",
        }
    )
    client.post(url, data)
    return list(session.key_points.values_list("text_en", flat=True)) == [
        "First point.",
        "Second point.",
    ]


def change_release_status(path, tmp_path, client) -> bool:
    feature = FeatureFactory(status="public-preview")
    via_action("change_status")(client, feature, tmp_path)
    client.post(
        reverse("admin:features_feature_changelist"),
        {
            "action": "change_status",
            "_selected_action": [feature.pk],
            "apply": "1",
            "status": "ga",
            "date": "2026-02-01",
        },
    )
    feature.refresh_from_db()
    return feature.status == "ga" and feature.is_published


def record_release_status(path, tmp_path, client) -> bool:
    """A feature's page → Record a status change."""
    feature = FeatureFactory(status="public-preview")
    client.post(admin_url(feature, "record_status"), {"status": "ga", "date": "2026-02-01"})
    feature.refresh_from_db()
    return feature.status == "ga" and feature.is_published


def fix_a_status_entry(path, tmp_path, client) -> bool:
    """A feature's page → the status history → Fix, on a published feature."""
    feature = FeatureFactory(status="public-preview")
    entry = feature.record_status("ga", datetime.date(2026, 2, 1))
    client.post(
        admin_url(feature, "fix_status", entry.pk),
        {"status": "public-preview", "date": "2026-02-01", "note_en": "It was not GA."},
    )
    feature.refresh_from_db()
    return feature.status == "public-preview" and feature.is_published


def revert_text(path, tmp_path, client) -> bool:
    feature = FeatureFactory(summary_en="New words.")
    via_history_revert(client, feature, tmp_path, summary_en="Old words.")
    feature.refresh_from_db()
    return feature.summary_en == "Old words." and feature.is_published


EVERY_ROLE = [
    (edit_text, via_form),
    (edit_text, via_import),
    (edit_key_points_inline, None),
    (change_release_status, None),
    (record_release_status, None),
    (fix_a_status_entry, None),
    (revert_text, None),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "path"),
    EVERY_ROLE,
    ids=[f"{a.__name__}-{getattr(p, '__name__', '')}" for a, p in EVERY_ROLE],
)
def test_every_role_edits_published_content(request, client, tmp_path, role, action, path):
    client.force_login(request.getfixturevalue(role))
    assert action(path, tmp_path, client) is True


# What a refusal looks like ---------------------------------------------------------------------


def test_a_refused_revert_says_why_next_to_the_field(editor_client, tmp_path):
    session = SessionFactory()
    draft_event = EventFactory(
        draft=True, start_date=datetime.date(2030, 1, 1), end_date=datetime.date(2030, 1, 2)
    )
    response = via_history_revert(editor_client, session, tmp_path, event=draft_event)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "only a publisher may decide" in str(errors["event"])


def test_a_refused_import_names_the_row_and_writes_nothing(editor_client, tmp_path):
    feature = FeatureFactory(draft=True)
    before = database_snapshot()
    message = via_import(editor_client, feature, tmp_path, state=PUBLISHED)
    assert "role does not allow this import; nothing was imported" in message
    assert f"“{feature.name}”: Only a publisher may publish or unpublish." in message
    assert database_snapshot() == before


def test_an_import_without_a_user_is_the_operators(tmp_path):
    feature = FeatureFactory(draft=True)
    document = json.loads(export("--include-drafts"))
    document["features"][0]["state"] = PUBLISHED
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document))
    call_command("import_content", str(path), stdout=StringIO())
    feature.refresh_from_db()
    assert feature.is_published


@pytest.mark.parametrize("view", ["record_status", "fix_status"])
def test_recording_a_status_asks_the_change_permission_on_every_path(client, view):
    """Someone who may only read features is refused by the record view, its fix view and the
    bulk action alike, and nothing is written."""
    reader = UserFactory()
    reader.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(reader)
    feature = FeatureFactory(status="public-preview")
    entry = feature.record_status("public-preview", datetime.date(2025, 11, 17))
    args = [entry.pk] if view == "fix_status" else []
    response = client.post(admin_url(feature, view, *args), {"status": "ga", "date": "2026-02-01"})
    assert response.status_code == 403
    client.post(
        reverse("admin:features_feature_changelist"),
        {
            "action": "change_status",
            "_selected_action": [feature.pk],
            "apply": "1",
            "status": "ga",
            "date": "2026-02-01",
        },
    )
    feature.refresh_from_db()
    assert feature.status == "public-preview"
    assert list(feature.status_changes.values_list("status", flat=True)) == ["public-preview"]
