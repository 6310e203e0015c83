import os
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from ignite import page_cache, per_revision
from ignite.models import ContentRevision
from ignite.roles import EDITOR, PUBLISHER
from tests.factories import UserFactory

# Playwright runs an event loop in the test thread; the ORM calls around it are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch):
    """The page cache is process-wide; a test never sees another test's pages (nor finds the
    cache still marked down by another test), nor the tables another test's revision kept."""
    monkeypatch.setattr(page_cache, "_cache_down_until", 0.0)
    cache.clear()
    page_cache.local_pages.clear()
    per_revision.forget()
    yield
    cache.clear()
    page_cache.local_pages.clear()
    per_revision.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /ja/ leaves Japanese active in the thread; the next test starts afresh."""
    yield
    translation.deactivate()


@pytest.fixture
def launch_content(db):
    """The Ignite 2025 launch content, loaded the way `make run` loads it."""
    call_command("load_content", stdout=StringIO(), stderr=StringIO())


@pytest.fixture(scope="session")
def launch_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """The launch content as `export_site` archives it, made once per session (read it, never
    change it). The content is rolled back afterwards: tests that need it load it again.
    Modules that use it are marked django_db, so that pytest-django sets the database up."""
    folder = tmp_path_factory.mktemp("archive") / "recap"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", stdout=StringIO(), stderr=StringIO())
        call_command("export_site", output=folder, stdout=StringIO(), stderr=StringIO())
        transaction.set_rollback(True)
    return folder


def _member_of(group_name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _member_of(EDITOR)


@pytest.fixture
def publisher(db):
    return _member_of(PUBLISHER)


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def _pages_follow_every_change(settings):
    """Tests see each change on the next request: no revision kept between requests, no earlier
    rendering standing in (tests/ignite/test_page_cache_surge.py turns both on)."""
    settings.PAGE_CACHE_REVISION_SECONDS = 0
    settings.PAGE_CACHE_STALE_SECONDS = 0
    ContentRevision.forget_recent()
