"""The client address behind TRUSTED_PROXY_COUNT proxies, as the lockout and the limits see it.

The proxy (REMOTE_ADDR 127.0.0.1) appends the address it received each request from to
X-Forwarded-For; whatever a client put there itself stays to the left and is not believed.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from api.throttling import AnonymousRateThrottle
from companies.models import InterestRegistration
from core.client_ip import client_ip
from tests.factories import StaffUserFactory, ZoneFactory
from tests.public.conftest import fresh_form_token

PROXY = "127.0.0.1"
REAL_STAFF = "198.51.100.7"
ATTACKER = "203.0.113.66"


def via_proxy(client_address, spoofed=None):
    """The META a request has after the proxy appended `client_address`."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.mark.parametrize(
    ("count", "meta", "expected"),
    [
        # No trusted proxy: the header is the client's own word and is ignored.
        (0, {"REMOTE_ADDR": ATTACKER, "HTTP_X_FORWARDED_FOR": REAL_STAFF}, ATTACKER),
        (0, via_proxy(ATTACKER), PROXY),
        # One proxy: the entry it appended, whatever the client wrote before it.
        (1, via_proxy(ATTACKER), ATTACKER),
        (1, via_proxy(ATTACKER, spoofed=REAL_STAFF), ATTACKER),
        (1, via_proxy(ATTACKER, spoofed="1.1.1.1, 2.2.2.2"), ATTACKER),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
        # What the proxy appended is not an address: forged, so the socket is the key.
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.1.1.1, not-an-ip"}, PROXY),
        # Two proxies (a load balancer, then nginx): the load balancer's entry is the client.
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{ATTACKER}, 10.0.0.2"}, ATTACKER),
        (
            2,
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{REAL_STAFF}, {ATTACKER}, 10.0.0.2"},
            ATTACKER,
        ),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ATTACKER}, ATTACKER),
    ],
)
def test_client_ip(settings, count, meta, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(RequestFactory().get("/", **meta)) == expected


# --- django-axes: the login lockout ------------------------------------------------------


@pytest.mark.axes
@pytest.mark.django_db
def test_an_attacker_behind_the_proxy_locks_out_only_their_own_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    StaffUserFactory(username="clerk", is_superuser=True)
    attacker = Client(**via_proxy(ATTACKER, spoofed=REAL_STAFF))
    for _ in range(6):
        attacker.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    locked = attacker.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    assert locked.status_code == 429

    staff = Client(**via_proxy(REAL_STAFF))
    response = staff.post(
        "/admin/login/?next=/admin/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert staff.session["_auth_user_id"]


@pytest.mark.axes
@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_dodge_the_lockout(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    StaffUserFactory(username="clerk", is_superuser=True)
    for n in range(6):
        # A new made-up address on every try, straight to the app.
        Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/admin/login/", {"username": "clerk", "password": "wrong"}
        )
    locked = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99").post(
        "/admin/login/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert locked.status_code == 429


# --- the public form's rate limit ---------------------------------------------------------


@pytest.fixture
def form_data(db):
    zone = ZoneFactory(slug="karachi-technology-zone")
    return {
        "company_name": "Acme Ltd",
        "origin": "global",
        "country": "GB",
        "contact_name": "Ayesha Khan",
        "contact_email": "bad",  # invalid: refused, but counted by the limit
        "zones": [zone.slug],
        "consent": "on",
    }


def post_form(client, data):
    return client.post(reverse("public:register"), {**data, "form_token": fresh_form_token(client)})


@pytest.mark.django_db
def test_visitors_behind_the_proxy_have_their_own_form_limit(settings, form_data):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PUBLIC_REGISTRATION_RATE = "2/h"  # an hour window: no boundary mid-test
    first = Client(**via_proxy(ATTACKER))
    assert [post_form(first, form_data).status_code for _ in range(3)] == [200, 200, 429]
    # A spoofed header from the same visitor does not buy a fresh limit.
    spoofing = Client(**via_proxy(ATTACKER, spoofed="192.0.2.1"))
    assert post_form(spoofing, form_data).status_code == 429
    # Another visitor through the same proxy is not held back by the first.
    assert post_form(Client(**via_proxy(REAL_STAFF)), form_data).status_code == 200
    assert InterestRegistration.objects.count() == 0


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_form_limit_ignores_forged_headers(settings, form_data):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.PUBLIC_REGISTRATION_RATE = "2/h"  # an hour window: no boundary mid-test
    statuses = [
        post_form(
            Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), form_data
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


# --- the API's anonymous throttle ---------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_api_callers_behind_the_proxy_are_throttled_apart(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(AnonymousRateThrottle, "rate", "2/minute", raising=False)
    attacker = Client(**via_proxy(ATTACKER))
    assert [attacker.get("/api/v1/zones/").status_code for _ in range(3)] == [200, 200, 429]
    spoofing = Client(**via_proxy(ATTACKER, spoofed=REAL_STAFF))
    assert spoofing.get("/api/v1/zones/").status_code == 429
    assert Client(**via_proxy(REAL_STAFF)).get("/api/v1/zones/").status_code == 200


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_api_throttle_ignores_forged_headers(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(AnonymousRateThrottle, "rate", "2/minute", raising=False)
    statuses = [
        Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        .get("/api/v1/zones/")
        .status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
