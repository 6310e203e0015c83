from django.urls import path

from . import social, views

app_name = "sessions"
urlpatterns = [
    path("sessions/", views.session_list, name="list"),
    path("sessions/<slug:slug>/", views.session_detail, name="detail"),
    path("sessions/<slug:slug>/card.png", social.session_image, name="image"),
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
]
