"""The OpenAPI document as OpenAPI 3.0 tools read it: valid, and true about real responses."""

import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from tests.factories import CompanyFactory, PledgeFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def response_validator(document, path):
    """A 3.0 validator for the JSON body of `GET path` answering 200."""
    schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    return OAS30Validator({**schema, "components": document["components"]})


def test_the_document_is_valid_openapi(document):
    assert document["openapi"].startswith("3.0")
    validate(document)  # raises with the path of the first error


def test_a_company_without_a_sector_matches_the_schema(document, partner_client):
    CompanyFactory(sector=None)
    CompanyFactory()
    body = partner_client.get("/api/v1/companies/").json()
    assert {row["sector"] is None for row in body["results"]} == {True, False}
    validator = response_validator(document, "/api/v1/companies/")
    assert list(validator.iter_errors(body)) == []
    # The schema still says what a sector is: a wrong one is refused.
    body["results"][0]["sector"] = {"slug": 7}
    assert not validator.is_valid(body)


def test_nullable_references_are_written_for_openapi_30(document):
    sector = document["components"]["schemas"]["Company"]["properties"]["sector"]
    assert "allOf" not in sector
    assert {"$ref": "#/components/schemas/Sector"} in sector["oneOf"]
    text = yaml.safe_dump(document)
    assert "allOf" not in text or all(
        "nullable" not in schema
        for schema in _walk(document)
        if isinstance(schema, dict) and "allOf" in schema
    )


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@pytest.mark.parametrize("component", ("Company", "Pledge", "Zone", "ZoneDeveloper", "Incentive",
                                       "InterestRegistration"))  # fmt: skip
def test_every_field_always_returned_is_required(document, component):
    schema = document["components"]["schemas"][component]
    assert sorted(schema["required"]) == sorted(schema["properties"])


def test_a_page_requires_all_but_the_count_that_cursor_pages_leave_out(document):
    page = document["components"]["schemas"]["PaginatedPledgeList"]
    assert sorted(page["required"]) == ["next", "previous", "results"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert "cursor" in page["properties"]["count"]["description"]


def test_the_error_body_keeps_its_optional_fields(document):
    error = document["components"]["schemas"]["Error"]
    assert "errors" not in error["required"]


def test_request_bodies_keep_optional_fields(document):
    request = document["components"]["schemas"]["InterestSubmissionRequest"]
    assert "message" not in request["required"]


@pytest.mark.parametrize("path", ("/api/v1/zones/", "/api/v1/pledges/", "/api/v1/developers/",
                                  "/api/v1/incentives/", "/api/v1/interests/"))  # fmt: skip
def test_real_lists_match_their_schema(document, partner_client, path):
    zone = ZoneFactory(target_opening_date=None, latitude=None, longitude=None)
    PledgeFactory(zone=zone, registration=None)
    body = partner_client.get(path).json()
    assert list(response_validator(document, path).iter_errors(body)) == []


def test_an_empty_optional_query_parameter_means_not_given(document, partner_client):
    """What `allowEmptyValue` promises: `?name=` answers as if the parameter were left out."""
    ZoneFactory()
    checked = 0
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        without = partner_client.get(path).status_code
        for parameter in operation.get("parameters", ()):
            if parameter["in"] != "query" or parameter.get("required"):
                continue
            assert parameter.get("allowEmptyValue") is True, (path, parameter["name"])
            with_empty = partner_client.get(path, {parameter["name"]: ""})
            assert with_empty.status_code == without, (path, parameter["name"], with_empty.content)
            checked += 1
    assert checked > 100  # every list's filters, not a vacuous loop
