from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the site can serve pages, 503 when the database does not answer.

    Pages are served without the cache when it is down (slower, still correct), so a cache
    outage reports "degraded" rather than taking every instance out of rotation.
    """
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    if not checks["database"]:
        status = "unavailable"
    elif not checks["cache"]:
        status = "degraded"
    else:
        status = "ok"
    response = JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "unavailable" else 200
    )
    if status == "unavailable":
        response["Retry-After"] = "30"
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:
        return False
