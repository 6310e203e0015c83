from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IgniteConfig(AppConfig):
    """Site-wide pieces: publishing rules, the content revision behind the page cache, roles."""

    name = "ignite"
    verbose_name = _("Site")

    def ready(self) -> None:
        from ignite import page_cache, roles, sites

        page_cache.watch_content_models()
        post_migrate.connect(roles.sync_roles, sender=self, dispatch_uid="ignite.sync_roles")
        post_migrate.connect(sites.sync_site_domain, sender=self, dispatch_uid="ignite.sync_site")
