from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from ignite.markdown import render_markdown

from .models import Feature


class LatestFeatures(Feed):
    """Published features, newest first, as an Atom feed."""

    feed_type = Atom1Feed
    title = _("Ignite Recap: announced features")
    subtitle = _("The announced features this site covers, newest first.")
    link = reverse_lazy("features:catalog")

    def items(self):
        return Feature.objects.for_catalog().order_by("-first_published_at", "name")[:50]

    def item_title(self, item: Feature) -> str:
        return f"{item.name} ({item.get_status_display()})"

    def item_description(self, item: Feature) -> str:
        return render_markdown(item.summary)

    def item_pubdate(self, item: Feature):
        return item.first_published_at

    def item_updateddate(self, item: Feature):
        return item.updated_at

    def item_categories(self, item: Feature):
        return [item.get_status_display(), item.area.name]
