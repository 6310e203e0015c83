from django.urls import path

from . import views

app_name = "sessions"
urlpatterns = [
    path("sessions/", views.session_list, name="list"),
    path("sessions/<slug:slug>/", views.session_detail, name="detail"),
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
]
