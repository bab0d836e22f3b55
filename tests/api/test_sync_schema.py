"""What the schema declares for the sync endpoints, keyset pages and response headers."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return yaml.safe_load(client.get("/api/v1/schema/").content)


def test_the_changes_feed_and_its_cursor_are_documented(schema):
    feed = schema["paths"]["/api/v1/changes/"]["get"]
    assert {p["name"] for p in feed["parameters"]} >= {"after", "page_size"}
    assert "/api/v1/changes/cursor/" in schema["paths"]


def test_every_list_documents_the_cursor_beside_page_numbers(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/pledges/"]["get"]["parameters"]}
    assert {"cursor", "page", "page_size"} <= parameters


def test_the_replayed_header_is_declared_on_the_created_response(schema):
    created = schema["paths"]["/api/v1/interests/"]["post"]["responses"]["201"]
    assert created["headers"]["Idempotent-Replayed"]["schema"]["enum"] == ["true"]


def test_csv_is_declared_only_where_csv_is_returned(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation.get("responses", {}).items():
                media_types = set(response.get("content", {}))
                if "text/csv" in media_types:
                    assert path.startswith("/api/v1/reports/"), (path, method, code)
                    assert code == "200", (path, method, code)
