"""Values worked out from the content once per content revision in this process.

Every catalog page reads the same few small tables (areas, sessions, events) to offer its
filters and to label its cards; they change only when the content does. `remembered` keeps
such a value until the content revision moves on, so a page rendered without the page cache
still reads them once per revision rather than once per request. The revision is the one the
page cache trusts (`ContentRevision.recent`): a change saved through any server shows here
within PAGE_CACHE_REVISION_SECONDS, and a scheduled moment moves the revision on time.

Only what every reader sees may be kept here: previews read the database each time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections

from ignite.models import ContentRevision

_values: dict[str, tuple[tuple, object]] = {}
_lock = threading.Lock()


def revision_key(using: str = "default") -> tuple:
    """What names the content this process sees now: the database, and its revision."""
    revision = ContentRevision.recent(settings.PAGE_CACHE_REVISION_SECONDS)
    return (connections[using].settings_dict["NAME"], revision.number, revision.changed_at)


def remembered[T](name: str, load: Callable[[], T], using: str = "default") -> T:
    """`load()`'s value for the current content revision, worked out once per revision.

    The revision is read before `load` runs, so a value is never older than the revision it
    is kept for; a change in between makes the next request load it again."""
    key = revision_key(using)
    found = _values.get(name)
    if found is not None and found[0] == key:
        return found[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _values[name] = (key, value)
    return value


def forget() -> None:
    """Drop every remembered value (tests: a rolled-back test can reuse a revision number)."""
    with _lock:
        _values.clear()
