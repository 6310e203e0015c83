from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info

from ignite.languages import language_versions
from ignite.static_archive import is_static_archive


def _language_links(request) -> list[dict]:
    current = get_language()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": url,
            "current": code == current,
        }
        for code, url in language_versions(request.get_full_path())
    ]


NAV_SECTIONS = {
    "features:home": "recap",
    "features:event": "recap",
    "features:catalog": "features",
    "features:detail": "features",
    "features:comparisons": "comparisons",
    "features:comparison": "comparisons",
    "features:changes": "changes",
    "sessions:list": "sessions",
    "sessions:detail": "sessions",
    "sessions:speakers": "speakers",
    "sessions:speaker": "speakers",
}


def site(request):
    """What every page's frame needs: the current section, the language switcher's links, and
    whether the page is for the static archive (no server: no htmx, filters as links)."""
    match = getattr(request, "resolver_match", None)
    return {
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
        "nav_section": NAV_SECTIONS.get(match.view_name if match else "", ""),
        "static_archive": is_static_archive(request),
    }
