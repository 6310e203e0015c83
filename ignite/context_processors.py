from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info

from ignite.languages import language_versions


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
    "sessions:list": "sessions",
    "sessions:detail": "sessions",
    "sessions:speakers": "speakers",
    "sessions:speaker": "speakers",
}


def site(request):
    """What every page's frame needs: the current section and the language switcher's links."""
    match = getattr(request, "resolver_match", None)
    return {
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
        "nav_section": NAV_SECTIONS.get(match.view_name if match else "", ""),
    }
