"""The interactive API docs render in a real browser from our own static files, offline."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_every_endpoint_without_leaving_the_site(page, live_server, screenshot):
    outside_requests = []
    page.on(
        "request",
        lambda request: (
            outside_requests.append(request.url)
            if not request.url.startswith(live_server.url)
            else None
        ),
    )
    console_errors = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )

    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    screenshot(page, "api-docs")

    for expected in ("/api/v1/zones/", "/api/v1/pledges/", "/api/v1/reports/investment/"):
        assert any(expected in path for path in paths), expected
    # The writes: POST interests/, and a partner's own webhook endpoints and replays.
    posts = page.locator(".opblock-post .opblock-summary-path").all_inner_texts()
    assert sorted(p.strip() for p in posts) == [
        "/api/v1/interests/",
        "/api/v1/webhooks/deliveries/{id}/replay/",
        "/api/v1/webhooks/endpoints/",
    ]
    assert outside_requests == []
    assert console_errors == []
