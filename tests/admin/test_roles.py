"""Each role can do what it should through the admin's real views, and nothing more."""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import (
    CompanyFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)
from zones.models import Zone

pytestmark = pytest.mark.django_db


def test_the_migration_creates_exactly_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Data entry",
        "Reviewer",
        "Analyst",
    }
    data_entry = set(
        Group.objects.get(name="Data entry").permissions.values_list("codename", flat=True)
    )
    assert {"add_zone", "change_zone", "add_pledge", "change_interestregistration"} <= data_entry
    assert not {codename for codename in data_entry if codename.startswith("delete_")}
    assert "review_interestregistration" not in data_entry
    reviewer = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )
    assert "review_interestregistration" in reviewer
    assert not {c for c in reviewer if c.startswith(("add_", "change_", "delete_"))}
    analyst = set(Group.objects.get(name="Analyst").permissions.values_list("codename", flat=True))
    assert analyst and all(codename.startswith("view_") for codename in analyst)


# --- Data entry -------------------------------------------------------------------------------


def test_data_entry_adds_and_changes_zones_but_cannot_delete(client, data_entry_user):
    zone = ZoneFactory()
    client.force_login(data_entry_user)
    assert client.get(reverse("admin:zones_zone_add")).status_code == 200
    assert client.get(reverse("admin:zones_zone_change", args=(zone.pk,))).status_code == 200
    assert client.get(reverse("admin:zones_zone_delete", args=(zone.pk,))).status_code == 403
    assert (
        client.post(
            reverse("admin:zones_zone_delete", args=(zone.pk,)), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Zone.objects.filter(pk=zone.pk).exists()


@pytest.mark.parametrize(
    "model",
    [
        "zones_zonedeveloper",
        "companies_company",
        "companies_interestregistration",
        "investments_pledge",
    ],
)
def test_data_entry_can_open_the_add_forms_it_needs(client, data_entry_user, model):
    client.force_login(data_entry_user)
    assert client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_data_entry_cannot_delete_companies_or_pledges(client, data_entry_user):
    company = CompanyFactory()
    pledge = PledgeFactory()
    client.force_login(data_entry_user)
    for name, obj in (("companies_company", company), ("investments_pledge", pledge)):
        response = client.post(reverse(f"admin:{name}_delete", args=(obj.pk,)), {"post": "yes"})
        assert response.status_code == 403


def test_data_entry_may_import_zones(client, data_entry_user):
    client.force_login(data_entry_user)
    assert client.get(reverse("admin:zones_zone_import")).status_code == 200


def test_data_entry_cannot_manage_users_or_targets(client, data_entry_user):
    client.force_login(data_entry_user)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:investments_target_add")).status_code == 403


# --- Reviewer ---------------------------------------------------------------------------------


def test_reviewer_sees_zones_read_only_and_cannot_change_them(client, reviewer_user):
    zone = ZoneFactory(city="Karachi")
    client.force_login(reviewer_user)
    assert client.get(reverse("admin:zones_zone_changelist")).status_code == 200
    view = client.get(reverse("admin:zones_zone_change", args=(zone.pk,)))
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    response = client.post(
        reverse("admin:zones_zone_change", args=(zone.pk,)),
        {"name": zone.name, "slug": zone.slug, "city": "Lahore"},
    )
    assert response.status_code == 403
    zone.refresh_from_db()
    assert zone.city == "Karachi"
    assert client.get(reverse("admin:zones_zone_add")).status_code == 403


def test_reviewer_runs_review_actions(client, reviewer_user):
    registration = InterestRegistrationFactory(status="received")
    client.force_login(reviewer_user)
    changelist = client.get(reverse("admin:companies_interestregistration_changelist"))
    assert "mark_under_review" in changelist.content.decode()
    client.post(
        reverse("admin:companies_interestregistration_review", args=(registration.pk,)),
        {"status": "under_review"},
    )
    registration.refresh_from_db()
    assert registration.status == "under_review"


def test_reviewer_cannot_edit_a_registrations_fields(client, reviewer_user):
    registration = InterestRegistrationFactory(planned_jobs=50)
    client.force_login(reviewer_user)
    response = client.post(
        reverse("admin:companies_interestregistration_change", args=(registration.pk,)),
        {"company": registration.company_id, "planned_jobs": "5000"},
    )
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.planned_jobs == 50


def test_reviewer_cannot_import(client, reviewer_user):
    client.force_login(reviewer_user)
    assert client.get(reverse("admin:companies_company_import")).status_code == 403


# --- Analyst ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["zones_zone", "zones_zonedeveloper", "companies_company", "investments_pledge"]
)
def test_analyst_views_and_exports(client, analyst_user, model):
    ZoneFactory()
    PledgeFactory()
    client.force_login(analyst_user)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    export_page = client.get(reverse(f"admin:{model}_export"))
    assert export_page.status_code == 200
    every_field = {
        name: "on"
        for name, field in export_page.context["form"].fields.items()
        if isinstance(field, forms.BooleanField)
    }
    response = client.post(reverse(f"admin:{model}_export"), {"format": "0", **every_field})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_analyst_cannot_add_change_delete_or_import(client, analyst_user):
    zone = ZoneFactory(city="Karachi")
    developer = ZoneDeveloperFactory()
    client.force_login(analyst_user)
    assert client.get(reverse("admin:zones_zone_add")).status_code == 403
    response = client.post(
        reverse("admin:zones_zone_change", args=(zone.pk,)),
        {"name": zone.name, "slug": zone.slug, "developer": developer.pk, "city": "Lahore"},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:zones_zone_delete", args=(zone.pk,)), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:zones_zone_import")).status_code == 403
    assert client.get(reverse("admin:investments_pledge_add")).status_code == 403
    zone.refresh_from_db()
    assert zone.city == "Karachi"


def test_analyst_cannot_review_registrations(client, analyst_user):
    registration = InterestRegistrationFactory(status="received")
    client.force_login(analyst_user)
    response = client.post(
        reverse("admin:companies_interestregistration_review", args=(registration.pk,)),
        {"status": "under_review"},
    )
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == "received"


def test_analyst_can_read_history_but_not_revert(client, analyst_user):
    zone = ZoneFactory()
    client.force_login(analyst_user)
    history = client.get(reverse("admin:zones_zone_history", args=(zone.pk,)))
    assert history.status_code == 200
    version = zone.history.earliest()
    url = reverse("admin:zones_zone_simple_history", args=(zone.pk, version.history_id))
    assert client.get(url).context["revert_disabled"] is True
