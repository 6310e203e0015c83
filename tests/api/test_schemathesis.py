"""Property-based testing of the live API against its own OpenAPI document (schemathesis)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ignite.wsgi import application

EXAMPLES_PER_OPERATION = 200
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Fetched from the application itself, as a client would (the schema needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, modes=["positive"])


@pytest.fixture
def unlimited(settings):
    settings.API_REQUESTS_PER_MINUTE = 0  # thousands of requests from one client


@pytest.mark.usefixtures("launch_content", "unlimited")
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_answer_conforms_to_the_schema(case):
    case.call_and_validate(checks=CHECKS)
