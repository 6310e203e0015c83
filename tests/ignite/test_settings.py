"""Settings come from the environment: safe for development, strict in production."""

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
        "django.db.backends.postgresql",
        "ignite",
        "django.core.cache.backends.redis.RedisCache",
        "True",
    ]
    default = manage("shell", "-c", code, env=clean_environment()).stdout.split()
    assert default[-4] == "django.db.backends.sqlite3"
    assert default[-2] == "django.core.cache.backends.locmem.LocMemCache"
