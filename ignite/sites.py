from django.apps import apps as global_apps
from django.conf import settings


def sync_site_domain(using: str = "default", **kwargs) -> None:
    """Keep the Site row (used by sitemaps and redirects) on the domain the settings name."""
    if not global_apps.is_installed("django.contrib.sites"):
        return
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME},
    )
