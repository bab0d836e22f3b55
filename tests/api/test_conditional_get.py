"""Pollers that already hold a list or report get 304 Not Modified, not the same body again."""

import pytest

from tests.factories import PledgeFactory, ZoneFactory

pytestmark = pytest.mark.django_db

POLLED = [
    "/api/v1/zones/",
    "/api/v1/pledges/",
    "/api/v1/reports/investment/",
    "/api/v1/reports/rollout/",
    "/api/v1/reports/investment/?format=csv",
]


@pytest.mark.parametrize("url", POLLED)
def test_a_repeated_read_is_304_until_the_data_changes(partner_client, url):
    pledge = PledgeFactory()
    first = partner_client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')

    again = partner_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    PledgeFactory(zone=ZoneFactory(status="operational"), company=pledge.company)
    changed = partner_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_etag_of_one_caller_is_no_key_to_another_callers_view(
    partner_client, staff_client, api_client
):
    PledgeFactory()
    etag = partner_client.get("/api/v1/pledges/")["ETag"]
    # Without a key the list is refused, whatever the caller claims to hold.
    refused = api_client.get("/api/v1/pledges/", HTTP_IF_NONE_MATCH=etag)
    assert refused.status_code in (401, 403)
    # Staff see more (contact details on companies), so their copy has another tag.
    assert (
        staff_client.get("/api/v1/companies/")["ETag"]
        != (partner_client.get("/api/v1/companies/")["ETag"])
    )


def test_a_stale_or_malformed_etag_gets_the_full_body(partner_client):
    ZoneFactory()
    for header in ('"not-the-etag"', "garbage without quotes", "*, ,", 'W/""'):
        response = partner_client.get("/api/v1/zones/", HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 200, header
        assert response.json()["results"]


def test_writes_are_never_answered_304(partner_client):
    response = partner_client.post("/api/v1/interests/", {}, format="json", HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 400
