from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info


def _language_links(request) -> list[dict]:
    path = request.get_full_path()
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translated_path(path, current, code),
                "current": code == current,
            }
        )
    return links


def translated_path(path: str, current: str, code: str) -> str:
    """The same page in another language (the same address with the other prefix)."""
    translated = translate_url(path, code)
    prefix = f"/{current}/"
    if translated == path and code != current and path.startswith(prefix):
        # A path no view resolves (a 404 page): swap the language prefix and let it 404 there.
        translated = f"/{code}/{path.removeprefix(prefix)}"
    return translated


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
