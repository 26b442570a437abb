"""Multi-step writes: creation with a first status, status changes, and edits
that must not overwrite a colleague's edit."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partners import services
from partners.models import Partnership, StatusChange
from tests.factories import CityFactory, PartnershipFactory, UserFactory


def test_create_records_the_first_status_on_the_formalisation_date(db):
    officer = UserFactory(role="oia_staff")

    partnership = services.partnership_create(
        recorded_by=officer,
        partner_city=CityFactory(name="Kraków", country="PL"),
        formalised_on=datetime.date(1991, 1, 1),
        formalised_year_only=True,
    )

    change = partnership.status_changes.get()
    assert (change.status, change.effective_on, change.recorded_by) == ("active", datetime.date(1991, 1, 1), officer)
    assert partnership.formalised_display == "1991"


def test_status_change_is_recorded_with_reason_and_author(db):
    partnership = PartnershipFactory()
    officer = UserFactory(role="oia_staff")

    services.partnership_change_status(
        partnership=partnership,
        status="frozen",
        effective_on=datetime.date(2024, 2, 1),
        reason="The partner's elected council was removed.",
        recorded_by=officer,
        institutional_contacts_continue=True,
    )

    latest = partnership.status_history().first()
    assert latest.status == "frozen"
    assert latest.recorded_by == officer
    assert latest.institutional_contacts_continue is True
    assert Partnership.objects.get(pk=partnership.pk).current_status == "frozen"


@pytest.mark.parametrize(
    ("status", "effective_on", "reason", "field"),
    [
        ("active", datetime.date(2024, 1, 1), "Again", "status"),
        ("dormant", datetime.date(1980, 1, 1), "Too early", "effective_on"),
        ("dormant", datetime.date.today() + datetime.timedelta(days=3), "Future", "effective_on"),
        ("dormant", datetime.date(2024, 1, 1), "   ", "reason"),
    ],
)
def test_invalid_status_changes_are_refused_with_a_reason(db, status, effective_on, reason, field):
    partnership = PartnershipFactory(formalised_on=datetime.date(1990, 1, 1))

    with pytest.raises(ValidationError) as error:
        services.partnership_change_status(
            partnership=partnership, status=status, effective_on=effective_on, reason=reason, recorded_by=None
        )

    assert field in error.value.message_dict
    assert StatusChange.objects.filter(partnership=partnership).count() == 1


def test_stale_edit_is_refused_and_the_first_edit_kept(db):
    partnership = PartnershipFactory(notes="original")
    version = partnership.version
    services.partnership_update(
        partnership=Partnership.objects.get(pk=partnership.pk), version=version, notes="first editor"
    )

    with pytest.raises(ValidationError, match="Someone else changed"):
        services.partnership_update(
            partnership=Partnership.objects.get(pk=partnership.pk), version=version, notes="second editor"
        )

    partnership.refresh_from_db()
    assert partnership.notes == "first editor"
    assert partnership.version == version + 1


def test_two_simultaneous_edits_of_the_same_version_let_only_one_through(transactional_db):
    partnership = PartnershipFactory(notes="original")
    version = partnership.version
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(text):
        try:
            barrier.wait()
            services.partnership_update(
                partnership=Partnership.objects.get(pk=partnership.pk), version=version, notes=text
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(text,)) for text in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "saved"]
    assert Partnership.objects.get(pk=partnership.pk).notes in {"A", "B"}
