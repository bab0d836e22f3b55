"""Aftercare: the interaction log, follow-ups due, and each company's pipeline stage."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from companies.models import Company, Interaction
from companies.services import interaction_record
from tests.admin.roles import user_in_role
from tests.factories import CompanyFactory, InterestRegistrationFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


def log(company, officer, day, follow_up=None, kind="call"):
    return interaction_record(
        company=company, kind=kind, officer=officer, happened_on=day, next_follow_up_on=follow_up
    )


def test_follow_up_before_the_interaction_is_refused_by_service_and_database():
    company, officer = CompanyFactory(), StaffUserFactory()
    with pytest.raises(ValidationError, match="cannot be before"):
        log(company, officer, TODAY, follow_up=TODAY - datetime.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(
            company=company,
            kind="call",
            happened_on=TODAY,
            next_follow_up_on=TODAY - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        log(company, officer, TODAY, kind="fax")


def test_follow_ups_due_lists_each_companys_latest_open_follow_up():
    officer = StaffUserFactory()
    due, answered, later = CompanyFactory(), CompanyFactory(), CompanyFactory()
    waiting = log(due, officer, TODAY - datetime.timedelta(days=10), follow_up=TODAY)
    log(answered, officer, TODAY - datetime.timedelta(days=10), follow_up=TODAY)
    log(answered, officer, TODAY - datetime.timedelta(days=1))  # the follow-up happened
    log(later, officer, TODAY, follow_up=TODAY + datetime.timedelta(days=7))
    assert list(Interaction.objects.follow_ups_due(TODAY)) == [waiting]


def test_pipeline_stage_is_the_furthest_registration():
    prospect = CompanyFactory(name="Prospect Ltd")
    registered = InterestRegistrationFactory(status="received").company
    reviewing = InterestRegistrationFactory(status="information_requested").company
    accepted = InterestRegistrationFactory(status="accepted").company
    InterestRegistrationFactory(company=accepted, status="declined")
    stages = dict(Company.objects.with_pipeline_stage().values_list("pk", "pipeline_stage"))
    assert stages == {
        prospect.pk: "prospect",
        registered.pk: "registered",
        reviewing.pk: "in_review",
        accepted.pk: "accepted",
    }


def test_interaction_added_on_the_company_page_records_the_signed_in_officer(client):
    data_entry_user = user_in_role("Data entry", "clerk")
    company = CompanyFactory()
    client.force_login(data_entry_user)
    url = reverse("admin:companies_company_change", args=(company.pk,))
    page = client.get(url)
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key != "sector"
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management.initial.get(name, 0)
    data.update(
        {
            "interactions-0-happened_on": "2026-11-20",
            "interactions-0-kind": "visit",
            "interactions-0-notes": "Walked the plot with their CFO.",
            "interactions-0-next_follow_up_on": "2026-12-01",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    interaction = company.interactions.get()
    assert (interaction.kind, interaction.officer) == ("visit", data_entry_user)


def test_dashboard_lists_follow_ups_due(client, staff_user):
    company = CompanyFactory(name="Follow Me Ltd")
    log(company, staff_user, datetime.date(2026, 1, 5), follow_up=datetime.date(2026, 2, 1))
    client.force_login(staff_user)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Follow-ups due today" in body
    assert "Follow Me Ltd" in body.split('id="follow-ups"')[1].split("</section>")[0]


def test_company_list_shows_the_stage_without_a_query_per_row(
    client, staff_user, django_assert_max_num_queries
):
    for _ in range(20):
        InterestRegistrationFactory(status="under_review")
    client.force_login(staff_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:companies_company_changelist"))
    assert response.content.decode().count("In review") >= 20
