"""Schemathesis against the API's own OpenAPI schema, in process (WSGI), as landlord A: no
request makes a server error and no response breaks the schema, one operation at a time
(stateless) and in sequences that follow the links it infers (stateful). Fixed seed, few
examples: it runs in the normal suite in well under a minute."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.access_world import access_world_build

CHECKS = [not_a_server_error, response_schema_conformance]
SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
    "phases": [Phase.explicit, Phase.generate],
}


@pytest.fixture(scope="module")
def world(module_db, tmp_path_factory):
    # The WSGI calls start and end each request as a server would: request_started and
    # request_finished close the database connection, which on PostgreSQL drops the test's
    # transaction (and the world with it). Django's test client disconnects them likewise.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("documents")):
            yield access_world_build()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def schema(world):
    cache.clear()  # throttle counters start at zero
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.mark.django_db
def test_every_operation_stateless(world, schema):
    headers = {"Authorization": f"Bearer {world.api_key}", "Accept-Language": "it"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9

    for operation in operations:

        @seed(20261202)
        @hypothesis_settings(max_examples=12, **SETTINGS)
        @given(case=operation.as_strategy())
        def check(case):
            cache.clear()
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()


@pytest.mark.django_db
def test_sequences_stateful(world, schema):
    key = world.api_key

    class Landlord(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {key}", "Accept-Language": "it"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    cache.clear()
    Landlord.run(settings=hypothesis_settings(max_examples=10, stateful_step_count=4, **SETTINGS))
