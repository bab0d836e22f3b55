"""The sign-in pages at /accounts/ (django-allauth) in the site's frame, every field labelled.

allauth draws its pages through element templates (templates/allauth/elements/) and one
layout (templates/allauth/layouts/base.html); these tests read the HTML a visitor gets.
"""

from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.portal.conftest import PASSWORD

LOGIN_NOTICE = (
    "Companies and zone developers: sign in with the email address your invitation was sent to."
)
# Inputs a person never fills in: no label is owed.
UNLABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}


class FormParser(HTMLParser):
    """The inputs a person fills in, the ids labels point at, and every element's classes."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.classes: set[str] = set()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.classes.update((attributes.get("class") or "").split())
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        elif tag in ("select", "textarea") or (
            tag == "input" and (attributes.get("type") or "text") not in UNLABELLED_TYPES
        ):
            self.inputs.append(attributes)
        elif tag == "img":
            self.images.append(attributes)


def parsed(response) -> FormParser:
    parser = FormParser()
    parser.feed(response.content.decode())
    return parser


def assert_site_page_with_labelled_fields(response) -> FormParser:
    assert response.status_code == 200
    page = parsed(response)
    assert "site-header" in page.classes, "the site's own header is missing"
    for field in page.inputs:
        assert field.get("id"), f"an input without an id cannot be labelled: {field}"
        assert field["id"] in page.label_targets, f"no <label for> points at {field}"
    return page


@pytest.mark.django_db
def test_allauth_pages_sit_in_the_sites_card(client):
    base = (settings.BASE_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    if "{% block main %}" not in base:
        pytest.skip("templates/base.html has no `main` block for the card to hang on yet")
    for url_name in ("account_login", "account_signup"):
        assert "auth-card" in parsed(client.get(reverse(url_name))).classes


@pytest.fixture
def signed_in(client, user_a):
    """company A's user, signed in through allauth's own form (as a person would)."""
    response = client.post(reverse("account_login"), {"login": user_a.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "field_names"),
    [
        ("account_login", {"login", "password"}),
        ("account_request_login_code", {"email"}),
        ("account_reset_password", {"email"}),
    ],
    ids=["login", "login-code", "password-reset"],
)
def test_entrance_pages_are_the_sites_with_labelled_fields(client, url_name, field_names):
    page = assert_site_page_with_labelled_fields(client.get(reverse(url_name)))
    assert field_names <= {field.get("name") for field in page.inputs}
    assert "button" in page.classes


@pytest.mark.django_db
def test_login_page_says_which_address_to_use_and_offers_no_sign_up(client):
    response = client.get(reverse("account_login"))
    html = unescape(response.content.decode())
    assert LOGIN_NOTICE in html
    assert "Open your registration's status link and ask for one." in html
    assert reverse("account_request_login_code") in html
    assert reverse("account_reset_password") in html
    assert reverse("account_signup") not in html


@pytest.mark.django_db
def test_wrong_password_shows_the_error_and_keeps_the_address(client, user_a):
    response = client.post(
        reverse("account_login"), {"login": user_a.email, "password": "not-the-password"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert f'value="{user_a.email}"' in html
    assert_site_page_with_labelled_fields(response)


@pytest.mark.django_db
def test_a_missing_address_is_shown_beside_its_field(client):
    response = client.post(reverse("account_reset_password"), {"email": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert "field has-error" in html


@pytest.mark.django_db
def test_sign_up_is_closed_and_says_where_accounts_come_from(client):
    response = client.get(reverse("account_signup"))
    page = assert_site_page_with_labelled_fields(response)
    html = response.content.decode()
    assert "Sign-up closed" in html
    assert "invitation" in html
    assert "status link" in html
    assert not page.inputs  # no form to fill in


@pytest.mark.django_db
def test_logout_page_for_a_signed_in_account(signed_in):
    response = signed_in.get(reverse("account_logout"))
    page = assert_site_page_with_labelled_fields(response)
    assert "button" in page.classes


@pytest.mark.django_db
def test_two_factor_overview(signed_in):
    response = signed_in.get(reverse("mfa_index"))
    assert_site_page_with_labelled_fields(response)
    html = response.content.decode()
    assert "Authenticator App" in html
    assert reverse("mfa_activate_totp") in html


@pytest.mark.django_db
def test_authenticator_set_up_shows_a_qr_code_and_a_labelled_code_field(signed_in):
    # Setting up two-factor asks for the password again first (allauth's reauthentication).
    response = signed_in.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = assert_site_page_with_labelled_fields(signed_in.get(response["Location"]))
    assert "password" in {field.get("name") for field in page.inputs}
    confirmed = signed_in.post(response["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302

    response = signed_in.get(reverse("mfa_activate_totp"))
    page = assert_site_page_with_labelled_fields(response)
    assert "code" in {field.get("name") for field in page.inputs}
    qr_codes = [img for img in page.images if (img.get("src") or "").startswith("data:image/svg")]
    assert len(qr_codes) == 1
    # The QR code is a data: URL: the Content-Security-Policy must allow data: images.
    policy = response.headers.get("Content-Security-Policy", "")
    img_src = next(
        (part.split()[1:] for part in policy.split(";") if part.strip().startswith("img-src")),
        None,
    )
    if img_src is not None:
        assert "data:" in img_src, policy


@pytest.mark.django_db
def test_the_second_step_of_sign_in_asks_for_the_apps_code_in_a_labelled_field(client, user_a):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user_a, generate_totp_secret())
    response = client.post(reverse("account_login"), {"login": user_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    page = assert_site_page_with_labelled_fields(client.get(response["Location"]))
    assert "code" in {field.get("name") for field in page.inputs}


@pytest.mark.django_db
def test_pages_of_a_signed_in_account_ask_anonymous_visitors_to_sign_in(client):
    for url_name in ("mfa_index", "mfa_activate_totp"):
        response = client.get(reverse(url_name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# In Chromium at a phone's width: what the HTML alone cannot show (a page wider than the
# screen), and labels as the browser resolves them.
PHONE = {"width": 390, "height": 844}
PAGE_PROBLEMS = """
() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) problems.push(`${width}px wide in ${window.innerWidth}px`);
  const unlabelled = ["hidden", "submit", "button", "reset", "image"];
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (!unlabelled.includes(field.type) && !field.labels.length) {
      problems.push(`field ${field.name || field.id} has no label`);
    }
  }
  return problems;
}
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_account_pages_fit_a_phone(page, screenshot, user_a):
    page.set_viewport_size(PHONE)

    def check(name):
        assert page.locator(".site-header").count() == 1
        assert page.evaluate(PAGE_PROBLEMS) == [], page.url
        screenshot(page, f"accounts-{name}-phone")

    for path, name in [
        ("/accounts/login/", "login"),
        ("/accounts/login/code/", "login-code"),
        ("/accounts/password/reset/", "password-reset"),
        ("/accounts/signup/", "signup-closed"),
    ]:
        page.goto(path)
        check(name)

    page.goto(f"/accounts/login/?next={reverse('mfa_index')}")
    page.get_by_label("Email").fill(user_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{reverse('mfa_index')}")
    check("two-factor")
    page.goto(reverse("account_logout"))
    check("logout")

    page.goto(reverse("mfa_activate_totp"))
    page.wait_for_url(f"**{reverse('account_reauthenticate')}*")
    check("reauthenticate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**{reverse('mfa_activate_totp')}")
    # The QR code is a data: image; a policy that refused it would leave it without a size.
    assert page.locator("img[src^='data:image/svg']").evaluate("img => img.naturalWidth") > 0
    assert page.get_by_label("Authenticator code").count() == 1
    check("totp-activate")
