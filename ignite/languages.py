"""The same page in each of the site's languages."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils.translation import get_language


def translated_path(path: str, current: str, code: str) -> str:
    """The same page in another language (the same address with the other prefix)."""
    return _translated_path(path, current, code, get_urlconf() or settings.ROOT_URLCONF)


# Every page asks twice (its alternates and the language switcher), the same few thousand
# addresses hit after hit; the answer depends only on the URLconf, the path and the languages.
@lru_cache(maxsize=4096)
def _translated_path(path: str, current: str, code: str, _urlconf: str) -> str:
    translated = translate_url(path, code)
    prefix = f"/{current}/"
    if translated == path and code != current and path.startswith(prefix):
        # A path no view resolves (a 404 page): swap the language prefix and let it 404 there.
        translated = f"/{code}/{path.removeprefix(prefix)}"
    return translated


def language_versions(path: str) -> list[tuple[str, str]]:
    """(language code, path) of this page in every language, the current one included."""
    current = get_language()
    return [(code, translated_path(path, current, code)) for code, _name in settings.LANGUAGES]
