from functools import cached_property
from urllib.parse import quote

from django.urls import reverse
from django.utils import translation

from ignite.publishing import around_slug
from ignite.sites import PublicDomainSitemap

from .models import Comparison, Feature


class StaticPagesSitemap(PublicDomainSitemap):
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
    def items(self):
        # In the order features were added, so a new one goes on the last page and the pages
        # before it stay as crawlers saw them. The index `feature_sitemap` holds that order and
        # what an entry shows, so even a deep page skips rows in the index alone. Rows, not
        # model instances: an instance each would cost more than the rest of the entry.
        published = Feature.objects.published().order_by("pk")
        return published.values_list("slug", "updated_at", named=True)

    def location(self, item):
        # The address around the slug, looked up once per language and page.
        language = translation.get_language()
        around = self._around.get(language)
        if around is None:
            around = self._around[language] = around_slug(Feature.public_url_name)
        return quote(item.slug).join(around)

    @cached_property
    def _around(self) -> dict[str, tuple[str, str]]:
        return {}

    def lastmod(self, item):
        return item.updated_at


class ComparisonSitemap(PublicDomainSitemap):
    def items(self):
        return Comparison.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at
