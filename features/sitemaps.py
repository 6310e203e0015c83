from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Comparison, Feature


class StaticPagesSitemap(Sitemap):
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


class FeatureSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Feature.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class ComparisonSitemap(FeatureSitemap):
    def items(self):
        return Comparison.objects.published().order_by("slug")
