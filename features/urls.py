from django.urls import path

from . import social, views
from .views import outputs

app_name = "features"
urlpatterns = [
    path("", views.home, name="home"),
    path("card.png", social.site_image, name="site_image"),
    path("events/<slug:slug>/", views.event_recap, name="event"),
    path("events/<slug:slug>/card.png", social.event_image, name="event_image"),
    path("features/", views.catalog, name="catalog"),
    # Every filtered view of the catalog in other formats: these addresses are kept stable.
    path("features/feed.atom", outputs.feature_atom, name="feed-atom"),
    path("features/feed.json", outputs.feature_json_feed, name="feed-json"),
    path("features/export.csv", outputs.export_csv, name="export-csv"),
    path("features/export.json", outputs.export_json, name="export-json"),
    path("features/export.md", outputs.export_markdown, name="export-markdown"),
    path("features/feed/", outputs.legacy_feed, name="feed"),
    path("features/<slug:slug>/", views.feature_detail, name="detail"),
    path("changes/", outputs.changes, name="changes"),
    path("changes/feed.atom", outputs.change_atom, name="changes-atom"),
    path("changes/feed.json", outputs.change_json_feed, name="changes-json"),
    path("features/<slug:slug>/card.png", social.feature_image, name="detail_image"),
    path("comparisons/", views.comparison_list, name="comparisons"),
    path("comparisons/<slug:slug>/", views.comparison_detail, name="comparison"),
]
