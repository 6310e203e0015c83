import pytest


@pytest.fixture
def api(client):
    """GET an API address; returns the response (its JSON in `.json()`)."""

    def get(path: str, params=None, headers=None):
        return client.get(path, params or {}, headers=headers or {})

    return get


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def problems(response) -> dict[str, list[str]]:
    """The 400's errors by parameter."""
    found: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["parameter"], []).append(error["message"])
    return found
