import os
import shutil
from pathlib import Path

import pytest

from tests.factories import StaffUserFactory


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached reports must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(tmp_path_factory):
    # Uploaded documents of one test land in a folder of its own, never in the checkout.
    from django.conf import settings
    from django.test import override_settings

    location = tmp_path_factory.mktemp("documents")
    storages = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    with override_settings(STORAGES=storages, PORTAL_DOCUMENTS_ROOT=location):
        yield


@pytest.fixture(autouse=True)
def _login_lockout_only_where_tested(request, settings):
    # django-axes needs the request to authenticate, which the test client's
    # login() does not pass; tests marked `axes` switch the lockout back on.
    settings.AXES_ENABLED = request.node.get_closest_marker("axes") is not None


@pytest.fixture
def run_tasks(db):
    """Run the queued background tasks that are due, as `manage.py db_worker` would.

    The worker's own loop closes "obsolete" connections, which would end a test's
    transaction; this loop claims and runs tasks the same way without that.
    """
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )

    def run(limit: int = 10_000) -> int:
        ran = 0
        while ran < limit:
            with transaction.atomic():
                result = DBTaskResult.objects.ready().get_locked()
                if result is not None:
                    result.claim(worker.worker_id)
            if result is None:
                return ran
            worker.run_task(result)
            ran += 1
        return ran

    return run


@pytest.fixture
def free_port():
    """A loopback TCP port nothing listens on (bound, read, released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(username="staff", is_superuser=True)


# --- Browser tests: Playwright driving Debian's Chromium against the live server. ---
# Playwright's own browser download is blocked here, so the tests launch the system
# Chromium. Screenshots go to artifacts/screenshots/ (ignored by git).
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT_DIR = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would otherwise
    # refuse ORM calls from the browser tests' bodies.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under artifacts/screenshots/<name>.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
