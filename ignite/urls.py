from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from features.content_io import SCHEMA_PATH
from features.sitemaps import ComparisonSitemap, FeatureSitemap, StaticPagesSitemap
from features.views.schema import content_schema
from ignite import health, views
from ignite.page_cache import public_page
from sessions.sitemaps import SessionSitemap, SpeakerSitemap

sitemaps = {
    "pages": StaticPagesSitemap,
    "features": FeatureSitemap,
    "comparisons": ComparisonSitemap,
    "sessions": SessionSitemap,
    "speakers": SpeakerSitemap,
}

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("favicon.ico", views.favicon),
    path(SCHEMA_PATH.removeprefix("/"), content_schema, name="content_schema"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(f"{settings.ADMIN_URL}markdown-preview/", views.markdown_preview, name="markdown_preview"),
    path(settings.ADMIN_URL, admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("features.urls")),
    path("", include("sessions.urls")),
)
