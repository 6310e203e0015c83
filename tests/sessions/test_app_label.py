"""Our `sessions` app lives beside django.contrib.sessions under its own label."""

from django.apps import apps
from django.contrib.sessions.models import Session as LoginSession
from django.urls import reverse

from sessions.models import Session


def test_both_sessions_apps_are_installed_under_distinct_labels():
    assert apps.get_app_config("sessions").name == "django.contrib.sessions"
    assert apps.get_app_config("ignite_sessions").name == "sessions"
    assert Session._meta.db_table == "ignite_sessions_session"
    assert LoginSession._meta.db_table == "django_session"


def test_migrations_are_complete(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_login_stores_a_django_session_and_reaches_the_admin(client, superuser):
    response = client.post(
        reverse("admin:login"),
        {"username": superuser.username, "password": "a-long-test-password", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert LoginSession.objects.count() == 1
    assert client.get(reverse("admin:ignite_sessions_session_changelist")).status_code == 200
