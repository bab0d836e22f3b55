"""Reports as of a past day: after days of changes, `as_of` gives back what was shown then.

Each "day" below writes through the services, then dates those writes (history and
creation stamps) at noon on that day, as if the registry had been used on it. The reports
taken live at the end of each day are what `as_of` must reproduce, figure for figure.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from companies.services import registration_transition
from enterprises.models import Enterprise
from investments.models import Pledge
from investments.services import disbursement_record, pledge_record, pledge_update
from programme import reports
from tests.factories import (
    CompanyFactory,
    EnterpriseFactory,
    InterestRegistrationFactory,
    PlotFactory,
    TargetFactory,
    ZoneFactory,
    date_writes_since,
)
from zones.models import Zone
from zones.services import zone_change_status

pytestmark = pytest.mark.django_db

REPORTS = ("rollout", "investment", "companies", "performance")
D = Decimal


def bodies(client, **params):
    """Every report as JSON, without the filters (which name the day asked for)."""
    result = {}
    for name in REPORTS:
        response = client.get(f"/api/v1/reports/{name}/", params)
        assert response.status_code == 200, response.content
        body = response.json()
        filters = body.pop("filters")
        assert filters["as_of"] == params.get("as_of", filters["as_of"])
        result[name] = body
    return result


@pytest.fixture
def days():
    today = timezone.localdate()
    return [today - datetime.timedelta(days=n) for n in (6, 4, 2)]


@pytest.fixture
def history(api_client, days, settings):
    """Three days of changes; the live reports (and summary) at the end of each."""
    settings.REPORT_CACHE_SECONDS = 0
    TargetFactory(
        metric="pledged_usd",
        target_value=D("10000000"),
        start_date=days[0] - datetime.timedelta(days=365),
        due_date=days[0] + datetime.timedelta(days=365),
    )
    seen = []

    def end_of(day):
        date_writes_since(since, day)
        seen.append((bodies(api_client), reports.programme_summary()))

    # Day 1: two zones, two companies, a registration, two pledges, one tranche.
    since = timezone.now()
    karachi = ZoneFactory(slug="karachi", province="Sindh", status="operational")
    lahore = ZoneFactory(slug="lahore", province="Punjab", status="approved")
    local = CompanyFactory(name="Local Soft", origin="domestic")
    abroad = CompanyFactory(name="Abroad Inc", origin="global", country="US")
    first = InterestRegistrationFactory(company=local, zones=[karachi])
    small = pledge_record(
        company=local, zone=karachi, amount=D("1000000"), currency="USD", pledged_on=days[0]
    )
    large = pledge_record(
        company=abroad,
        zone=lahore,
        amount=D("2000000"),
        currency="USD",
        pledged_on=days[0],
        status="committed",
    )
    disbursement_record(pledge=large, amount=D("300000"), disbursed_on=days[0])
    end_of(days[0])

    # Day 2: a pledge grows, a second tranche, a zone moves on, a new zone and registration.
    since = timezone.now()
    pledge_update(pledge=small, amount=D("1500000"))
    disbursement_record(pledge=large, amount=D("200000"), disbursed_on=days[1])
    zone_change_status(zone=lahore, status="under_development", changed_on=days[1])
    doomed = ZoneFactory(slug="quetta", province="Balochistan")
    InterestRegistrationFactory(company=abroad, zones=[lahore, doomed])
    pledge_record(
        company=abroad, zone=karachi, amount=D("500000"), currency="USD", pledged_on=days[1]
    )
    end_of(days[1])

    # Day 3: a pledge deleted (with its tranches), another cancelled, a zone deleted (with
    # its registrations' links to it), a registration reviewed and given a second zone, a
    # company renamed and a new one.
    since = timezone.now()
    Pledge.objects.get(pk=large.pk).delete()
    pledge_update(pledge=small, status="cancelled")
    Zone.objects.get(pk=doomed.pk).delete()
    first.zones.add(lahore)
    registration_transition(registration=first, status="under_review", user=None)
    local.name = "Local Soft Renamed"
    local.save()
    InterestRegistrationFactory(company=CompanyFactory(origin="global"), zones=[karachi])
    end_of(days[2])
    return seen


def test_each_past_day_gives_back_the_reports_shown_that_day(api_client, days, history):
    for day, (shown, _) in zip(days, history, strict=True):
        assert bodies(api_client, as_of=day.isoformat()) == shown, day
    # The days really differed, or the test would prove nothing.
    assert history[0][0] != history[1][0] != history[2][0]
    investment = history[0][0]["investment"]["totals"]
    assert (investment["pledged_usd"], investment["realized_usd"]) == ("3000000.00", "300000.00")


def test_the_dashboard_summary_as_of_a_past_day(days, history):
    for day, (_, summary) in zip(days, history, strict=True):
        assert reports.programme_summary(as_of=day) == summary


def test_a_day_before_anything_existed_is_empty(api_client, days, history):
    before = (days[0] - datetime.timedelta(days=1)).isoformat()
    body = api_client.get("/api/v1/reports/investment/", {"as_of": before}).json()
    assert body["totals"] == {
        "pledged_usd": "0.00",
        "committed_usd": "0.00",
        "realized_usd": "0.00",
        "pledge_count": 0,
    }
    assert body["by_zone"] == []
    rollout = api_client.get("/api/v1/reports/rollout/", {"as_of": before}).json()
    assert rollout["totals"] == {"zone_count": 0, "operational_count": 0}


def test_filters_apply_to_the_past_registry(api_client, days, history):
    karachi = Zone.objects.get(slug="karachi")
    day = days[0].isoformat()
    body = api_client.get("/api/v1/reports/investment/", {"as_of": day, "zone": "karachi"}).json()
    assert body["filters"] == {
        "zone_ids": [karachi.pk],
        "province": "",
        "date_from": None,
        "date_to": None,
        "as_of": day,
    }
    assert [row["zone"] for row in body["by_zone"]] == ["karachi"]
    assert body["totals"]["pledged_usd"] == "1000000.00"


def test_the_live_registry_is_untouched_afterwards(api_client, days, history):
    live_before = bodies(api_client)
    bodies(api_client, as_of=days[0].isoformat())
    assert bodies(api_client) == live_before == history[2][0]
    # The temporary views went with their transaction.
    assert Zone.objects.count() == 2
    assert Pledge.objects.filter(status="cancelled").count() == 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Zone._meta.db_table}")
        assert cursor.fetchone()[0] == 2


def test_today_and_csv(api_client, days, history):
    today = timezone.localdate().isoformat()
    assert bodies(api_client, as_of=today) == history[2][0]
    response = api_client.get(
        "/api/v1/reports/investment/", {"as_of": days[0].isoformat(), "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "3000000.00" in text and "1500000.00" not in text


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize(
    ("value", "message"),
    [("2999-01-01", "after today"), ("2026-02-30", "Date has wrong format"), ("", "")],
)
def test_bad_as_of_is_a_400_with_a_field_error(api_client, name, value, message):
    response = api_client.get(f"/api/v1/reports/{name}/", {"as_of": value})
    if not value:  # ?as_of= with nothing: the live report, as for any empty filter
        assert response.status_code in (200, 400)
        return
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["as_of"])


def test_enterprises_and_plots_as_of(api_client, days, history, django_assert_max_num_queries):
    """Licensed enterprises appear in the rollout from the day they were written."""
    since = timezone.now()
    karachi = Zone.objects.get(slug="karachi")
    holder = EnterpriseFactory(zone=karachi)
    PlotFactory(zone=karachi, status="occupied", enterprise=holder)
    date_writes_since(since, days[2])
    assert Enterprise.objects.count() == 1
    live = api_client.get("/api/v1/reports/rollout/").json()
    before = api_client.get("/api/v1/reports/rollout/", {"as_of": days[1].isoformat()}).json()
    on_the_day = api_client.get("/api/v1/reports/rollout/", {"as_of": days[2].isoformat()}).json()
    assert on_the_day["operating_by_zone"] == live["operating_by_zone"]
    assert on_the_day["operating_by_zone"] != before["operating_by_zone"]
    with django_assert_max_num_queries(40):
        api_client.get("/api/v1/reports/rollout/", {"as_of": days[0].isoformat()})


def test_the_admin_dashboard_as_of_a_past_day(client, staff_user, days, history):
    client.force_login(staff_user)
    url = reverse("admin:index")
    response = client.get(url, {"as_of": days[0].isoformat()})
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard["summary"] == history[0][1]
    content = response.content.decode()
    assert f"as they stood at the end of <strong>{days[0]:%-d %B %Y}</strong>" in content
    assert "$3,000,000" in content  # pledged at the end of day 1
    # The review queue stays today's: two registrations still received, one under review.
    assert dashboard["awaiting_review_count"] == history[2][1].registrations_awaiting_review
    assert f'value="{days[0].isoformat()}"' in content
    assert "Back to now" in content


@pytest.mark.parametrize(
    ("value", "message"), [("2999-01-01", "after today"), ("not-a-day", "Enter a valid date")]
)
def test_the_dashboard_refuses_a_bad_day_and_shows_now(client, staff_user, value, message):
    ZoneFactory(status="operational")
    client.force_login(staff_user)
    response = client.get(reverse("admin:index"), {"as_of": value})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert response.context["dashboard"]["as_of"] is None
    assert response.context["dashboard"]["summary"].zone_count == 1
    assert f'value="{value}"' in content  # what was typed stays in the field


def test_versions_saved_before_zones_were_kept_use_todays_links(api_client, days, history):
    """Registrations recorded before migration companies 0008 have versions without zones."""
    snapshots = apps.get_model("companies", "HistoricalInterestRegistration_zones")
    snapshots.objects.all().delete()
    body = api_client.get("/api/v1/reports/companies/", {"as_of": days[0].isoformat()}).json()
    by_zone = {row["zone"]: row["registration_count"] for row in body["by_zone"]}
    # The one registration of day 1 names Karachi and, since day 3, Lahore too.
    assert by_zone == {"karachi": 1, "lahore": 1}
    assert body["totals"]["registration_count"] == 1


@pytest.mark.parametrize("name", REPORTS)
def test_the_first_day_of_the_calendar_is_an_empty_report(api_client, name):
    ZoneFactory()
    response = api_client.get(f"/api/v1/reports/{name}/", {"as_of": "0001-01-01"})
    assert response.status_code == 200
    assert response.json()["filters"]["as_of"] == "0001-01-01"
