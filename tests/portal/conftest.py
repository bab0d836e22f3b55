"""Shared fixtures of the portal's tests: two companies, two zone developers, their users.

Every portal test module (services, sign-in, views, isolation) builds on these; keep the names.

Parties
    company_a, company_b        two companies (CompanyFactory)
    developer_x, developer_y    two zone developers, each with one operational zone:
    zone_x, zone_y              slugs "zone-x" and "zone-y"

Users (each with a verified, primary allauth EmailAddress, so that /accounts/login/ works;
their password is PASSWORD)
    user_a       company A's first portal user        a@company-a.example
    user_b       company B's portal user              b@company-b.example
    dev_user_x   developer X's portal user            x@developer-x.example
    dev_user_y   developer Y's portal user            y@developer-y.example
    staff        a staff account (no portal membership), staff@authority.example
    officer      a second staff account, the reviewer registrations are assigned to

Records of company A in developer X's zone (for services and for the isolation matrix)
    registration_a       a registration of company A for zone_x, status "received"
    enterprise_a         company A's licence in zone_x (licensed 2025-09-01 to 2035-08-31)
    annual_return_a      enterprise_a's open 2025-26 return (the year has ended: it can be filed)
    plot_x               a plot in zone_x allocated to enterprise_a (the developer may mark it
                         occupied)
    document_a           a stored PDF on registration_a (needs documents_dir)

Files
    documents_dir        STORAGES["documents"] pointed at a fresh tmp_path; returns the path
    pdf_upload(name="report.pdf", content=PDF_BYTES)      a SimpleUploadedFile of a real PDF
    document_upload(kind, name=None)                      the same for "pdf", "png", "jpeg",
                                                          "xlsx", "docx" (real minimal bytes)
    stored_files(path)   (a plain function) every file under a storage directory

Autouse
    _fast_password_hashing   MD5 password hashing (accounts are made in nearly every test)

Helpers (plain functions, import them from tests.portal.conftest)
    make_member(user, company=None, developer=None)   a PortalMembership
    portal_user(email, company=None, developer=None)  a user with membership and EmailAddress
    PDF_BYTES, PNG_BYTES, JPEG_BYTES, EXE_BYTES, docx_bytes(), xlsx_bytes()
"""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import PortalMembership
from tests.factories import (
    AnnualReturnFactory,
    CompanyFactory,
    EnterpriseFactory,
    InterestRegistrationFactory,
    PlotFactory,
    StaffUserFactory,
    UserFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Each portal test makes several accounts; PBKDF2's million rounds cost ~0.3 s apiece.
    # Signing in still checks the password, with a cheap hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- real minimal file contents ---------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
# A 1×1 transparent PNG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
# The start of a JFIF JPEG (SOI, APP0 JFIF) and its end marker.
JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
# A Windows executable's header (what a renamed .exe starts with).
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200

CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    "</Types>"
)
RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
)


def ooxml_bytes(members: list[tuple[str, str]]) -> bytes:
    """A zip file with these members in this order (an Office Open XML package's shape)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return ooxml_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML),
            ("_rels/.rels", RELS_XML),
            ("word/document.xml", "<w:document/>"),
        ]
    )


def xlsx_bytes() -> bytes:
    return ooxml_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML),
            ("_rels/.rels", RELS_XML),
            ("xl/workbook.xml", "<workbook/>"),
        ]
    )


DOCUMENT_KINDS = {
    "pdf": ("report.pdf", lambda: PDF_BYTES, "application/pdf"),
    "png": ("plan.png", lambda: PNG_BYTES, "image/png"),
    "jpeg": ("photo.jpg", lambda: JPEG_BYTES, "image/jpeg"),
    "xlsx": (
        "figures.xlsx",
        xlsx_bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "docx": (
        "letter.docx",
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def stored_files(path: Path) -> list[Path]:
    return [item for item in Path(path).rglob("*") if item.is_file()]


@pytest.fixture
def documents_dir(settings, tmp_path):
    """Uploaded documents go to a fresh directory for the test; returns it."""
    location = tmp_path / "documents"
    location.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location


@pytest.fixture
def pdf_upload():
    def make(name: str = "report.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture
def document_upload():
    def make(kind: str, name: str | None = None) -> SimpleUploadedFile:
        default_name, content, content_type = DOCUMENT_KINDS[kind]
        return SimpleUploadedFile(name or default_name, content(), content_type=content_type)

    return make


# --- parties and users ---------------------------------------------------------------------


def make_member(user, *, company=None, developer=None, invited_by=None) -> PortalMembership:
    return PortalMembership.objects.create(
        user=user, company=company, developer=developer, invited_by=invited_by
    )


def portal_user(email: str, *, company=None, developer=None):
    """A portal account as an accepted invitation leaves it (username = the address)."""
    user = UserFactory(username=email.lower(), email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    make_member(user, company=company, developer=developer)
    return user


@pytest.fixture
def company_a(db):
    return CompanyFactory(name="Alpha Software Ltd")


@pytest.fixture
def company_b(db):
    return CompanyFactory(name="Bravo Systems Ltd")


@pytest.fixture
def developer_x(db):
    return ZoneDeveloperFactory(name="Developer X", slug="developer-x")


@pytest.fixture
def developer_y(db):
    return ZoneDeveloperFactory(name="Developer Y", slug="developer-y")


@pytest.fixture
def zone_x(developer_x):
    return ZoneFactory(
        name="Zone X",
        slug="zone-x",
        developer=developer_x,
        status="operational",
        description="Zone X as staff wrote it.",
    )


@pytest.fixture
def zone_y(developer_y):
    return ZoneFactory(
        name="Zone Y",
        slug="zone-y",
        developer=developer_y,
        status="operational",
        description="Zone Y as staff wrote it.",
    )


@pytest.fixture
def user_a(company_a):
    return portal_user("a@company-a.example", company=company_a)


@pytest.fixture
def user_b(company_b):
    return portal_user("b@company-b.example", company=company_b)


@pytest.fixture
def dev_user_x(developer_x, zone_x):
    return portal_user("x@developer-x.example", developer=developer_x)


@pytest.fixture
def dev_user_y(developer_y, zone_y):
    return portal_user("y@developer-y.example", developer=developer_y)


@pytest.fixture
def staff(db):
    user = StaffUserFactory(username="staff-member", email="staff@authority.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def officer(db):
    return StaffUserFactory(username="officer", email="officer@authority.example")


# --- company A's records in developer X's zone ---------------------------------------------


@pytest.fixture
def registration_a(company_a, zone_x):
    return InterestRegistrationFactory(
        company=company_a,
        contact__email="contact@company-a.example",
        zones=[zone_x],
    )


@pytest.fixture
def enterprise_a(company_a, zone_x):
    return EnterpriseFactory(company=company_a, zone=zone_x)


@pytest.fixture
def annual_return_a(enterprise_a):
    return AnnualReturnFactory(enterprise=enterprise_a, fiscal_year="2025-26")


@pytest.fixture
def plot_x(zone_x, enterprise_a):
    return PlotFactory(
        zone=zone_x,
        number="X-001",
        status="allocated",
        enterprise=enterprise_a,
        lease_starts_on=datetime.date(2025, 10, 1),
    )


@pytest.fixture
def document_a(documents_dir, registration_a, user_a, pdf_upload):
    from portal.services import documents_attach

    (document,) = documents_attach(
        uploads=[pdf_upload("business-plan.pdf")], user=user_a, registration=registration_a
    )
    return document


__all__ = [
    "DOCUMENT_KINDS",
    "EXE_BYTES",
    "JPEG_BYTES",
    "PASSWORD",
    "PDF_BYTES",
    "PNG_BYTES",
    "docx_bytes",
    "make_member",
    "ooxml_bytes",
    "portal_user",
    "stored_files",
    "xlsx_bytes",
]
