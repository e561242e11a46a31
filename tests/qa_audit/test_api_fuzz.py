"""API fuzzing with schemathesis: every operation of the OpenAPI schema, called with
generated parameters and bodies as three people (QA Lead, team manager, Leader): no
answer is a server error, and every answer matches the schema (status documented, body
of the documented shape, JSON where JSON is promised)."""

import base64

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from qa_audit.wsgi import application
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=False)


schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def basic(user) -> dict:
    token = base64.b64encode(f"{user.email}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


PEOPLE = ("qa_lead", "team_manager", "leader")


@pytest.fixture(autouse=True)
def keep_the_tests_connection():
    """The application is called in this process, inside the test's transaction: as
    Django's test client does, keep the end of a request from closing the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# Bounded to fit CI: 8 examples of each operation for each person, the same every run
# (derandomised), so a failure here is a change in the product, not a new draw.
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, org, every_kind):
    for who in PEOPLE:
        case.call_and_validate(
            app=application,
            headers=basic(org.users[who]),
            # A request the schema allows may still be refused for what it means (an end
            # before its start, another team's action): the answer must then be a
            # documented error, which the other checks see to.
            # A visitor's answer from every operation (403) is proven by the permission
            # matrix; here each request is signed in as the person.
            excluded_checks=[positive_data_acceptance, ignored_auth],
        )
