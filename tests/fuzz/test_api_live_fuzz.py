"""Schemathesis over every operation of the OpenAPI schema, through a real HTTP server.

tests/api/test_schema.py runs the same checks in-process through WSGI; here the requests go
over a socket to pytest-django's live server, so that the whole stack a partner meets
(headers, encodings, the server's own parsing) is covered, with a real partner key.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
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
    """The live server's URL, and the path parameters and body of real rows behind it.

    Generated slugs and ids almost never exist, and a generated POST body almost never
    names a real zone: the known values make sure the 200 and 201 answers are checked too.
    """
    from rest_framework.throttling import SimpleRateThrottle

    # Hundreds of calls in seconds are the point here, not something to throttle.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    zone = ZoneFactory(slug="karachi-technology-zone")
    zone.incentives.add(IncentiveFactory(slug="tax-waiver"))
    ZoneStatusChangeFactory(zone=zone)
    registration = InterestRegistrationFactory(zones=[zone])
    pledge = PledgeFactory(zone=zone, company=registration.company)
    TargetFactory()
    known = {
        "GET /api/v1/zones/{slug}/": {"path_parameters": {"slug": zone.slug}},
        "GET /api/v1/developers/{slug}/": {"path_parameters": {"slug": zone.developer.slug}},
        "GET /api/v1/incentives/{slug}/": {"path_parameters": {"slug": "tax-waiver"}},
        "GET /api/v1/interests/{reference}/": {
            "path_parameters": {"reference": registration.reference}
        },
        "GET /api/v1/companies/{id}/": {"path_parameters": {"id": registration.company_id}},
        "GET /api/v1/pledges/{id}/": {"path_parameters": {"id": pledge.pk}},
        "POST /api/v1/interests/": {
            "body": {
                "company_name": "Indus Cloud (Pvt) Ltd",
                "origin": "domestic",
                "country": "PK",
                "contact_name": "Ayesha Khan",
                "contact_email": "ayesha@induscloud.example",
                "zones": [zone.slug],
            }
        },
    }
    return live_server.url, known


# One test walks every operation, so that the live server's database is flushed once, not
# once per operation (a flush costs seconds on PostgreSQL). Generated examples only: the
# explicit phase (schemathesis's boundary-value "coverage" cases, hundreds per list
# operation) already runs in-process in tests/api/test_schema.py.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


def test_schema_lists_every_operation_we_fuzz():
    labels = {operation.label for operation in OPERATIONS}
    assert len(labels) >= 18
    assert "POST /api/v1/interests/" in labels


@pytest.mark.slow
def test_every_operation_over_http_conforms_and_never_fails(live_api, partner_api_key):
    base_url, known = live_api
    headers = {"Authorization": f"Api-Key {partner_api_key}"}
    for operation in OPERATIONS:
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        if operation.label in known:
            strategies.append(operation.as_strategy(**known[operation.label]))
        strategy = st.one_of(strategies)

        @FUZZ
        @given(case=strategy)
        def call(case):
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)

        try:
            call()
        except Exception as error:
            error.add_note(f"Operation: {operation.label}")
            raise
