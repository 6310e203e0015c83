from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from ignite.postgresql.base import timeout_override

# A load balancer wants an answer quickly: a database slower than this counts as down.
DATABASE_CHECK_SECONDS = 2.0


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
    token = timeout_override.set(DATABASE_CHECK_SECONDS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False
    finally:
        timeout_override.reset(token)


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:
        return False
