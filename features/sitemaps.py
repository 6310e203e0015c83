from django.urls import reverse

from ignite.sites import PublicDomainSitemap

from .models import Comparison, Feature


class StaticPagesSitemap(PublicDomainSitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return [
            "features:home",
            "features:catalog",
            "sessions:list",
            "sessions:speakers",
            "features:comparisons",
        ]

    def location(self, item):
        return reverse(item)


class FeatureSitemap(PublicDomainSitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        # In the catalog's order, which its index holds (a page is an index walk, not a sort of
        # every feature), with only what an entry shows.
        published = Feature.objects.published().only("slug", "updated_at")
        return published.order_by("status_rank", "name", "pk")

    def lastmod(self, item):
        return item.updated_at


class ComparisonSitemap(FeatureSitemap):
    def items(self):
        return Comparison.objects.published().order_by("slug")
