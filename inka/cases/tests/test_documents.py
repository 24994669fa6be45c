"""Documents on cases (C9): allow-list by content, random stored names, download only through the view."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inka.cases import uploads
from inka.cases.models import Document
from inka.cases.tests.factories import assert_form_errors, make_case
from inka.core.models import AccessLogEntry, AuditEntry

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def documents_dir(settings, tmp_path):
    folder = tmp_path / "dokumente"
    settings.DOCUMENTS_DIR = folder
    return folder


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    return make_case(world.site_a, worker)


def upload_url(case):
    return reverse("cases:document_upload", args=[case.pk])


def upload(client, case, name, content, title="Mietvertrag", content_type="application/pdf"):
    return client.post(
        upload_url(case),
        {"title": title, "upload": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def stored_files(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def download_url(document):
    return reverse("cases:document_download", args=[document.case_id, document.pk])


def test_a_pdf_is_stored_under_a_random_name_and_downloaded_as_attachment(
    world, login, worker, case, documents_dir
):
    client = login(worker)
    assert client.get(upload_url(case)).status_code == 200
    response = upload(client, case, "Mietvertrag Müller.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#dokumente"
    document = Document.objects.get()
    assert (document.case, document.title, document.original_name) == (
        case,
        "Mietvertrag",
        "Mietvertrag Müller.pdf",
    )
    assert (document.content_type, document.size, document.uploaded_by) == (
        "application/pdf",
        len(PDF),
        worker,
    )
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", document.stored_name)
    assert stored_files(documents_dir) == [document.stored_name]
    assert (documents_dir / document.stored_name).read_bytes() == PDF
    assert (documents_dir / document.stored_name).stat().st_mode & 0o077 == 0
    entry = AuditEntry.objects.get(action="inka.document.uploaded")
    assert entry.data["case"] == case.pk

    response = client.get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    entry = AccessLogEntry.objects.get(action="document.download")
    assert entry.record_ids == [document.pk]


def test_a_reader_may_download(world, login, worker, case, documents_dir):
    upload(login(worker), case, "brief.pdf", PDF)
    document = Document.objects.get()
    response = login(world.user("reader")).get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_title_defaults_to_the_file_name(world, login, worker, case, documents_dir):
    upload(login(worker), case, "Bescheid.png", PNG, title="", content_type="image/png")
    document = Document.objects.get()
    assert (document.title, document.content_type) == ("Bescheid.png", "image/png")
    assert document.stored_name.endswith(".png")


def test_a_jpeg_is_accepted(world, login, worker, case, documents_dir):
    response = upload(login(worker), case, "foto.JPG", JPEG, content_type="image/jpeg")
    assert response.status_code == 302
    assert Document.objects.get().content_type == "image/jpeg"


def test_download_of_another_site_is_404_and_anonymous_goes_to_login(
    world, login, worker, case, documents_dir
):
    upload(login(worker), case, "brief.pdf", PDF)
    document = Document.objects.get()
    response = login(world.user("other_caseworker")).get(download_url(document))
    assert response.status_code == 404
    assert PDF not in response.content
    for persona in ["coordinator", "admin"]:
        assert login(world.user(persona)).get(download_url(document)).status_code == 404
    assert login(world.user("steering")).get(download_url(document)).status_code == 403
    response = login(None).get(download_url(document))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_download_through_another_case_is_404(world, login, worker, case, documents_dir):
    from inka.cases.tests.factories import make_person

    upload(login(worker), case, "brief.pdf", PDF)
    document = Document.objects.get()
    other = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    assert (
        login(worker).get(reverse("cases:document_download", args=[other.pk, document.pk])).status_code == 404
    )


def test_download_of_a_missing_file_is_404(world, login, worker, case, documents_dir):
    upload(login(worker), case, "brief.pdf", PDF)
    document = Document.objects.get()
    (documents_dir / document.stored_name).unlink()
    assert login(worker).get(download_url(document)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("x.pdf", EXE, "application/pdf"),  # a program, renamed
        ("evil.pdf", HTML, "application/pdf"),
        ("evil.html", HTML, "text/html"),
        ("bild.pdf", PNG, "application/pdf"),  # content and name disagree
        ("rechnung.png", PDF, "image/png"),
        ("rechnung.pdf.exe", PDF, "application/octet-stream"),
        ("leer.pdf", b"", "application/pdf"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(
    world, login, worker, case, documents_dir, name, content, content_type
):
    response = upload(login(worker), case, name, content, content_type=content_type)
    assert_form_errors(response, "upload")
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []
    assert not AuditEntry.objects.exists()


def test_an_upload_without_file_is_refused(world, login, worker, case, documents_dir):
    response = login(worker).post(upload_url(case), {"title": "ohne Datei"})
    assert_form_errors(response, "upload")
    assert not Document.objects.exists()


def test_a_file_larger_than_the_limit_is_refused(world, login, worker, case, documents_dir, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_SIZE", len(PDF) - 1)
    response = upload(login(worker), case, "gross.pdf", PDF)
    assert_form_errors(response, "upload")
    assert stored_files(documents_dir) == []


def test_path_parts_and_direction_overrides_are_removed_from_the_name(
    world, login, worker, case, documents_dir
):
    response = upload(login(worker), case, "../../etc/Rech\u202enung\u200b.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "Rechnung.pdf"
    assert stored_files(documents_dir) == [document.stored_name]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\brief.pdf", "brief.pdf"),
        ("gehalt\u202efdp.exe", "gehaltfdp.exe"),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ("...", "dokument"),
        ("", "dokument"),
        ("x" * 300 + ".pdf", "x" * 200),
    ],
)
def test_safe_name(name, safe):
    assert uploads.safe_name(name) == safe


def test_upload_is_refused_on_a_closed_case_and_without_consent(world, login, worker, documents_dir):
    from inka.cases import services
    from inka.cases.tests.factories import make_person

    closed = make_case(world.site_a, worker)
    services.case_close(
        actor=worker, case=closed, version=1, closed_on=closed.opened_on, close_reason="moved"
    )
    no_consent = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"), consent=False)
    client = login(worker)
    for target in [closed, no_consent]:
        response = upload(client, target, "brief.pdf", PDF)
        assert response.status_code == 400
        assert response.context["form"].non_field_errors()
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []


@pytest.mark.parametrize(
    ("persona", "status"), [("reader", 403), ("steering", 403), ("other_caseworker", 404)]
)
def test_upload_is_refused_to_others(world, login, case, documents_dir, persona, status):
    response = upload(login(world.user(persona)), case, "brief.pdf", PDF)
    assert response.status_code == status
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []


def test_the_case_page_links_documents_only_through_the_download_view(
    world, login, worker, case, documents_dir
):
    upload(login(worker), case, "brief.pdf", PDF)
    document = Document.objects.get()
    html = login(world.user("reader")).get(case.get_absolute_url()).content.decode()
    assert download_url(document) in html
    assert document.stored_name not in html
