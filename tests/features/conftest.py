import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_content", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def database_snapshot() -> dict:
    """Every content row (as the complete export) plus row counts of every content table."""
    counts = {
        model._meta.label: model.objects.count()
        for label in ("ignite_sessions", "features", "redirects")
        for model in apps.get_app_config(label).get_models()
    }
    return {"content": json.loads(export("--include-drafts")), "counts": counts}


@pytest.fixture
def snapshot():
    return database_snapshot
