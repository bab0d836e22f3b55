"""The OpenAPI schema against the real API: drf-spectacular's output, then schemathesis."""

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    TargetFactory,
    ZoneFactory,
    ZoneStatusChangeFactory,
)
from zones_project.wsgi import application

SCHEMA_URL = "/api/v1/schema/?format=json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def schema_document(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_openapi_3_and_lists_every_endpoint(schema_document):
    assert schema_document["openapi"].startswith("3.")
    paths = set(schema_document["paths"])
    for path in (
        "/api/v1/zones/",
        "/api/v1/zones/{slug}/",
        "/api/v1/developers/",
        "/api/v1/incentives/",
        "/api/v1/companies/",
        "/api/v1/interests/",
        "/api/v1/pledges/",
        "/api/v1/reports/rollout/",
        "/api/v1/reports/investment/",
        "/api/v1/reports/companies/",
        "/api/v1/deletions/",
    ):
        assert path in paths, path
    writes = {
        (path, method)
        for path, operations in schema_document["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }
    assert writes == {
        ("/api/v1/interests/", "post"),
        # A partner's own webhook endpoints (docs/webhooks.md).
        ("/api/v1/webhooks/endpoints/", "post"),
        ("/api/v1/webhooks/endpoints/{id}/", "patch"),
        ("/api/v1/webhooks/endpoints/{id}/", "delete"),
        ("/api/v1/webhooks/deliveries/{id}/replay/", "post"),
    }


def test_schema_documents_the_key_scheme_and_the_error_shape(schema_document):
    scheme = schema_document["components"]["securitySchemes"]["PartnerKey"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": scheme["description"],
    }
    pledges = schema_document["paths"]["/api/v1/pledges/"]["get"]
    assert {"200", "400", "401", "403", "429"} <= set(pledges["responses"])
    post = schema_document["paths"]["/api/v1/interests/"]["post"]
    assert "409" in post["responses"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in post["parameters"])
    filters = {p["name"] for p in pledges["parameters"]}
    assert {"updated_since", "zone", "zone_id", "status__in", "pledged_on__gte"} <= filters


def test_schema_hides_contact_data_from_partner_shapes(schema_document):
    components = schema_document["components"]["schemas"]
    assert "contact" not in components["InterestRegistration"]["properties"]
    assert "contacts" not in components["Company"]["properties"]


def test_docs_page_is_served_from_our_own_static_files(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()


# --- schemathesis ------------------------------------------------------------------


# Loaded once at collection, in-process through WSGI (the schema view needs no database).
# Only GETs and the one POST: every other method is refused by design (test_access.py).
api_schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application).include(method=["GET", "POST"])


@pytest.fixture
def in_process_wsgi():
    """Keep the test's database connection across in-process WSGI requests.

    Django closes "old" connections when a request starts and finishes; inside a test's
    transaction that would close the very connection the test runs in (PostgreSQL). Django's
    own test client disconnects these receivers in the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registry_sample(db, no_throttle, in_process_wsgi):
    """One of each resource, so that generated lists and filters meet real rows."""
    zone = ZoneFactory(slug="karachi-technology-zone")
    zone.incentives.add(IncentiveFactory(slug="tax-waiver"))
    ZoneStatusChangeFactory(zone=zone)
    registration = InterestRegistrationFactory(zones=[zone])
    PledgeFactory(zone=zone, company=registration.company)
    TargetFactory()


@pytest.mark.slow
@pytest.mark.django_db
@api_schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, registry_sample, partner_key):
    """No 5xx, documented status codes, content types and bodies, for partner calls."""
    case.call_and_validate(headers={"Authorization": f"Api-Key {partner_key[1]}"}, checks=CHECKS)


@pytest.mark.slow
@pytest.mark.django_db
@api_schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_anonymous_calls_conform_to_the_schema(case, registry_sample):
    """The same, without a key: partner endpoints answer a documented 401."""
    case.call_and_validate(checks=CHECKS)
