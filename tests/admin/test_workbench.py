"""The workbench as staff read it: dashboard panels, menu sections, brand, money and labels."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    InterestRegistrationFactory,
    PledgeFactory,
    TargetFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response, response.content.decode()


def test_overdue_target_is_marked_overdue_in_words_and_style(client, staff_user):
    TargetFactory(
        name="IT exports of US$5 billion a year",
        metric="it_exports_usd",
        target_value=Decimal("5000000000"),
        reported_value=Decimal("2125000000"),
        start_date=datetime.date(2020, 7, 1),
        due_date=datetime.date(2023, 6, 30),
    )
    TargetFactory(name="Still on its way", due_date=datetime.date(2099, 12, 31))
    response, body = dashboard(client, staff_user)
    rows = {row["name"]: row for row in response.context["dashboard"]["targets"]}
    assert rows["IT exports of US$5 billion a year"]["overdue"] is True
    assert rows["Still on its way"]["overdue"] is False
    overdue_row = body.split("IT exports of US$5 billion a year")[0].rsplit("<li", 1)[1]
    assert "registry-overdue" in overdue_row
    assert "Overdue</strong> since 30 Jun 2023" in body
    assert "US$2,125,000,000 of US$5,000,000,000" in body


def test_reached_target_past_its_date_is_not_overdue(client, staff_user):
    ZoneFactory(status="operational")
    TargetFactory(
        name="One zone",
        metric="zones_operational",
        target_value=Decimal("1"),
        due_date=datetime.date(2020, 1, 1),
        start_date=datetime.date(2019, 1, 1),
    )
    response, body = dashboard(client, staff_user)
    (row,) = response.context["dashboard"]["targets"]
    assert row["reached"] and not row["overdue"]
    assert "Overdue" not in body


def test_all_waiting_link_lists_exactly_what_the_count_counts(client, staff_user):
    for status in ("received", "received", "under_review", "accepted", "declined"):
        InterestRegistrationFactory(status=status)
    response, body = dashboard(client, staff_user)
    assert "Registrations awaiting review (3)" in body
    url = response.context["dashboard"]["awaiting_review_url"]
    assert f'href="{url}"'.replace("&", "&amp;") in body or f'href="{url}"' in body
    listed = client.get(url)
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 3


def test_dashboard_money_reads_with_currency_and_separators(client, staff_user):
    PledgeFactory(amount=Decimal("2500000.00"))
    _, body = dashboard(client, staff_user)
    assert "US$2,500,000" in body
    assert "2500000.00" not in body


def test_one_changes_panel_not_two_boxes_on_one_spot(client, staff_user):
    _, body = dashboard(client, staff_user)
    assert "Latest changes" in body
    assert "recent-actions-module" not in body
    assert 'id="content-related"' not in body


def test_system_records_are_grouped_for_superusers_only(client, staff_user, data_entry_user):
    response, body = dashboard(client, staff_user)
    sections = {app["name"]: app for app in response.context["app_list"]}
    assert "System" in sections
    assert {model["name"] for model in sections["System"]["models"]} >= {
        "Access attempts",
        "Idempotency records",
        "Tombstones",
    }
    assert "Axes" not in sections and "Programme" not in sections
    assert "Users and access" in sections

    response, body = dashboard(client, data_entry_user)
    names = {app["name"] for app in response.context["app_list"]}
    assert "System" not in names
    for hidden in ("Access attempts", "Idempotency records", "Tombstones"):
        assert hidden not in body


def test_one_product_name_on_the_admin_and_the_public_site(client, staff_user, settings):
    _, body = dashboard(client, staff_user)
    assert settings.PRODUCT_NAME in body
    assert "Django administration" not in body and "Zones Registry admin" not in body
    public = client.get(reverse("public:home")).content.decode()
    assert settings.PRODUCT_NAME in public
    client.logout()
    login = client.get(reverse("admin:login")).content.decode()
    assert settings.PRODUCT_NAME in login


def test_year_drill_down_names_its_date(client, staff_user):
    ZoneFactory()
    client.force_login(staff_user)
    body = client.get(reverse("admin:zones_zone_changelist")).content.decode()
    assert 'id="registry-drilldown-label">Target opening date:</span>' in body


def test_read_only_inline_rows_do_not_repeat_their_titles(client, staff_user):
    pledge = PledgeFactory(amount=Decimal("2500000.00"))
    client.force_login(staff_user)
    body = client.get(
        reverse("admin:companies_company_change", args=(pledge.company_id,))
    ).content.decode()
    inline = body.split('id="pledges-group"')[1].split("</table>")[0]
    assert str(pledge) not in inline
    assert "US$2,500,000" in inline or "2,500,000" in inline


def test_zone_list_keeps_few_enough_columns_for_the_money_to_show(client, staff_user):
    ZoneFactory()
    client.force_login(staff_user)
    response = client.get(reverse("admin:zones_zone_changelist"))
    assert len(response.context["cl"].list_display) <= 8  # the checkbox column included
    assert "pledged_usd" in response.context["cl"].list_display
