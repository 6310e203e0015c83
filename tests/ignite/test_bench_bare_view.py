"""The benchmark's bare view exists only while DJANGO_BENCH_BARE_VIEW=1 (scripts/bench_wrk.py)."""

import pytest

from tests.ignite.conftest import clean_environment, manage

RESOLVE = "from django.urls import resolve; print(resolve('/bench/bare/').func(None).content)"


@pytest.mark.django_db
def test_the_bare_address_is_a_404_without_its_variable(client):
    assert client.get("/bench/bare/").status_code == 404


def test_the_bare_view_answers_ok_with_its_variable():
    result = manage("shell", "-c", RESOLVE, env=clean_environment(DJANGO_BENCH_BARE_VIEW="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "b'ok'"
