"""What tests/test_replica.py runs in a Django process pointed at a primary and its standby.

`python -m tests.replica_scenarios NAME` with DATABASE_URL (the throwaway primary) and
DATABASE_REPLICA_URL (its hot standby) set; prints one JSON object of observations. Each
request is made with Django's test client and counts the queries it sent to each alias (the
replica's own health check is not counted), so the test can tell where a page was read.
"""

import datetime
import json
import sys
import time
import uuid

import django


def setup():
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the locmem mail outbox and response.context


def observe(client, path, method="get", **kwargs):
    from django.db import connections

    counts = {"default": 0, "replica": 0}

    def counter(alias):
        def wrapper(execute, sql, params, many, context):
            if "pg_is_in_recovery" not in sql:
                counts[alias] += 1
            return execute(sql, params, many, context)

        return wrapper

    with (
        connections["default"].execute_wrapper(counter("default")),
        connections["replica"].execute_wrapper(counter("replica")),
    ):
        response = getattr(client, method)(path, **kwargs)
    return {
        "status": response.status_code,
        "primary": counts["default"],
        "replica": counts["replica"],
        "content": response.content.decode(errors="replace"),
        "cookies": sorted(response.cookies.keys()),
        "location": response.get("Location", ""),
    }


def new_zone(**kwargs):
    from tests.factories import ZoneDeveloperFactory, ZoneFactory

    # Each scenario is a new process on the same database: factory sequences start again.
    marker = uuid.uuid4().hex[:8]
    developer = ZoneDeveloperFactory(name=f"Developer {marker}", slug=f"developer-{marker}")
    return ZoneFactory(
        name=f"Replica Zone {marker}", slug=f"replica-zone-{marker}", developer=developer, **kwargs
    )


def summary(seen, needle=None):
    result = {key: value for key, value in seen.items() if key != "content"}
    if needle is not None:
        result["shows"] = needle in seen["content"]
    return result


def catalogue():
    """Replay is paused: a zone written now is on the primary only."""
    from django.test import Client

    from tests.factories import StaffUserFactory

    zone = new_zone()
    staff = StaffUserFactory(is_superuser=True, username=f"staff-{uuid.uuid4().hex[:8]}")
    public = Client()
    admin = Client()
    admin.force_login(staff)
    return {
        "home": summary(observe(public, "/")),
        "zone_list": summary(observe(public, "/zones/"), zone.name),
        "api_list": summary(observe(public, "/api/v1/zones/"), zone.slug),
        "api_detail": summary(observe(public, f"/api/v1/zones/{zone.slug}/"), zone.slug),
        "report": summary(observe(public, "/api/v1/reports/rollout/")),
        "report_cached_for": report_cache_seconds(),
        "admin": summary(observe(admin, "/admin/zones/zone/"), zone.name),
    }


def report_cache_seconds():
    """How long the report cache keeps the figures just computed (the locmem cache's expiry)."""
    from django.core.cache import cache

    now = time.time()
    expiries = [at - now for key, at in cache._expire_info.items() if ":registry:report" in key]
    return round(max(expiries)) if expiries else None


def registration():
    """Replay is paused: the form's POST and the pages after it read the primary."""
    from django.test import Client

    from companies.forms import issue_form_token
    from companies.models import InterestRegistration

    zone = new_zone(status="under_development")
    company = f"Replica Test {uuid.uuid4().hex[:6]} Ltd"
    browser = Client()
    posted = observe(
        browser,
        "/register/",
        method="post",
        data={
            "company_name": company,
            "origin": "global",
            "country": "GB",
            "contact_name": "Ayesha Khan",
            "contact_email": "ayesha@replica.example",
            "zones": [zone.slug],
            "consent": "on",
            "form_token": issue_form_token(),
        },
    )
    done = observe(browser, posted["location"] or "/register/done/")
    saved = InterestRegistration.objects.get(company__name=company)
    status_page = observe(browser, saved.get_absolute_url())
    after_write = observe(browser, "/zones/")
    return {
        "post": summary(posted),
        "done": summary(done, company),
        "status_page": summary(status_page, saved.reference),
        "zones_after_post": summary(after_write, zone.name),
        "zones_other_browser": summary(observe(Client(), "/zones/"), zone.name),
        "on_replica": InterestRegistration.objects.using("replica").filter(pk=saved.pk).exists(),
    }


def as_of():
    """A past report while reads are routed: its temporary views live on the primary."""
    from django.db import router
    from django.test import Client

    from core import replica
    from programme.as_of import registry_as_of
    from zones.models import Zone

    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    client = Client()
    results = {
        name: summary(observe(client, f"/api/v1/reports/{name}/?as_of={yesterday}"))
        for name in ("rollout", "investment", "companies", "performance")
    }
    results["live"] = summary(observe(client, "/api/v1/reports/investment/"))
    # The rule beneath the middleware's: inside registry_as_of (a transaction on the
    # primary) reads stay there even where the request allows the replica.
    token = replica._replica_allowed.set(True)
    try:
        outside = router.db_for_read(Zone)
        with registry_as_of(datetime.date.today() - datetime.timedelta(days=1)):
            inside = router.db_for_read(Zone)
            Zone.objects.count()
    finally:
        replica._replica_allowed.reset(token)
    results["router"] = {"outside": outside, "inside": inside}
    return results


def lagging():
    """Replay is paused and REPLICA_MAX_LAG_SECONDS is 1: the replica is passed over."""
    from django.test import Client

    zone = new_zone()
    time.sleep(1.5)
    return {"zone_list": summary(observe(Client(), "/zones/"), zone.name)}


def stopped():
    """The standby is down: first as if it failed after a good check, then as checked."""
    from django.test import Client

    from core import replica

    paths = ("/", "/zones/", "/api/v1/zones/", "/api/v1/reports/rollout/")
    mid_request = {}
    for path in paths:
        with replica.health.lock:  # a check that passed just before the standby went away
            replica.health.checked_at = time.monotonic()
            replica.health.usable = True
        mid_request[path] = summary(observe(Client(), path))
    replica.health.reset()
    checked = {path: summary(observe(Client(), path)) for path in paths}
    return {"mid_request": mid_request, "checked": checked}


SCENARIOS = {
    "catalogue": catalogue,
    "registration": registration,
    "as_of": as_of,
    "lagging": lagging,
    "stopped": stopped,
}

if __name__ == "__main__":
    setup()
    print(json.dumps(SCENARIOS[sys.argv[1]](), default=str))
