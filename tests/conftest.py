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
def _login_lockout_only_where_tested(request, settings):
    # django-axes needs the request to authenticate, which the test client's
    # login() does not pass; tests marked `axes` switch the lockout back on.
    settings.AXES_ENABLED = request.node.get_closest_marker("axes") is not None


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(username="staff", is_superuser=True)
