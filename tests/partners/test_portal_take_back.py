"""What a club leader may take back: a draft logged by mistake, a photo while
the office has not accepted the exchange, an application the office has not
decided yet. What the office has seen or decided stays."""

import pytest
from django.urls import reverse

from budget.models import GrantApplication
from oia.roles import Role
from partners.models import Exchange, ExchangeEvent, ExchangePhoto
from tests.factories import (
    ClubFactory,
    ExchangeFactory,
    ExchangePhotoFactory,
    GrantApplicationFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    club = ClubFactory(partnerships=[PartnershipFactory()])
    club.leaders.add(UserFactory(username="klaus", role=Role.CLUB_LEADER))
    return club


@pytest.fixture
def leader_client(client, club):
    client.force_login(club.leaders.get())
    return client


def test_a_leader_deletes_a_draft_and_its_photo_files(leader_client, club, django_capture_on_commit_callbacks):
    photo = ExchangePhotoFactory(exchange=ExchangeFactory(club=club, review_status="draft", title="Wrong trip"))
    url = reverse("portal:exchange-delete", args=[photo.exchange_id])
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)

    assert "Delete the draft “Wrong trip”?" in leader_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = leader_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:club", args=[club.pk])
    assert not Exchange.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize("status", ["submitted", "returned", "accepted"])
def test_an_exchange_the_office_has_seen_is_not_deleted(leader_client, club, status):
    exchange = ExchangeFactory(club=club, review_status=status)

    response = leader_client.post(reverse("portal:exchange-delete", args=[exchange.pk]), follow=True)

    assert "Only a draft can be deleted" in response.content.decode()
    assert Exchange.objects.filter(pk=exchange.pk).exists()


def test_a_leader_removes_a_photo_of_a_returned_exchange(leader_client, club, django_capture_on_commit_callbacks):
    photo = ExchangePhotoFactory(exchange=ExchangeFactory(club=club, review_status="returned"))
    storage, name = photo.image.storage, photo.image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = leader_client.post(reverse("portal:photo-delete", args=[photo.pk]))

    assert response.status_code == 302
    assert not ExchangePhoto.objects.exists()
    assert not storage.exists(name)
    assert ExchangeEvent.objects.get(exchange=photo.exchange).action == "photo_removed"


def test_a_photo_of_an_accepted_exchange_stays(leader_client, club):
    photo = ExchangePhotoFactory(exchange=ExchangeFactory(club=club, review_status="accepted"))

    page = leader_client.get(reverse("portal:photo-delete", args=[photo.pk])).content.decode()
    response = leader_client.post(reverse("portal:photo-delete", args=[photo.pk]), follow=True)

    assert "can no longer be changed" in page
    assert "Remove the photo" not in page
    assert "can no longer be changed" in response.content.decode()
    assert ExchangePhoto.objects.filter(pk=photo.pk).exists()


def test_a_submitted_application_is_taken_back_as_a_draft(leader_client, club):
    application = GrantApplicationFactory(club=club, status="submitted")

    page = leader_client.get(reverse("portal:grant-detail", args=[application.pk])).content.decode()
    response = leader_client.post(reverse("portal:grant-withdraw", args=[application.pk]), follow=True)

    assert "Take back to change it" in page
    assert "Your application is a draft again" in response.content.decode()
    assert GrantApplication.objects.get(pk=application.pk).status == "draft"


def test_a_decided_application_cannot_be_taken_back(leader_client, club):
    application = GrantApplicationFactory(club=club, status="rejected", rejection_reason="No programme.")

    response = leader_client.post(reverse("portal:grant-withdraw", args=[application.pk]), follow=True)

    assert "This is not possible while the application is “Rejected”." in response.content.decode()
    assert GrantApplication.objects.get(pk=application.pk).status == "rejected"
