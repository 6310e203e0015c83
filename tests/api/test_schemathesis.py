"""Property-based testing of the live API against its own OpenAPI document (schemathesis)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 200
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Django's WSGI application, not ignite.wsgi: that one also bounds every database wait of the
# process it is imported in (ignite/postgresql), which a test process must not inherit.
application = get_wsgi_application()
# Fetched from the application itself, as a client would (the schema needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, modes=["positive"])


@pytest.fixture
def unlimited(settings):
    settings.API_REQUESTS_PER_MINUTE = 0  # thousands of requests from one client


@pytest.fixture
def connection_kept():
    """Keep the test's database connection across requests, as Django's test client does: the
    WSGI handler would close it at each request's start and end (a connection inside the test's
    transaction looks unusable), which on PostgreSQL ends the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("launch_content", "unlimited", "connection_kept")
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_answer_conforms_to_the_schema(case):
    case.call_and_validate(checks=CHECKS)
