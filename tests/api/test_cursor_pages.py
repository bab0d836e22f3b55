"""Keyset pages on every list (`?cursor=`): rows changed between pages are never skipped."""

import pytest

from tests.factories import PledgeFactory, ZoneFactory

pytestmark = pytest.mark.django_db

LISTS = ("zones", "developers", "incentives", "companies", "interests", "pledges")


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("path", LISTS)
def test_every_list_takes_a_cursor(partner_client, path):
    body = page(partner_client, f"/api/v1/{path}/?cursor=")
    assert set(body) == {"next", "previous", "results"}


def test_a_row_deleted_between_pages_does_not_hide_the_next_one(partner_client):
    """The issue's case: with page numbers, deleting a row on page 1 skips a row for good."""
    pledges = PledgeFactory.create_batch(6)
    ids = [pledge.pk for pledge in pledges]
    first = page(partner_client, "/api/v1/pledges/?cursor=&page_size=3")
    seen = [row["id"] for row in first["results"]]
    assert seen == ids[:3]
    pledges[0].delete()
    pledges[1].amount = pledges[1].amount_usd = pledges[1].amount + 1
    pledges[1].save()  # updated, so it would move in an `updated` ordering
    rest = page(partner_client, first["next"])
    seen += [row["id"] for row in rest["results"]]
    assert seen == ids
    assert rest["next"] is None


def test_page_numbers_still_work(partner_client):
    ZoneFactory.create_batch(3)
    body = page(partner_client, "/api/v1/zones/?page=2&page_size=2")
    assert body["count"] == 3
    assert len(body["results"]) == 1


def test_filters_apply_to_cursor_pages(partner_client):
    ZoneFactory.create_batch(2, status="operational")
    ZoneFactory(status="proposed")
    body = page(partner_client, "/api/v1/zones/?cursor=&status=operational")
    assert {row["status"] for row in body["results"]} == {"operational"}
    assert len(body["results"]) == 2


@pytest.mark.parametrize("query", ("cursor=garbage", "cursor=%00", "cursor=&ordering=name"))
def test_a_bad_cursor_or_an_ordering_with_it_is_a_400(partner_client, query):
    response = partner_client.get(f"/api/v1/zones/?{query}")
    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {"cursor", "ordering"}


def test_cursor_pages_cost_what_page_numbers_cost(partner_client, django_assert_max_num_queries):
    ZoneFactory.create_batch(20)
    with django_assert_max_num_queries(8):
        body = page(partner_client, "/api/v1/zones/?cursor=&page_size=100")
    assert len(body["results"]) == 20
