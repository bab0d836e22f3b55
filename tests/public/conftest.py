import pytest
from django.urls import reverse

from tests.factories import IncentiveFactory, SectorFactory, ZoneFactory


@pytest.fixture
def software(db):
    return SectorFactory(name="Software", slug="software")


@pytest.fixture
def karachi_zone(software):
    zone = ZoneFactory(
        name="Karachi Technology Zone",
        slug="karachi-technology-zone",
        city="Karachi",
        province="Sindh",
        status="under_development",
    )
    zone.sectors.add(software)
    zone.incentives.add(
        IncentiveFactory(name="Corporate-tax waiver", duration_years=10),
        IncentiveFactory(name="Customs-duty exemption", kind="customs_exemption"),
    )
    return zone


@pytest.fixture
def lahore_zone(db):
    return ZoneFactory(
        name="Lahore Technology Park", slug="lahore-technology-park", province="Punjab"
    )


@pytest.fixture
def registration_data(karachi_zone, software):
    """A complete, valid submission of the public form."""
    return {
        "company_name": "Acme Ltd",
        "origin": "global",
        "country": "GB",
        "sector": software.slug,
        "website": "https://acme.example",
        "contact_name": "Ayesha Khan",
        "contact_email": "ayesha@acme.example",
        "contact_phone": "+44 20 7946 0000",
        "zones": [karachi_zone.slug],
        "planned_investment_usd": "2,500,000",
        "planned_jobs": "120",
        "message": "We build payment software.",
        "consent": "on",
    }


def fresh_form_token(client):
    """The one-time token of a freshly rendered form, as a browser would send back."""
    return client.get(reverse("public:register")).context["form_token"]


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks, run_tasks):
    """POST the form the way a browser does (with the rendered form's token); emails go out."""

    def post(data, *, token=None, http_client=None, **extra):
        http_client = http_client or client
        token = token if token is not None else fresh_form_token(http_client)
        with django_capture_on_commit_callbacks(execute=True):
            response = http_client.post(
                reverse("public:register"), {**data, "form_token": token}, **extra
            )
        run_tasks()
        return response

    return post
