"""Clubs' exchanges: logging, the office's review with its history, the
reciprocity flag, and the dormant-partnership suggestion."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from delegations.selectors import possibly_dormant
from partners import services
from partners.choices import ExchangeAction, ReviewStatus, Status
from partners.filters import ExchangeFilter
from partners.models import Exchange, StatusChange
from partners.selectors import months_before
from tests.factories import (
    ClubFactory,
    DelegationFactory,
    ExchangeFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(leader):
    club = ClubFactory(name="Freundeskreis Kraków e.V.", partnerships=[PartnershipFactory()])
    club.leaders.add(leader)
    return club


def log(club, leader, **overrides):
    fields = {
        "partnership": club.partnerships.get(),
        "kind": "school",
        "direction": "outgoing",
        "starts_on": datetime.date(2026, 4, 20),
        "ends_on": datetime.date(2026, 4, 25),
        "title": "Pupils of the Goethe-Gymnasium in Kraków",
        "participants_local": 24,
        "participants_partner": 0,
        "young_participants": 22,
        **overrides,
    }
    return services.exchange_create(club=club, created_by=leader, **fields)


def test_an_exchange_is_returned_fixed_resubmitted_and_accepted_with_its_history(club, leader, staff):
    exchange = log(club, leader)
    exchange = services.exchange_submit(exchange=exchange, by=leader)
    exchange = services.exchange_review(
        exchange=exchange, by=staff, decision=ReviewStatus.RETURNED, comment="Please add the partner school."
    )
    assert exchange.review_status == ReviewStatus.RETURNED

    exchange = services.exchange_update(
        exchange=exchange, version=exchange.version, by=leader, partner_organisations="Liceum nr 5, Kraków"
    )
    exchange = services.exchange_submit(exchange=exchange, by=leader)
    exchange = services.exchange_review(exchange=exchange, by=staff, decision=ReviewStatus.ACCEPTED)

    assert exchange.review_status == ReviewStatus.ACCEPTED
    history = [(e.action, e.by.username, e.comment) for e in exchange.events.order_by("at", "pk")]
    assert history == [
        (ExchangeAction.CREATED, "klaus", ""),
        (ExchangeAction.SUBMITTED, "klaus", ""),
        (ExchangeAction.RETURNED, "stefan", "Please add the partner school."),
        (ExchangeAction.EDITED, "klaus", ""),
        (ExchangeAction.SUBMITTED, "klaus", ""),
        (ExchangeAction.ACCEPTED, "stefan", ""),
    ]


def test_returning_an_exchange_needs_a_comment(club, leader, staff):
    exchange = log(club, leader)
    services.exchange_submit(exchange=exchange, by=leader)

    with pytest.raises(ValidationError) as refused:
        services.exchange_review(exchange=exchange, by=staff, decision=ReviewStatus.RETURNED, comment=" ")

    assert "Say what the club should change." in refused.value.message_dict["comment"]


def test_a_club_leader_cannot_review(club, leader):
    exchange = services.exchange_submit(exchange=log(club, leader), by=leader)

    with pytest.raises(ValidationError, match="Only the office reviews exchanges."):
        services.exchange_review(exchange=exchange, by=leader, decision=ReviewStatus.ACCEPTED)
    exchange.refresh_from_db()
    assert exchange.review_status == ReviewStatus.SUBMITTED


def test_an_accepted_exchange_can_no_longer_be_changed(club, leader, staff):
    exchange = services.exchange_submit(exchange=log(club, leader), by=leader)
    exchange = services.exchange_review(exchange=exchange, by=staff, decision=ReviewStatus.ACCEPTED)

    with pytest.raises(ValidationError, match="accepted by the office"):
        services.exchange_update(exchange=exchange, version=exchange.version, by=leader, title="Changed")


def test_a_draft_cannot_be_reviewed_before_it_is_submitted(club, leader, staff):
    with pytest.raises(ValidationError, match="Only a submitted exchange"):
        services.exchange_review(exchange=log(club, leader), by=staff, decision=ReviewStatus.ACCEPTED)


def test_a_stale_edit_does_not_overwrite_a_newer_one(club, leader):
    exchange = log(club, leader)
    services.exchange_update(exchange=exchange, version=1, by=leader, title="Choir of St. Mary's")

    with pytest.raises(ValidationError, match="Someone else changed this exchange"):
        services.exchange_update(exchange=exchange, version=1, by=leader, title="Something else")
    assert Exchange.objects.get(pk=exchange.pk).title == "Choir of St. Mary's"


def test_more_young_people_than_participants_is_refused_in_words(club, leader):
    with pytest.raises(ValidationError) as refused:
        log(club, leader, participants_local=10, participants_partner=5, young_participants=16)

    assert refused.value.message_dict["young_participants"] == [
        "There cannot be more students or young people (16) than participants (15)."
    ]


def test_an_exchange_must_belong_to_one_of_the_clubs_partnerships(club, leader):
    with pytest.raises(ValidationError) as refused:
        log(club, leader, partnership=PartnershipFactory())

    assert "Choose one of the club's partnerships." in refused.value.message_dict["partnership"]


def test_the_end_cannot_be_before_the_start(club, leader):
    with pytest.raises(ValidationError) as refused:
        log(club, leader, ends_on=datetime.date(2026, 4, 1))

    assert "ends_on" in refused.value.message_dict


def test_reciprocity_is_recorded_and_filters_the_exchanges_held_in_both_cities(club, leader):
    both = log(club, leader, direction="both", reciprocity=True, title="Jubilee concerts in both cities")
    log(club, leader, direction="outgoing", reciprocity=False, title="Choir trip")

    found = ExchangeFilter({"reciprocity": "true"}, queryset=Exchange.objects.all()).qs

    assert list(found) == [both]
    assert Exchange.objects.get(pk=both.pk).reciprocity is True


def _jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_large_photo_is_stored_resized(club, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exchange = log(club, leader)

    photo = services.exchange_photo_add(exchange=exchange, upload=_jpeg(4000, 3000), caption="On stage", by=leader)

    assert (photo.width, photo.height) == (1600, 1200)
    assert exchange.events.filter(action=ExchangeAction.PHOTO_ADDED).exists()


def test_a_file_that_is_not_an_image_is_refused_in_words(club, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("notes.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")

    with pytest.raises(ValidationError) as refused:
        services.exchange_photo_add(exchange=log(club, leader), upload=upload, by=leader)

    assert "not a photo we can read" in refused.value.message_dict["image"][0]


# --- the dormant suggestion ----------------------------------------------------------

TODAY = datetime.date(2026, 12, 2)


def test_a_partnership_with_no_exchange_or_delegation_for_two_years_is_suggested():
    quiet = PartnershipFactory()
    with_exchange = PartnershipFactory()
    ExchangeFactory(
        club=ClubFactory(partnerships=[with_exchange]),
        partnership=with_exchange,
        starts_on=datetime.date(2025, 1, 10),
        ends_on=datetime.date(2025, 1, 12),
    )
    with_delegation = PartnershipFactory()
    DelegationFactory(
        partnership=with_delegation,
        city=with_delegation.partner_city,
        start_on=datetime.date(2026, 5, 1),
        end_on=datetime.date(2026, 5, 3),
    )

    assert list(possibly_dormant(TODAY)) == [quiet]


def test_old_activity_drafts_and_cancelled_trips_do_not_keep_a_partnership_awake():
    partnership = PartnershipFactory()
    club = ClubFactory(partnerships=[partnership])
    ExchangeFactory(club=club, starts_on=datetime.date(2024, 11, 1), ends_on=datetime.date(2024, 12, 1))
    ExchangeFactory(club=club, review_status="draft")
    DelegationFactory(
        partnership=partnership,
        city=partnership.partner_city,
        status="cancelled",
        start_on=datetime.date(2026, 5, 1),
        end_on=datetime.date(2026, 5, 3),
    )

    assert list(possibly_dormant(TODAY)) == [partnership]


def test_only_active_partnerships_are_suggested_and_the_status_is_never_changed():
    active = PartnershipFactory()
    PartnershipFactory(status=Status.DORMANT)
    PartnershipFactory(status=Status.FROZEN)
    changes_before = StatusChange.objects.count()

    assert list(possibly_dormant(TODAY)) == [active]
    assert StatusChange.objects.count() == changes_before


def test_the_dormant_suggestion_is_one_query(django_assert_num_queries):
    PartnershipFactory.create_batch(5)
    with django_assert_num_queries(1):
        assert len(list(possibly_dormant(TODAY))) == 5


def test_twenty_four_months_before_the_end_of_a_month():
    assert months_before(datetime.date(2026, 12, 2), 24) == datetime.date(2024, 12, 2)
    assert months_before(datetime.date(2026, 2, 28), 24) == datetime.date(2024, 2, 28)
    assert months_before(datetime.date(2028, 2, 29), 12) == datetime.date(2027, 2, 28)


def test_the_dashboard_shows_the_suggestion_to_staff(client, staff):
    quiet = PartnershipFactory()
    client.force_login(staff)

    response = client.get("/")

    assert quiet.partner_city.name in response.content.decode()
    assert response.context["possibly_dormant"] == [quiet]


def test_the_officer_hears_of_a_submission_and_the_leaders_of_a_return(club, leader, staff):
    partnership = club.partnerships.get()
    partnership.responsible_officer = staff
    partnership.save()

    exchange = services.exchange_submit(exchange=log(club, leader), by=leader)
    services.exchange_review(exchange=exchange, by=staff, decision=ReviewStatus.RETURNED, comment="Add the dates.")

    assert "submitted the exchange" in staff.notifications.get().text
    to_leader = leader.notifications.get()
    assert to_leader.text.endswith("for changes: Add the dates.")
    assert to_leader.url == f"/portal/exchanges/{exchange.pk}/"


def test_a_review_of_an_exchange_the_club_changed_meanwhile_is_refused(club, leader, staff):
    exchange = services.exchange_submit(exchange=log(club, leader), by=leader)
    seen_by_staff = exchange.version
    services.exchange_update(exchange=exchange, version=exchange.version, by=leader, title="Corrected title")

    with pytest.raises(ValidationError, match="Someone else changed this exchange"):
        services.exchange_review(exchange=exchange, by=staff, decision=ReviewStatus.ACCEPTED, version=seen_by_staff)
    assert Exchange.objects.get(pk=exchange.pk).review_status == ReviewStatus.SUBMITTED


def test_the_dashboard_counts_what_the_clubs_sent(client, staff):
    ExchangeFactory.create_batch(2)
    ExchangeFactory(review_status="accepted")
    client.force_login(staff)

    page = client.get("/").content.decode()

    assert "2 exchanges to review" in page
