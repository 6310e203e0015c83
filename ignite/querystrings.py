"""Query strings for links that change one filter and keep the others."""

from collections.abc import Iterable

from django.http import QueryDict


def query_with(query: QueryDict, **changes) -> str:
    """The query string with some parameters replaced (None removes one)."""
    updated = query.copy()
    for name, value in changes.items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = value
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


def query_without(query: QueryDict, name: str, value: str | None = None) -> str:
    """The query string without one value of a parameter (or all of it), back on page 1."""
    updated = query.copy()
    updated.pop("page", None)
    if value is None:
        updated.pop(name, None)
    else:
        remaining = [item for item in updated.getlist(name) if item.lower() != value.lower()]
        updated.setlist(name, remaining)
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


def query_choosing(query: QueryDict, name: str, value: str) -> str:
    """The query string with just this value of one parameter (or none of it, when this value
    is the one chosen), back on page 1: a filter option as a link, where no form can submit."""
    chosen = [item.lower() for item in query.getlist(name)]
    if value.lower() in chosen:
        return query_without(query, name)
    updated = query.copy()
    updated.pop("page", None)
    updated.setlist(name, [value])
    return f"?{updated.urlencode()}"


def tidy_query(query: QueryDict, defaults: dict[str, str], allowed: Iterable[str]) -> str:
    """The query string with only the allowed parameters, without empty values, repeats and
    parameters at their default."""
    tidy = QueryDict(mutable=True)
    allowed = set(allowed)
    for name, values in query.lists():
        if name not in allowed:
            continue
        kept = [value for value in values if value != "" and value != defaults.get(name)]
        kept = list(dict.fromkeys(kept))
        if kept:
            tidy.setlist(name, kept)
    return tidy.urlencode()
