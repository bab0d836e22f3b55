"""Schemathesis over every operation of the OpenAPI schema, through a real HTTP server.

tests/api/test_schema.py runs the same checks in-process through WSGI; here the requests go
over a socket to pytest-django's live server, so that the whole stack a partner meets
(headers, encodings, the server's own parsing) is covered, with a real partner key.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from partners.models import PartnerKey
from tests.factories import (
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    TargetFactory,
    ZoneFactory,
    ZoneStatusChangeFactory,
)
from zones_project.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def partner_api_key(transactional_db):
    return PartnerKey.objects.create_key(name="Live fuzz", organisation="PBS")[1]


# The schema document is read once at collection, in-process (its view needs no database);
# every call then goes to the live server. (schemathesis.pytest.from_fixture, which would
# fetch it from the live server, does not run under pytest 9: it sets Node._nodeid.)
schema = schemathesis.openapi.from_dict(
    schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application).raw_schema
)


@pytest.fixture
def live_api(live_server, transactional_db, monkeypatch):
    """The live server's URL, with one of each resource behind it."""
    from rest_framework.throttling import SimpleRateThrottle

    # Hundreds of calls in seconds are the point here, not something to throttle.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    zone = ZoneFactory(slug="karachi-technology-zone")
    zone.incentives.add(IncentiveFactory(slug="tax-waiver"))
    ZoneStatusChangeFactory(zone=zone)
    registration = InterestRegistrationFactory(zones=[zone])
    PledgeFactory(zone=zone, company=registration.company)
    TargetFactory()
    return live_server.url


# Generated examples only: the explicit phase (schemathesis's boundary-value "coverage"
# cases, several hundred per list operation) already runs in-process in test_schema.py,
# and over HTTP it would take minutes.
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_over_http_conforms_and_never_fails(case, live_api, partner_api_key):
    case.call_and_validate(
        base_url=live_api,
        headers={"Authorization": f"Api-Key {partner_api_key}"},
        checks=CHECKS,
        timeout=30,
    )
