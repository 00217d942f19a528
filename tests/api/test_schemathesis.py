"""Property-based tests of every operation in the OpenAPI document.

For each operation, on SQLite and PostgreSQL, schemathesis generates requests
that fit the schema (and, separately, requests that do not) and sends them
with an admin token to the live app, over the small `world` so that ids often
exist. Every answer must be no 5xx, with a documented status, content type,
headers and body. Bounded: a few examples per operation and mode.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from medsam_match import create_app

EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _cases() -> list[tuple[str, GenerationMode]]:
    """(operation, mode) pairs; negative data only where there is input to spoil."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "MEDSAM_SCHEDULER": "off"},
                     check_schema=False)
    spec = app.test_client().get("/api/v1/openapi.json").json
    cases = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            label = f"{method.upper()} {path}"
            cases.append((label, GenerationMode.POSITIVE))
            if operation.get("parameters") or item.get("parameters") or operation.get("requestBody"):
                cases.append((label, GenerationMode.NEGATIVE))
    return cases


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize(("label", "mode"), _cases(), ids=lambda v: str(v))
def test_operation_answers_as_documented(app, world, label, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {world.admin_token}"}

    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


# --- stateful: chains of operations along the OpenAPI links --------------------

# Scenarios and steps per scenario: a few minutes at most on both databases in CI.
STATEFUL_SCENARIOS = 40
STATEFUL_STEPS = 10


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_chains_of_operations_answer_as_documented(app, world):
    """schemathesis' state machine follows the links of the OpenAPI document
    (api/links.py): it creates a row, reads it, changes it with the ETag it
    read as If-Match, deletes it, reads lists and the operations below an item,
    in random orders. No step may answer 5xx or break its own schema."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {world.admin_token}"}
    # Valid requests (the stateless test above sends the invalid ones), as admin.
    schema.config.update(headers=headers)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE], with_security_parameters=False
    )
    links = sum(
        len(response.get("links", {}))
        for item in schema.raw_schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
    )
    assert links >= 90  # every resource's create, list, read and change are linked

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
    )
