"""Each channel gives the service's answer: public form, POST interests/, admin add form, import.

The same five cases on every surface (cancelled zone, domestic company outside Pakistan, too many
zones, jobs over the limit, a duplicate company), each expecting the words of companies.rules,
keyed by the surface's own field (a form error kept beside the typed input, an API 400 with
field keys, an admin form error, an import row error naming the column).
"""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from companies import rules
from companies.models import Company, Contact, InterestRegistration
from notifications.choices import NotificationEvent
from notifications.models import Notification
from partners.models import PartnerKey
from tests.factories import CompanyFactory, ContactFactory, ZoneFactory

pytestmark = pytest.mark.django_db

CANCELLED = "Not open for registration: Gwadar Tech Park (cancelled)."
DOMESTIC = "A domestic company is registered in Pakistan"
TOO_MANY = f"Choose at most {rules.MAX_ZONES_PER_REGISTRATION} zones in one registration"
JOBS = f"The number of jobs can be at most {rules.MAX_PLANNED_JOBS:,}."


@pytest.fixture
def open_zone(db):
    return ZoneFactory(slug="karachi-technology-zone")


@pytest.fixture
def gwadar(db):
    return ZoneFactory(name="Gwadar Tech Park", slug="gwadar-tech-park", status="cancelled")


@pytest.fixture
def existing(db):
    """A company and contact as staff entered them."""
    company = CompanyFactory(name="Acme Ltd", origin="global", country="GB")
    contact = ContactFactory(
        company=company, name="Ayesha Khan", email="ayesha@acme.example", phone="+44 20 7946 0000"
    )
    return company, contact


def submission(zone_slugs, **changes):
    data = {
        "company_name": "Indus Cloud (Pvt) Ltd",
        "origin": "domestic",
        "country": "PK",
        "contact_name": "Bilal Ahmed",
        "contact_email": "bilal@induscloud.example",
        "contact_phone": "+92 21 1234567",
        "zones": zone_slugs,
        "planned_investment_usd": "2500000",
        "planned_jobs": "120",
        "message": "Data-centre hall.",
    }
    data.update(changes)
    return data


def cases():
    """(case, builder) where builder(open_zone, gwadar) gives (changes, field, words)."""
    return [
        ("cancelled zone", lambda z, g: ({"zones": [g.slug]}, "zones", CANCELLED)),
        (
            "domestic outside Pakistan",
            lambda z, g: ({"origin": "domestic", "country": "GB"}, "country", DOMESTIC),
        ),
        (
            "too many zones",
            lambda z, g: (
                {"zones": [zone.slug for zone in ZoneFactory.create_batch(21)]},
                "zones",
                TOO_MANY,
            ),
        ),
        ("jobs over the limit", lambda z, g: ({"planned_jobs": "10000001"}, "planned_jobs", JOBS)),
    ]


CASES = cases()
IDS = [case[0] for case in CASES]
BUILDERS = [case[1] for case in CASES]


def assert_unchanged(existing):
    company, contact = existing
    assert Company.objects.count() == 1
    assert Contact.objects.count() == 1
    company.refresh_from_db()
    contact.refresh_from_db()
    assert (company.name, company.origin, company.country.code) == ("Acme Ltd", "global", "GB")
    assert (contact.name, contact.phone) == ("Ayesha Khan", "+44 20 7946 0000")


DUPLICATE = {
    "company_name": "ACME LIMITED",
    "origin": "global",
    "country": "US",
    "contact_name": "Someone Else",
    "contact_email": "Ayesha@Acme.example",
    "contact_phone": "+1 555 0100",
}


# --- the public form -----------------------------------------------------------------------


def post_form(client, data):
    token = client.get(reverse("public:register")).context["form_token"]
    return client.post(reverse("public:register"), {**data, "consent": "on", "form_token": token})


@pytest.mark.parametrize("build", BUILDERS, ids=IDS)
def test_public_form_gives_the_service_answer_and_keeps_the_input(client, open_zone, gwadar, build):
    changes, field, words = build(open_zone, gwadar)
    response = post_form(client, submission([open_zone.slug], **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(words in message for message in form.errors[field]), form.errors
    assert form["company_name"].value() == "Indus Cloud (Pvt) Ltd"
    assert InterestRegistration.objects.count() == 0


def test_public_form_joins_a_duplicate_company_and_changes_nothing(client, open_zone, existing):
    response = post_form(client, submission([open_zone.slug], **DUPLICATE))
    assert response.status_code == 302
    registration = InterestRegistration.objects.get()
    assert registration.company == existing[0]
    assert registration.submitted_contact_name == "Someone Else"
    assert_unchanged(existing)


# --- POST /api/v1/interests/ ---------------------------------------------------------------


@pytest.fixture
def partner(db):
    client = APIClient()
    _key, raw = PartnerKey.objects.create_key(name="Statistics office", organisation="PBS")
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def post_api(client, data, key="k-1"):
    return client.post("/api/v1/interests/", data, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.parametrize("build", BUILDERS, ids=IDS)
def test_api_gives_the_service_answer_as_a_400_by_field(partner, open_zone, gwadar, build):
    changes, field, words = build(open_zone, gwadar)
    response = post_api(partner, submission([open_zone.slug], **changes))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert any(words in message for message in body["errors"][field]), body
    assert InterestRegistration.objects.count() == 0


def test_api_joins_a_duplicate_company_and_changes_nothing(partner, open_zone, existing):
    response = post_api(partner, submission([open_zone.slug], **DUPLICATE))
    assert response.status_code == 201, response.content
    assert InterestRegistration.objects.get().company == existing[0]
    assert_unchanged(existing)


# --- the admin's add form (staff entry) ----------------------------------------------------


def post_admin(client, company, zones, **changes):
    data = {
        "company": company.pk,
        "contact": "",
        "zones": [zone.pk for zone in zones],
        "planned_investment_usd": "2500000",
        "planned_jobs": "120",
        "target_date": "",
        "message": "Entered from a phone call.",
    }
    data.update(changes)
    return client.post(reverse("admin:companies_interestregistration_add"), data)


def admin_case(name, open_zone, gwadar):
    """The same four cases, as staff meet them: they pick a company and zones by id."""
    home = CompanyFactory(origin="domestic", country="PK")
    return {
        "cancelled zone": (home, [gwadar], {}, "zones", CANCELLED),
        "domestic outside Pakistan": (
            CompanyFactory(origin="domestic", country="GB"),
            [open_zone],
            {},
            "company",
            DOMESTIC,
        ),
        "too many zones": (home, ZoneFactory.create_batch(21), {}, "zones", TOO_MANY),
        "jobs over the limit": (
            home,
            [open_zone],
            {"planned_jobs": "10000001"},
            "planned_jobs",
            JOBS,
        ),
    }[name]


@pytest.mark.parametrize("name", IDS)
def test_admin_add_form_gives_the_service_answer_as_form_errors(
    client, staff_user, open_zone, gwadar, name
):
    company, zones, changes, field, words = admin_case(name, open_zone, gwadar)
    client.force_login(staff_user)
    response = post_admin(client, company, zones, **changes)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert any(words in message for message in form.errors[field]), form.errors
    assert form["message"].value() == "Entered from a phone call."
    assert InterestRegistration.objects.count() == 0


def test_admin_add_goes_through_the_service_for_an_existing_company(
    client, staff_user, open_zone, existing
):
    client.force_login(staff_user)
    response = post_admin(client, existing[0], [open_zone], contact=existing[1].pk)
    assert response.status_code == 302
    registration = InterestRegistration.objects.get()
    assert (registration.company, registration.contact) == existing
    assert (registration.channel, registration.submitted_by) == ("staff", staff_user)
    assert list(registration.zones.all()) == [open_zone]
    # The service's acknowledgement, queued once for the contact.
    acknowledgements = Notification.objects.filter(
        event=NotificationEvent.REGISTRATION_RECEIVED, object_id=registration.pk
    )
    assert [n.recipient for n in acknowledgements] == [existing[1].email]
    assert_unchanged(existing)


# --- import_records registrations FILE ------------------------------------------------------

HEADER = (
    "company_name,origin,country,contact_name,contact_email,contact_phone,zones,"
    "planned_investment_usd,planned_jobs,message"
)


def import_file(tmp_path, data):
    row = ",".join(
        f'"{",".join(value) if isinstance(value, list) else value}"'
        for value in (data[column] for column in HEADER.split(","))
    )
    path = tmp_path / "registrations.csv"
    path.write_text(f"{HEADER}\n{row}\n")
    return path


@pytest.mark.parametrize("build", BUILDERS, ids=IDS)
def test_import_gives_the_service_answer_by_column(tmp_path, capsys, open_zone, gwadar, build):
    changes, field, words = build(open_zone, gwadar)
    path = import_file(tmp_path, submission([open_zone.slug], **changes))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_records", "registrations", str(path), verbosity=0)
    problems = capsys.readouterr().err
    assert f"row 1: {field}: " in problems and words in problems, problems
    assert InterestRegistration.objects.count() == 0


def test_import_joins_a_duplicate_company_and_changes_nothing(tmp_path, open_zone, existing):
    path = import_file(tmp_path, submission([open_zone.slug], **DUPLICATE))
    call_command("import_records", "registrations", str(path), verbosity=0)
    registration = InterestRegistration.objects.get()
    assert (registration.company, registration.channel) == (existing[0], "import")
    assert registration.submitted_company_name == "ACME LIMITED"
    assert_unchanged(existing)


def test_admin_shows_what_was_submitted_read_only(client, staff_user, open_zone, existing):
    post_api_client = APIClient()
    _key, raw = PartnerKey.objects.create_key(name="Another partner", organisation="X")
    post_api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert post_api(post_api_client, submission([open_zone.slug], **DUPLICATE)).status_code == 201
    registration = InterestRegistration.objects.get()
    client.force_login(staff_user)
    url = reverse("admin:companies_interestregistration_change", args=(registration.pk,))
    page = client.get(url)
    form = page.context["adminform"].form
    assert "submitted_contact_name" not in form.fields  # shown, never editable
    html = page.content.decode()
    assert "As submitted" in html
    assert "Someone Else" in html and "+1 555 0100" in html and "ACME LIMITED" in html
    # Saving the change form cannot rewrite them either.
    client.post(
        url,
        {
            "company": existing[0].pk,
            "contact": existing[1].pk,
            "zones": [open_zone.pk],
            "submitted_contact_name": "Overwritten",
            "message": "",
        },
    )
    registration.refresh_from_db()
    assert registration.submitted_contact_name == "Someone Else"


def test_import_reads_country_codes_in_any_case(tmp_path, open_zone):
    path = import_file(tmp_path, submission([open_zone.slug], origin="domestic", country="pk"))
    call_command("import_records", "registrations", str(path), verbosity=0)
    assert InterestRegistration.objects.get().company.country.code == "PK"
