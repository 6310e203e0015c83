"""The two editorial groups, kept in step with the code after every `migrate`.

Editor: creates and edits content, previews drafts; may delete drafts but not published content
and cannot publish. Publisher: everything an editor can, plus publishing, unpublishing and
deleting anything. The admin enforces the draft-only delete on the server (ignite.admin).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from ignite.history import is_history_model

EDITOR = "Editor"
PUBLISHER = "Publisher"
CONTENT_APPS = ("ignite_sessions", "features")
# Structural content with no publication state: only publishers delete it.
PUBLISHER_ONLY_DELETE = {("features", "area")}


def _content_models():
    for label in CONTENT_APPS:
        for model in global_apps.get_app_config(label).get_models():
            if not is_history_model(model):
                yield model


def editor_permissions() -> Q:
    # Link checks are written by `check_links` only: editors read them, nobody changes them.
    condition = Q(
        content_type__app_label="ignite",
        codename__in=["preview_drafts", "view_linkcheck", "view_stagededit"],
    ) | Q(content_type__app_label="redirects", codename="view_redirect")
    for model in _content_models():
        opts = model._meta
        actions = ["view", "add", "change"]
        if (opts.app_label, opts.model_name) not in PUBLISHER_ONLY_DELETE:
            actions.append("delete")
        condition |= Q(
            content_type__app_label=opts.app_label,
            codename__in=[f"{action}_{opts.model_name}" for action in actions],
        )
    return condition


def publisher_permissions() -> Q:
    condition = editor_permissions() | Q(content_type__app_label="redirects")
    for model in _content_models():
        opts = model._meta
        condition |= Q(
            content_type__app_label=opts.app_label,
            codename__in=[f"delete_{opts.model_name}", f"publish_{opts.model_name}"],
        )
    return condition


def sync_roles(using: str = "default", verbosity: int = 0, **kwargs) -> None:
    """Create or update both groups; running it again changes nothing."""
    for label in ("ignite", "redirects", *CONTENT_APPS):
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    for name, condition in ((EDITOR, editor_permissions()), (PUBLISHER, publisher_permissions())):
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(Permission.objects.using(using).filter(condition))
        if verbosity:
            print(f"{name}: {group.permissions.count()} permissions")
