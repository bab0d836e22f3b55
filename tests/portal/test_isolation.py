"""Who may open what: every portal URL for company A's records (in developer X's zone), opened by
every kind of visitor.

The owner gets the page (or, after a POST, a redirect); any other account gets 404, exactly as
for a record that does not exist, so the portal never confirms what another party holds;
anonymous visitors are sent to sign in. Developer X sees the registrations, licences and
returns in its zone (read only), never company A's documents; companies never see the
developer's zone pages; developers never post to a company's records.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from companies.models import InterestRegistration
from enterprises.models import AnnualReturn, Plot
from portal.models import RenewalRequest

pytestmark = pytest.mark.django_db

VISITORS = ["company_a", "company_b", "developer_x", "developer_y", "staff", "anonymous"]
LOGIN = "/accounts/login/"


@pytest.fixture
def world(
    user_a,
    user_b,
    dev_user_x,
    dev_user_y,
    staff,
    registration_a,
    enterprise_a,
    annual_return_a,
    plot_x,
    document_a,
    zone_x,
    zone_y,
):
    """Everything the matrix opens, and a signed-in client for each visitor."""
    users = {
        "company_a": user_a,
        "company_b": user_b,
        "developer_x": dev_user_x,
        "developer_y": dev_user_y,
        "staff": staff,
    }
    return {
        "users": users,
        "registration": registration_a,
        "enterprise": enterprise_a,
        "annual_return": annual_return_a,
        "plot": plot_x,
        "document": document_a,
        "zone": zone_x,
    }


def client_for(world, visitor) -> Client:
    client = Client()
    if visitor != "anonymous":
        client.force_login(world["users"][visitor])
    return client


# Each case: (name, method, path from the world, POST data, who may, what the owner gets).
CASES = [
    (
        "registration",
        "get",
        lambda w: f"/portal/registrations/{w['registration'].reference}/",
        None,
        {"company_a", "developer_x"},
        200,
    ),
    (
        "registration-withdraw",
        "post",
        lambda w: f"/portal/registrations/{w['registration'].reference}/withdraw/",
        {"reason": "Plans changed."},
        {"company_a"},
        302,
    ),
    (
        "licence",
        "get",
        lambda w: f"/portal/licences/{w['enterprise'].pk}/",
        None,
        {"company_a", "developer_x"},
        200,
    ),
    (
        "licence-renew",
        "post",
        lambda w: f"/portal/licences/{w['enterprise'].pk}/renew/",
        {"message": "Please renew."},
        {"company_a"},
        302,
    ),
    (
        "return",
        "get",
        lambda w: f"/portal/returns/{w['annual_return'].pk}/",
        None,
        {"company_a", "developer_x"},
        200,
    ),
    (
        "return-post",
        "post",
        lambda w: f"/portal/returns/{w['annual_return'].pk}/",
        {"action": "draft", "currency": "USD", "employees_total": "7"},
        {"company_a"},
        302,
    ),
    (
        "document",
        "get",
        lambda w: f"/portal/documents/{w['document'].pk}/",
        None,
        {"company_a"},
        200,
    ),
    ("zone", "get", lambda w: f"/portal/zones/{w['zone'].slug}/", None, {"developer_x"}, 200),
    (
        "zone-propose",
        "post",
        lambda w: f"/portal/zones/{w['zone'].slug}/",
        {"description": "A proposed description."},
        {"developer_x"},
        302,
    ),
    (
        "plot-occupy",
        "post",
        lambda w: f"/portal/plots/{w['plot'].pk}/occupy/",
        {"occupied_on": "2026-01-05"},
        {"developer_x"},
        302,
    ),
]


def unchanged(world) -> dict:
    """What a refused request must leave as it was."""
    registration = InterestRegistration.objects.get(pk=world["registration"].pk)
    annual_return = AnnualReturn.objects.get(pk=world["annual_return"].pk)
    return {
        "registration": registration.status,
        "return": (annual_return.status, annual_return.employees_total),
        "plot": Plot.objects.get(pk=world["plot"].pk).status,
        "renewals": RenewalRequest.objects.count(),
        "zone": world["zone"].description_proposals.count(),
    }


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(
    ("name", "method", "path", "data", "allowed", "owner_status"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_matrix(world, visitor, name, method, path, data, allowed, owner_status):
    client = client_for(world, visitor)
    url = path(world)
    before = unchanged(world)
    response = getattr(client, method)(url, data or {})
    if visitor == "anonymous":
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(f"{LOGIN}?next=")
        assert unchanged(world) == before
    elif visitor in allowed:
        assert response.status_code == owner_status, (name, visitor, response.status_code)
    else:
        assert response.status_code == 404, (name, visitor, response.status_code)
        assert unchanged(world) == before


# --- the owner's writes took effect (so the 404s above are refusals, not broken URLs) --------


def test_the_owners_writes_take_effect(world):
    company = client_for(world, "company_a")
    developer = client_for(world, "developer_x")
    company.post(
        f"/portal/registrations/{world['registration'].reference}/withdraw/", {"reason": ""}
    )
    company.post(f"/portal/licences/{world['enterprise'].pk}/renew/", {"message": ""})
    company.post(
        f"/portal/returns/{world['annual_return'].pk}/",
        {"action": "draft", "currency": "USD", "employees_total": "7"},
    )
    developer.post(f"/portal/plots/{world['plot'].pk}/occupy/", {"occupied_on": "2026-01-05"})
    developer.post(f"/portal/zones/{world['zone'].slug}/", {"description": "Proposed."})
    after = unchanged(world)
    assert after["registration"] == "withdrawn"
    assert after["return"] == ("due", 7)
    assert after["plot"] == "occupied"
    assert after["renewals"] == 1
    assert after["zone"] == 1


# --- pages by kind of account ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/portal/zones/", "/portal/compliance/"])
@pytest.mark.parametrize("visitor", VISITORS)
def test_developer_pages(world, visitor, path):
    response = client_for(world, visitor).get(path)
    if visitor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    elif visitor.startswith("developer"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


LISTS = [
    "/portal/",
    "/portal/registrations/",
    "/portal/licences/",
    "/portal/plots/",
    "/portal/returns/",
    "/portal/colleagues/",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("visitor", VISITORS)
def test_every_member_has_the_lists_and_nobody_else(world, visitor, path):
    response = client_for(world, visitor).get(path)
    if visitor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    elif visitor == "staff":
        assert response.status_code == 404
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("path", LISTS[:5])
@pytest.mark.parametrize("visitor", ["company_b", "developer_y"])
def test_the_lists_do_not_show_another_partys_records(world, visitor, path):
    html = client_for(world, visitor).get(path).content.decode()
    assert world["registration"].reference not in html
    assert world["enterprise"].licence_number not in html
    assert world["plot"].number not in html
    assert "Alpha Software" not in html


@pytest.mark.parametrize("path", ["/portal/registrations/", "/portal/licences/"])
def test_the_developer_lists_show_its_zones_records(world, path):
    html = client_for(world, "developer_x").get(path).content.decode()
    assert "Alpha Software" in html


@pytest.mark.parametrize("visitor", VISITORS)
def test_a_claim_with_a_wrong_token_is_404_for_everyone(world, visitor):
    client = client_for(world, visitor)
    assert client.post("/portal/claim/not-the-real-token/").status_code == 404
    assert client.post("/portal/claim/x/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/portal/registrations/TZR-0000-0000/",
        "/portal/licences/999999/",
        "/portal/returns/999999/",
        "/portal/documents/999999/",
        "/portal/zones/no-such-zone/",
    ],
)
def test_records_that_do_not_exist_are_404_like_other_partys(world, path):
    for visitor in ("company_a", "developer_x"):
        response = client_for(world, visitor).get(path)
        assert response.status_code == 404, (visitor, path)


def test_a_developer_user_cannot_download_company_documents(world):
    client = client_for(world, "developer_x")
    assert client.get(f"/portal/documents/{world['document'].pk}/").status_code == 404


def test_a_switched_off_membership_sees_nothing(world):
    membership = world["users"]["company_a"].portal_membership
    membership.is_active = False
    membership.save()
    client = client_for(world, "company_a")
    assert client.get("/portal/").status_code == 404
    assert client.get(f"/portal/documents/{world['document'].pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        lambda w: f"/portal/registrations/{w['registration'].reference}/withdraw/",
        lambda w: f"/portal/licences/{w['enterprise'].pk}/renew/",
        lambda w: f"/portal/plots/{w['plot'].pk}/occupy/",
    ],
)
def test_writes_take_no_get(world, path):
    owner = "developer_x" if "plots" in path(world) else "company_a"
    response = client_for(world, owner).get(path(world))
    assert response.status_code == 405
    assert unchanged(world)["registration"] == "received"


def test_pages_with_records_are_not_cached(world):
    response = client_for(world, "company_a").get(
        f"/portal/registrations/{world['registration'].reference}/"
    )
    assert "no-store" in response["Cache-Control"]


def test_a_plot_occupied_on_a_future_day_is_refused_on_the_page(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    response = client_for(world, "developer_x").post(
        f"/portal/plots/{world['plot'].pk}/occupy/", {"occupied_on": tomorrow.isoformat()}
    )
    assert response.status_code in (200, 400)
    assert Plot.objects.get(pk=world["plot"].pk).status == "allocated"
