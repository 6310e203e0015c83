from ignite.sites import PublicDomainSitemap

from .models import Session, Speaker


class SessionSitemap(PublicDomainSitemap):
    def items(self):
        return Session.objects.visible().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class SpeakerSitemap(SessionSitemap):
    def items(self):
        return Speaker.objects.published().order_by("slug")
