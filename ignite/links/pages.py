"""What readers see of the link checks."""

from __future__ import annotations

from collections.abc import Iterable

from ignite.links.models import LinkCheck


def attach_link_checks(objects: Iterable, url_attr: str = "url") -> None:
    """Give each object its latest link check (or None) as `link_check`, in one query for all
    (none when there is nothing to look up)."""
    objects = list(objects)
    checks = LinkCheck.objects.by_url(getattr(obj, url_attr) for obj in objects)
    for obj in objects:
        obj.link_check = checks.get(getattr(obj, url_attr))
