"""Settings come from the environment: safe for development, strict in production."""

import subprocess
import sys

import pytest
from django.conf import settings

from tests.ignite.conftest import PRODUCTION, clean_environment, manage


def test_production_settings_pass_the_deployment_checks(production_env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_debug_off_without_a_secret_key_refuses_to_start():
    env = clean_environment(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="recap.example.com")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    env = clean_environment(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=PRODUCTION["DJANGO_SECRET_KEY"])
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is required" in result.stderr


def test_a_malformed_boolean_is_refused_with_its_name():
    result = manage("check", env=clean_environment(DJANGO_DEBUG="maybe"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_development_needs_no_variables_at_all():
    assert manage("check", env=clean_environment()).returncode == 0


def test_the_admin_address_is_configurable(production_env):
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        env={**production_env, "DJANGO_ADMIN_URL": "backstage/"},
    )
    assert result.stdout.strip().splitlines()[-1] == "/backstage/"


def test_database_and_cache_come_from_urls():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CACHES['default']['BACKEND'], s.CONN_HEALTH_CHECKS if False else "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    env = clean_environment(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ignite",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    out = manage("shell", "-c", code, env=env).stdout.split()
    assert out[-4:] == [
        "ignite.postgresql",  # Django's backend with every wait on the server bounded
        "ignite",
        "django.core.cache.backends.redis.RedisCache",
        "True",
    ]
    default = manage("shell", "-c", code, env=clean_environment()).stdout.split()
    assert default[-4] == "django.db.backends.sqlite3"
    assert default[-2] == "django.core.cache.backends.locmem.LocMemCache"


WEAK_KEYS = {
    "short": "only-forty-nine-characters-long-aaaaaaaaaaaaaaaaa",
    "few distinct characters": "ab" * 40,
    "the development key": (
        "django-insecure-development-only-key-never-use-in-production-0123456789"
    ),
}


@pytest.mark.parametrize("kind", WEAK_KEYS)
def test_a_weak_secret_key_stops_manage_py_with_one_line(kind):
    env = clean_environment(**{**PRODUCTION, "DJANGO_SECRET_KEY": WEAK_KEYS[kind]})
    result = manage("check", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: DJANGO_SECRET_KEY is too weak")
    assert len(result.stderr.strip().splitlines()) == 1  # no traceback


def test_a_weak_secret_key_stops_gunicorn_with_one_line():
    env = clean_environment(**{**PRODUCTION, "DJANGO_SECRET_KEY": WEAK_KEYS["short"]})
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "ignite/gunicorn.conf.py", "ignite.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "Configuration error: DJANGO_SECRET_KEY is too weak (it has 49 characters, fewer than "
        '50). Make one: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    ]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DJANGO_TRUSTED_PROXY_COUNT": "1"}, "replaced by DJANGO_TRUSTED_PROXIES"),
        ({"DJANGO_TRUSTED_PROXIES": "10.0.0.1,proxy"}, "'proxy' is not an IP address"),
    ],
)
def test_proxy_settings_are_checked(variables, message):
    result = manage("check", env=clean_environment(**PRODUCTION, **variables))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_postgresql_connections_run_without_jit_unless_the_url_says_otherwise():
    """JIT compilation cost the changelog 200 ms a render at 10,000 features (see README)."""
    code = (
        "from django.db import connection; c = connection.cursor(); c.execute('SHOW jit'); "
        "print(c.fetchone()[0])"
    )
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    env = clean_environment(DATABASE_URL=url)
    assert manage("shell", "-c", code, env=env).stdout.split()[-1] == "off"
    env = clean_environment(DATABASE_URL=url + "?options=-c%20jit%3Don")
    assert manage("shell", "-c", code, env=env).stdout.split()[-1] == "on"
