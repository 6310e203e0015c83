from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IgniteConfig(AppConfig):
    """Site-wide pieces: publishing rules, the content revision behind the page cache, roles."""

    name = "ignite"
    verbose_name = _("Site")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ignite import logins, page_cache, publishing, roles, rules, sites
        from ignite.staging import changes as staged_edits

        page_cache.watch_content_models()
        publishing.schedule_publishable_models(page_cache.CONTENT_APPS)
        staged_edits.register()
        rules.enforce_on_every_write()
        user_logged_in.connect(logins.remember_browser, dispatch_uid="ignite.remember_browser")
        post_migrate.connect(roles.sync_roles, sender=self, dispatch_uid="ignite.sync_roles")
        post_migrate.connect(sites.sync_site_domain, sender=self, dispatch_uid="ignite.sync_site")
