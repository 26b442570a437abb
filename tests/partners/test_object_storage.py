"""Uploaded files in object storage (OIA_S3_BUCKET): documents and exchange
photos go to the bucket of a real S3-compatible server, never to local disk,
and come back only through the views that check the role. The bucket's
objects are private: the server refuses them to an anonymous client."""

import io

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from oia.roles import Role
from partners.models import Document, ExchangePhoto
from tests.factories import ClubFactory, ExchangeFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def jpeg(width=800, height=600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload_document(client, partnership, name="Vertrag 1991.pdf", content=PDF):
    return client.post(
        reverse("partners:document-create", args=[partnership.pk]),
        {"kind": "agreement", "title": "Agreement", "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def files_on_disk(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def exchange(leader):
    club = ClubFactory(partnerships=[PartnershipFactory()])
    club.leaders.add(leader)
    return ExchangeFactory(club=club, review_status="draft")


def test_a_document_uploaded_on_the_page_is_in_the_bucket_and_downloaded_through_the_view(staff_client, s3_bucket):
    partnership = PartnershipFactory()

    response = upload_document(staff_client, partnership)
    document = Document.objects.get()
    download = staff_client.get(reverse("partners:document-download", args=[document.pk]))

    assert response.status_code == 302
    assert s3_bucket.keys() == [document.file.name]
    assert document.file.name.startswith(f"partnerships/{partnership.pk}/")
    assert s3_bucket.read(document.file.name) == PDF
    assert files_on_disk(s3_bucket.media_root) == []
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Length"] == str(len(PDF))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{document.file_name}"'


def test_a_document_uploaded_through_the_api_is_in_the_bucket_and_downloaded_through_the_api(staff_api, s3_bucket):
    partnership = PartnershipFactory()
    scan = jpeg(40, 30)

    fields = {"partnership": partnership.pk, "kind": "agreement", "title": "Scan"}

    created = staff_api.post(
        "/api/documents/", {**fields, "file": SimpleUploadedFile("s.jpg", scan)}, format="multipart"
    )
    download = staff_api.get(created.json()["download"])

    assert created.status_code == 201, created.json()
    assert s3_bucket.keys() == [Document.objects.get().file.name]
    assert files_on_disk(s3_bucket.media_root) == []
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == scan
    assert download["Content-Type"] == "image/jpeg"


def test_the_same_file_name_twice_keeps_both_files(staff_client, s3_bucket):
    partnership = PartnershipFactory()

    upload_document(staff_client, partnership, "agreement.pdf", PDF)
    upload_document(staff_client, partnership, "agreement.pdf", PDF + b"% the second\n")

    first, second = Document.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert s3_bucket.keys() == sorted([first.file.name, second.file.name])
    assert s3_bucket.read(second.file.name).endswith(b"% the second\n")


def test_an_exchange_photo_is_in_the_bucket_and_shown_only_through_the_portal(
    client, leader, exchange, s3_bucket, user_for_role
):
    client.force_login(leader)

    response = client.post(
        reverse("portal:photo-create", args=[exchange.pk]),
        {"image": SimpleUploadedFile("stage.jpg", jpeg(), content_type="image/jpeg"), "caption": "On stage"},
    )
    photo = ExchangePhoto.objects.get()
    stored = s3_bucket.read(photo.image.name)
    shown = client.get(reverse("portal:photo", args=[photo.pk]))
    client.force_login(UserFactory(username="other-leader", role=Role.CLUB_LEADER))
    other_club = client.get(reverse("portal:photo", args=[photo.pk]))

    assert response.status_code == 302
    assert s3_bucket.keys() == [photo.image.name]
    assert photo.image.name.startswith(f"exchanges/{exchange.pk}/")
    assert (photo.width, photo.height) == (800, 600)
    assert stored[:3] == b"\xff\xd8\xff"
    assert files_on_disk(s3_bucket.media_root) == []
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content) == stored
    assert other_club.status_code == 404


@pytest.mark.parametrize("role", [Role.CLUB_LEADER, Role.COUNCIL])
def test_a_user_without_the_office_role_is_refused_the_document(client, staff_client, s3_bucket, user_for_role, role):
    upload_document(staff_client, PartnershipFactory())
    url = reverse("partners:document-download", args=[Document.objects.get().pk])
    client.force_login(user_for_role(role))

    assert client.get(url).status_code == 403


def test_a_document_whose_object_is_gone_is_a_404_not_a_500(staff_client, s3_bucket):
    upload_document(staff_client, PartnershipFactory())
    document = Document.objects.get()
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=document.file.name)

    response = staff_client.get(reverse("partners:document-download", args=[document.pk]))

    assert response.status_code == 404


def test_deleting_a_document_deletes_its_object(staff_client, s3_bucket):
    upload_document(staff_client, PartnershipFactory())
    document = Document.objects.get()

    response = staff_client.post(reverse("partners:document-delete", args=[document.pk]))

    assert response.status_code == 302
    assert s3_bucket.keys() == []


def test_the_objects_are_not_readable_by_an_anonymous_client(staff_client, s3_bucket):
    upload_document(staff_client, PartnershipFactory())
    key = Document.objects.get().file.name
    # The server does serve what is public: a refusal below is the bucket's privacy, not a wrong address.
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key="public.txt", Body=b"public", ACL="public-read")

    anonymous = requests.get(s3_bucket.object_url(key), timeout=10)

    assert requests.get(s3_bucket.object_url("public.txt"), timeout=10).content == b"public"
    assert anonymous.status_code == 403
    assert PDF not in anonymous.content
