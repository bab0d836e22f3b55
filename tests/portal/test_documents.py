"""Uploaded documents: told by their content, not their name; all of an upload or none of it."""

import hashlib
import io
import zipfile

import filetype
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import services
from portal.models import Document
from tests.portal.conftest import (
    CONTENT_TYPES_XML,
    DOCUMENT_KINDS,
    EXE_BYTES,
    PDF_BYTES,
    RELS_XML,
    docx_bytes,
    ooxml_bytes,
    stored_files,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def messages(error: ValidationError) -> list[str]:
    return error.messages


# --- what is accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
def test_each_accepted_kind_passes_with_its_type_told_from_the_content(document_upload, kind):
    _, _, content_type = DOCUMENT_KINDS[kind]
    checked = services.document_check(document_upload(kind))
    assert checked.content_type == content_type
    assert checked.size > 0


def test_the_minimal_office_files_are_real_zip_packages():
    for content, main_part in (
        (docx_bytes(), "word/document.xml"),
        (xlsx_bytes(), "xl/workbook.xml"),
    ):
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        assert names[0] == "[Content_Types].xml"
        assert main_part in names


def test_filetype_itself_recognises_the_minimal_office_files():
    assert filetype.guess(docx_bytes()).mime == DOCX
    assert filetype.guess(xlsx_bytes()).mime == XLSX


def test_a_spreadsheet_written_by_openpyxl_is_accepted():
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    for row in range(500):
        workbook.active.append([row, f"row {row}", row * 1.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = services.document_check(upload("figures.xlsx", buffer.getvalue()))
    assert checked.content_type == XLSX


def test_a_word_file_whose_document_part_comes_late_is_accepted():
    # filetype looks at the first four parts only; LibreOffice and some generators put
    # several docProps/customXml parts first.
    content = ooxml_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML),
            ("_rels/.rels", RELS_XML),
            ("docProps/app.xml", "<Properties/>"),
            ("docProps/core.xml", "<coreProperties/>"),
            ("docProps/custom.xml", "<Properties/>"),
            ("customXml/item1.xml", "<item/>"),
            ("word/document.xml", "<w:document/>"),
        ]
    )
    assert services.document_check(upload("letter.docx", content)).content_type == DOCX


def test_a_word_file_with_a_large_first_part_is_accepted():
    import os

    content = ooxml_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML + "<!--" + os.urandom(6000).hex() + "-->"),
            ("word/document.xml", "<w:document/>"),
        ]
    )
    assert services.document_check(upload("letter.docx", content)).content_type == DOCX


def test_a_plain_zip_named_docx_is_refused():
    content = ooxml_bytes([("notes.txt", "hello"), ("word/fake.xml", "<x/>")])
    with pytest.raises(ValidationError, match="not a document we accept"):
        services.document_check(upload("letter.docx", content))


def test_a_spreadsheet_named_docx_is_mislabelled():
    with pytest.raises(ValidationError, match=r"named as \.docx but its content is XLSX"):
        services.document_check(upload("letter.docx", xlsx_bytes()))


def test_a_jpeg_may_be_named_jpeg_or_jpg(document_upload):
    assert services.document_check(document_upload("jpeg", "photo.JPEG")).name == "photo.jpeg"
    assert services.document_check(document_upload("jpeg", "photo.jpg")).name == "photo.jpg"


# --- what is refused -----------------------------------------------------------------------


def test_a_program_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as caught:
        services.document_check(upload("invoice.pdf", EXE_BYTES))
    (message,) = messages(caught.value)
    assert "invoice.pdf is not a document we accept" in message
    assert "PDF" in message


def test_a_pdf_named_as_a_picture_is_mislabelled(pdf_upload):
    with pytest.raises(ValidationError) as caught:
        services.document_check(pdf_upload("scan.png"))
    assert caught.value.code == "mislabelled"
    assert "named as .png but its content is PDF" in caught.value.messages[0]


def test_a_pdf_without_an_extension_is_mislabelled(pdf_upload):
    with pytest.raises(ValidationError) as caught:
        services.document_check(pdf_upload("scan"))
    assert caught.value.code == "mislabelled"


def test_text_is_refused():
    with pytest.raises(ValidationError, match="not a document we accept"):
        services.document_check(upload("notes.pdf", b"just some words\n" * 10))


def test_an_empty_file_is_refused(pdf_upload):
    with pytest.raises(ValidationError) as caught:
        services.document_check(pdf_upload("empty.pdf", b""))
    assert caught.value.code == "empty"
    assert "empty.pdf is empty" in caught.value.messages[0]


def test_a_file_over_the_limit_is_refused_saying_the_limit(settings, pdf_upload):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        services.document_check(pdf_upload("big.pdf", PDF_BYTES))
    assert caught.value.code == "too_large"
    assert "at most 1 KB" in caught.value.messages[0]
    # Exactly at the limit is allowed.
    settings.PORTAL_DOCUMENT_MAX_BYTES = len(PDF_BYTES)
    assert services.document_check(pdf_upload("big.pdf", PDF_BYTES))


def test_the_default_limit_is_ten_megabytes_in_the_message(settings, pdf_upload):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    too_big = PDF_BYTES + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="at most 10 MB"):
        services.document_check(pdf_upload("big.pdf", too_big))


def test_more_than_ten_at_once_is_refused(pdf_upload):
    with pytest.raises(ValidationError) as caught:
        services.documents_check([pdf_upload(f"d{n}.pdf") for n in range(11)])
    assert "documents" in caught.value.message_dict


def test_every_bad_file_is_named_in_the_errors(pdf_upload):
    with pytest.raises(ValidationError) as caught:
        services.documents_check(
            [pdf_upload("good.pdf"), upload("a.pdf", EXE_BYTES), pdf_upload("b.pdf", b"")]
        )
    errors = caught.value.message_dict["documents"]
    assert len(errors) == 2
    assert any("a.pdf" in error for error in errors)
    assert any("b.pdf" in error for error in errors)


# --- storing --------------------------------------------------------------------------------


def test_attaching_stores_each_file_with_its_hash_and_checked_type(
    documents_dir, registration_a, user_a, document_upload
):
    uploads = [document_upload(kind) for kind in ("pdf", "png", "docx")]
    contents = [item.read() for item in uploads]
    for item in uploads:
        item.seek(0)
    documents = services.documents_attach(uploads=uploads, user=user_a, registration=registration_a)
    assert [document.original_name for document in documents] == [
        "report.pdf",
        "plan.png",
        "letter.docx",
    ]
    for document, content in zip(documents, contents, strict=True):
        document.refresh_from_db()
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        assert document.size == len(content)
        assert document.registration == registration_a
        assert document.uploaded_by == user_a
        with document.file.open("rb") as handle:
            assert handle.read() == content
        # Stored under a random name in the documents storage, never the uploaded name.
        assert document.original_name not in document.file.name
        assert (documents_dir / document.file.name).is_file()
    assert len(stored_files(documents_dir)) == 3


def test_the_browsers_claimed_type_is_not_trusted(documents_dir, registration_a, user_a):
    (document,) = services.documents_attach(
        uploads=[upload("report.pdf", PDF_BYTES, content_type="text/html")],
        user=user_a,
        registration=registration_a,
    )
    assert document.content_type == "application/pdf"


def test_one_bad_file_stores_none_of_them(documents_dir, registration_a, user_a, pdf_upload):
    with pytest.raises(ValidationError):
        services.documents_attach(
            uploads=[pdf_upload("one.pdf"), upload("two.pdf", EXE_BYTES), pdf_upload("three.pdf")],
            user=user_a,
            registration=registration_a,
        )
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []


def test_a_failure_while_saving_removes_the_files_already_written(
    documents_dir, registration_a, user_a, pdf_upload, monkeypatch
):
    saves = []
    original_save = Document.save

    def failing_save(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise RuntimeError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Document, "save", failing_save)
    with pytest.raises(RuntimeError):
        services.documents_attach(
            uploads=[pdf_upload("one.pdf"), pdf_upload("two.pdf")],
            user=user_a,
            registration=registration_a,
        )
    assert stored_files(documents_dir) == []


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\report.PDF", "report.pdf"),
        ("re\x00po\x1frt\u200b.pdf", "report.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("***.pdf", "document.pdf"),
        (".pdf", "document.pdf"),
        ("Business plan 2026.pdf", "Business_plan_2026.pdf"),
        ("منصوبہ.pdf", "منصوبہ.pdf"),
        ("x" * 300 + ".pdf", "x" * 137 + ".pdf"),
    ],
)
def test_the_name_is_kept_sanitised(documents_dir, registration_a, user_a, uploaded, kept):
    (document,) = services.documents_attach(
        uploads=[upload(uploaded, PDF_BYTES)], user=user_a, registration=registration_a
    )
    assert document.original_name == kept


def test_a_document_belongs_to_one_record(documents_dir, registration_a, enterprise_a, user_a):
    with pytest.raises(ValidationError):
        services.documents_attach(
            uploads=[upload("report.pdf", PDF_BYTES)],
            user=user_a,
            registration=registration_a,
            enterprise=enterprise_a,
        )
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []


def test_no_uploads_store_nothing(documents_dir, registration_a, user_a):
    assert services.documents_attach(uploads=[], user=user_a, registration=registration_a) == []
    assert stored_files(documents_dir) == []


# --- the download -----------------------------------------------------------------------------


def test_the_owner_downloads_the_file_as_an_attachment(client, user_a, document_a):
    client.force_login(user_a)
    response = client.get(f"/portal/documents/{document_a.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="business-plan.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_document_missing_from_storage_is_404_not_500(client, user_a, document_a):
    document_a.file.delete(save=False)
    client.force_login(user_a)
    assert client.get(f"/portal/documents/{document_a.pk}/").status_code == 404
