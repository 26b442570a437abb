"""Uploads, tried from the outside as an attacker would: a decompression bomb
and disguised files as exchange photos, HTML and SVG named .pdf as staff
documents, and request bodies larger than any form accepts."""

import html
import io
import resource
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from partners.models import Document, ExchangePhoto
from tests.factories import ClubFactory, DocumentFactory, ExchangeFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 12000) -> bytes:
    """A 1-bit black PNG of side × side pixels: a few KB on disk, over 500 MB
    once decoded and converted to RGB. Written chunk by chunk, so building it
    costs the test no memory that would hide the spike it looks for."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # bit depth 1, greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def image_bytes(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@pytest.fixture
def exchange(leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    club = ClubFactory(partnerships=[PartnershipFactory()])
    club.leaders.add(leader)
    return ExchangeFactory(club=club, review_status="draft")


def upload_photo(client, exchange, name, content, content_type="image/jpeg"):
    return client.post(
        reverse("portal:photo-create", args=[exchange.pk]),
        {"image": SimpleUploadedFile(name, content, content_type=content_type), "caption": "On stage"},
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- exchange photos (the club leaders' portal) --------------------------------------


def test_the_bomb_is_small_and_says_it_is_12000_pixels_square(monkeypatch):
    bomb = png_bomb()
    assert len(bomb) < 40 * 1024
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # the app's guard would refuse to open it
    with Image.open(io.BytesIO(bomb)) as image:  # reads only the header
        assert image.size == (12000, 12000)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, leader, exchange):
    bomb = png_bomb()
    client.force_login(leader)
    before = peak_rss_mb()

    response = upload_photo(client, exchange, "bomb.png", bomb, "image/png")

    grown = peak_rss_mb() - before
    assert response.status_code == 200  # the form again, with its error
    assert "The photo has too many pixels: at most 40 megapixels." in page_text(response)
    assert not ExchangePhoto.objects.exists()
    # Decoded and converted to RGB it would take over 700 MB; only the header is read.
    assert grown < 100, f"peak memory grew by {grown:.0f} MB"
    print(f"bomb: {len(bomb)} bytes; peak RSS grew by {grown:.1f} MB")


def test_the_pixel_limit_is_a_setting_checked_from_the_header(client, leader, exchange, settings):
    settings.OIA_PHOTO_MAX_PIXELS = 1_000_000
    client.force_login(leader)

    too_big = upload_photo(client, exchange, "wide.jpg", image_bytes("JPEG", (1200, 900)))
    fits = upload_photo(client, exchange, "small.jpg", image_bytes("JPEG", (1000, 1000)))

    assert too_big.status_code == 200
    assert "The photo has too many pixels: at most 1 megapixels." in page_text(too_big)
    assert fits.status_code == 302
    assert ExchangePhoto.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("animation.jpg", image_bytes("GIF")),
        ("modern.png", image_bytes("WEBP")),
        ("bitmap.jpg", image_bytes("BMP")),
        ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.jpg", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("truncated.jpg", image_bytes("JPEG", (400, 300))[:600]),
        ("truncated.png", image_bytes("PNG", (400, 300))[:80]),
        ("empty.png", b""),
    ],
)
def test_only_real_jpeg_and_png_photos_are_accepted(client, leader, exchange, name, content):
    client.force_login(leader)

    response = upload_photo(client, exchange, name, content)

    assert response.status_code == 200
    text = page_text(response)
    assert "This file is not a photo we can read. Upload a JPEG or PNG image." in text or (
        not content and "The submitted file is empty." in text
    )
    assert not ExchangePhoto.objects.exists()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_real_jpeg_or_png_is_stored_as_jpeg(client, leader, exchange, fmt):
    client.force_login(leader)

    response = upload_photo(client, exchange, f"photo.{fmt.lower()}", image_bytes(fmt, (800, 600)))

    assert response.status_code == 302
    photo = ExchangePhoto.objects.get()
    assert (photo.width, photo.height) == (800, 600)
    with photo.image.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"


def test_a_photo_over_the_size_limit_is_refused(client, leader, exchange, settings):
    settings.OIA_MAX_UPLOAD_MB = 1
    client.force_login(leader)
    padded = image_bytes("JPEG") + b"\x00" * (MB + 1)  # within the request limit (file + 1 MB)

    response = upload_photo(client, exchange, "photo.jpg", padded)

    assert response.status_code == 200
    assert "The photo is too large: at most 1 MB." in page_text(response)
    assert not ExchangePhoto.objects.exists()


def test_the_photo_is_served_as_a_jpeg_the_browser_may_not_sniff(client, leader, exchange):
    client.force_login(leader)
    upload_photo(client, exchange, "photo.png", image_bytes("PNG"))

    response = client.get(reverse("portal:photo", args=[ExchangePhoto.objects.get().pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- staff documents ---------------------------------------------------------------

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_DRAWING = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def post_document(client, name, content, content_type="application/pdf"):
    partnership = PartnershipFactory()
    return client.post(
        reverse("partners:document-create", args=[partnership.pk]),
        {"kind": "agreement", "title": "Agreement", "file": SimpleUploadedFile(name, content, content_type)},
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("agreement.pdf", HTML_PAGE, "PDF"),
        ("agreement.pdf", SVG_DRAWING, "PDF"),
        ("scan.png", HTML_PAGE, "PNG"),
        ("scan.png", image_bytes("JPEG"), "PNG"),
        ("scan.jpg", SVG_DRAWING, "JPEG"),
        ("scan.jpeg", b"%PDF-1.4\n%%EOF\n", "JPEG"),
        ("agreement.PDF", b"PK\x03\x04 a zip", "PDF"),
    ],
)
def test_a_document_whose_content_is_not_what_its_name_says_is_refused(staff_client, name, content, kind):
    response = post_document(staff_client, name, content)

    assert response.status_code == 200
    assert f"This file is not a real {kind} file: its content does not match its name." in page_text(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("agreement.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
        ("scan.png", image_bytes("PNG")),
        ("scan.jpg", image_bytes("JPEG")),
        ("scan.jpeg", image_bytes("JPEG")),
    ],
)
def test_real_pdf_png_and_jpeg_documents_are_stored(staff_client, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path

    response = post_document(staff_client, name, content)

    assert response.status_code == 302
    assert Document.objects.get().file.read() == content


def test_a_document_over_the_size_limit_is_refused(staff_client, settings):
    settings.OIA_MAX_UPLOAD_MB = 1

    response = post_document(staff_client, "agreement.pdf", b"%PDF-1.4\n" + b" " * (MB + 1))

    assert response.status_code == 200
    assert "The file is too large: at most 1 MB." in page_text(response)
    assert not Document.objects.exists()


def test_the_document_form_says_the_limit(staff_client, settings):
    settings.OIA_MAX_UPLOAD_MB = 7
    partnership = PartnershipFactory()

    response = staff_client.get(reverse("partners:document-create", args=[partnership.pk]))

    assert "PDF, PNG or JPEG, at most 7 MB." in page_text(response)


def test_a_document_is_downloaded_as_an_attachment_of_its_type_never_sniffed(staff_client):
    document = DocumentFactory()

    response = staff_client.get(reverse("partners:document-download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- request bodies ------------------------------------------------------------------


def test_a_request_body_over_the_limit_is_answered_413_before_it_is_read(staff_client, settings):
    settings.OIA_MAX_UPLOAD_MB = 1
    partnership = PartnershipFactory()
    big = SimpleUploadedFile("agreement.pdf", b"%PDF-1.4\n" + b" " * (2 * MB + 1))

    response = staff_client.post(
        reverse("partners:document-create", args=[partnership.pk]),
        {"kind": "agreement", "title": "Agreement", "file": big},
    )

    assert response.status_code == 413
    assert "The request is too large: files may be at most 1 MB." in page_text(response)
    assert not Document.objects.exists()


def test_an_api_body_over_the_limit_is_answered_413_in_json(staff_api, settings):
    settings.OIA_MAX_UPLOAD_MB = 1
    # Django limits form data, but the API reads JSON straight from the stream.
    body = {"name": "x" * (2 * MB + 1), "country": "PL"}

    response = staff_api.post("/api/cities/", body, format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large: files may be at most 1 MB."}


def test_too_much_form_data_is_a_clear_400_page_not_a_500(staff_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    partnership = PartnershipFactory()

    response = staff_client.post(
        reverse("partners:document-create", args=[partnership.pk]),
        {"kind": "agreement", "title": "A" * 2000},
    )

    assert response.status_code == 400
    assert "The request is too large. Go back and send less data or a smaller file." in page_text(response)


def test_too_many_fields_are_a_clear_400_page(staff_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    partnership = PartnershipFactory()

    response = staff_client.post(
        reverse("partners:document-create", args=[partnership.pk]),
        {f"field{number}": "x" for number in range(20)},
    )

    assert response.status_code == 400
    assert "too many fields" in page_text(response)


def test_too_much_form_data_in_the_api_is_json(staff_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = staff_api.post("/api/cities/", {"name": "x" * 2000, "country": "PL"}, format="multipart")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large. Send less data or a smaller file."}


def test_too_many_fields_in_the_api_are_json(staff_api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    response = staff_api.post("/api/cities/", {f"field{number}": "x" for number in range(20)}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request holds too many fields or files. Send fewer."}


# --- the partnership import (CSV/XLSX) -----------------------------------------------


def xlsx_bomb(text_mb: int = 60) -> bytes:
    """A real workbook with one cell that unpacks to ``text_mb`` MB of text:
    a few hundred KB as uploaded."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["City", "Country", "Year"])
    workbook.active.append(["Kraków", "PL", "1991"])
    plain = io.BytesIO()
    workbook.save(plain)
    bomb = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<t>Krak", b"<t>" + b"A" * (text_mb * MB) + b"Krak")
            target.writestr(member.filename, content)
    return bomb.getvalue()


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_read(staff_client):
    bomb = xlsx_bomb()
    assert len(bomb) < 1 * MB

    response = staff_client.post(
        reverse("partners:partnership-import"),
        {"action": "upload", "file": SimpleUploadedFile("partners.xlsx", bomb)},
    )

    assert response.status_code == 200
    assert "The Excel file unpacks to more than 50 MB." in page_text(response)
    assert "partners_import" not in staff_client.session


def test_a_disguised_file_named_xlsx_is_refused_cleanly(staff_client):
    response = staff_client.post(
        reverse("partners:partnership-import"),
        {"action": "upload", "file": SimpleUploadedFile("partners.xlsx", HTML_PAGE)},
    )

    assert response.status_code == 200
    assert "The file is not a readable Excel (.xlsx) workbook." in page_text(response)


def test_a_truncated_photo_is_refused_even_after_a_report_was_printed(client, leader, exchange):
    """WeasyPrint's import lets Pillow load truncated images in the whole process."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as after the import in a process that printed a report before
    client.force_login(leader)

    response = upload_photo(client, exchange, "truncated.jpg", image_bytes("JPEG", (400, 300))[:600])

    assert response.status_code == 200
    assert "This file is not a photo we can read. Upload a JPEG or PNG image." in page_text(response)
    assert not ExchangePhoto.objects.exists()
