from django.urls import path

from ignite.page_cache import public_page

from . import feeds, views

app_name = "features"
urlpatterns = [
    path("", views.home, name="home"),
    path("events/<slug:slug>/", views.event_recap, name="event"),
    path("features/", views.catalog, name="catalog"),
    path("features/feed/", public_page(feeds.LatestFeatures()), name="feed"),
    path("features/<slug:slug>/", views.feature_detail, name="detail"),
    path("comparisons/", views.comparison_list, name="comparisons"),
    path("comparisons/<slug:slug>/", views.comparison_detail, name="comparison"),
]
