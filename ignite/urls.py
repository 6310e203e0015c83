import os

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView, TemplateView

from features import admin_views
from features.api import views as features_api
from features.sitemaps import ComparisonSitemap, FeatureSitemap, StaticPagesSitemap
from features.views.schema import content_schema
from ignite import health, schedule_admin, views
from ignite.api import docs as api_docs
from ignite.api import schema as api_schema
from ignite.api import views as api_views
from ignite.page_cache import public_page
from ignite.sites import sitemap_index_view, sitemap_view
from sessions.api import views as sessions_api
from sessions.sitemaps import SessionSitemap, SpeakerSitemap

sitemaps = {
    "pages": StaticPagesSitemap,
    "features": FeatureSitemap,
    "comparisons": ComparisonSitemap,
    "sessions": SessionSitemap,
    "speakers": SpeakerSitemap,
}

api_v1 = [
    path(
        "",
        api_views.APIIndex.as_view(
            links={
                "features": "api:features",
                "sessions": "api:sessions",
                "speakers": "api:speakers",
                "events": "api:events",
                "comparisons": "api:comparisons",
                "areas": "api:areas",
                "changes": "api:changes",
                "schema": "api:schema",
                "docs": "api-docs",
            }
        ),
        name="index",
    ),
    *features_api.urlpatterns,
    *sessions_api.urlpatterns,
    path("schema/", api_schema.openapi_view, name="schema"),
]

# The public pages first: most requests are theirs, and a language prefix rules the rest out
# at once (no other address starts with /en/ or /ja/).
urlpatterns = i18n_patterns(
    path("", include("features.urls")),
    path("", include("sessions.urls")),
)
urlpatterns += [
    path("api/v1/", include((api_v1, "api"))),
    path("api/docs/", api_docs.reference, name="api-docs"),
    path("api/", RedirectView.as_view(url="/api/v1/", permanent=False)),
    # Anything else under /api/ is a JSON 404 (or a redirect to the endpoint it lacks a slash of).
    re_path(r"^api/", api_views.unknown_address),
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", public_page(sitemap_index_view), {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        public_page(sitemap_view),
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path("favicon.ico", views.favicon),
    path("schemas/content-v<int:version>.json", content_schema, name="content_schema"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(f"{settings.ADMIN_URL}markdown-preview/", views.markdown_preview, name="markdown_preview"),
    path(
        f"{settings.ADMIN_URL}data-quality/",
        admin.site.admin_view(admin_views.data_quality),
        name="data_quality",
    ),
    path(
        f"{settings.ADMIN_URL}schedule/",
        admin.site.admin_view(schedule_admin.upcoming_schedule),
        name="upcoming_schedule",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
]

if os.environ.get("DJANGO_BENCH_BARE_VIEW") == "1":
    # What the site's own stack costs without a page: scripts/bench_wrk.py measures each page's
    # throughput against it. Served only while that variable is set.
    urlpatterns.insert(0, path("bench/bare/", lambda request: HttpResponse("ok")))
