"""A partnership's stored current status (``current_status``, ``current_status_on``)
is always what its history says, whatever writes the history: the services,
``bulk_create`` (the import), an edit or a delete of a change (the admin), or a
save of an older copy of the partnership. The database keeps it (triggers on
both tables), so these tests write the way each path does and compare."""

import datetime

from oia import audit
from partners import services
from partners.models import Partnership, StatusChange, status_on
from tests.factories import CityFactory, PartnershipFactory, UserFactory


def stored(partnership):
    return Partnership.objects.values_list("current_status", "current_status_on").get(pk=partnership.pk)


def differing_from_history():
    """Partnerships whose stored status is not the latest change's (none, ever)."""
    rows = Partnership.objects.annotate(from_history=status_on()).values_list("pk", "current_status", "from_history")
    return [row for row in rows if row[1] != row[2]]


def test_a_new_partnership_has_the_status_it_was_formalised_with(db):
    partnership = services.partnership_create(
        recorded_by=UserFactory(),
        partner_city=CityFactory(),
        kind="twinning",
        formalised_on=datetime.date(1990, 5, 12),
        initial_status="dormant",
    )

    assert stored(partnership) == ("dormant", datetime.date(1990, 5, 12))
    assert (partnership.current_status, partnership.current_status_on) == stored(partnership)


def test_a_recorded_change_becomes_the_current_status(db):
    partnership = PartnershipFactory(formalised_on=datetime.date(1991, 1, 1))

    services.partnership_change_status(
        partnership=partnership,
        status="frozen",
        effective_on=datetime.date(2022, 3, 1),
        reason="Council decision.",
        recorded_by=UserFactory(),
    )

    assert stored(partnership) == ("frozen", datetime.date(2022, 3, 1))
    assert (partnership.current_status, partnership.current_status_on) == stored(partnership)


def test_changes_written_in_bulk_set_each_partnership_s_status(db):
    first, second = PartnershipFactory(), PartnershipFactory()

    StatusChange.objects.bulk_create(
        [
            StatusChange(partnership=first, status="dormant", effective_on=datetime.date(2010, 1, 1), reason="-"),
            StatusChange(partnership=first, status="ended", effective_on=datetime.date(2012, 1, 1), reason="-"),
            StatusChange(partnership=second, status="frozen", effective_on=datetime.date(2011, 1, 1), reason="-"),
        ]
    )

    assert stored(first) == ("ended", datetime.date(2012, 1, 1))
    assert stored(second) == ("frozen", datetime.date(2011, 1, 1))


def test_on_the_same_day_the_change_entered_last_counts(db):
    partnership = PartnershipFactory(formalised_on=datetime.date(1991, 1, 1))
    for status in ("dormant", "active", "frozen"):
        StatusChange.objects.create(
            partnership=partnership, status=status, effective_on=datetime.date(2020, 6, 1), reason="-"
        )

    assert stored(partnership) == ("frozen", datetime.date(2020, 6, 1))


def test_deleting_the_latest_change_brings_back_the_one_before(db):
    partnership = PartnershipFactory(formalised_on=datetime.date(1991, 1, 1))
    ended = StatusChange.objects.create(
        partnership=partnership, status="ended", effective_on=datetime.date(2020, 1, 1), reason="Entered by mistake."
    )

    ended.delete()

    assert stored(partnership) == ("active", datetime.date(1991, 1, 1))


def test_a_partnership_without_history_has_no_status(db):
    partnership = PartnershipFactory()

    partnership.status_changes.all().delete()

    assert stored(partnership) == (None, None)


def test_editing_a_change_s_date_or_partnership_moves_the_status(db):
    first, second = PartnershipFactory(), PartnershipFactory()
    early = StatusChange.objects.create(
        partnership=first, status="dormant", effective_on=datetime.date(2005, 1, 1), reason="-"
    )
    StatusChange.objects.create(partnership=first, status="active", effective_on=datetime.date(2010, 1, 1), reason="-")

    StatusChange.objects.filter(pk=early.pk).update(effective_on=datetime.date(2015, 1, 1))
    assert stored(first) == ("dormant", datetime.date(2015, 1, 1))

    early.refresh_from_db()
    early.partnership = second
    early.save()
    assert stored(first) == ("active", datetime.date(2010, 1, 1))
    assert stored(second) == ("dormant", datetime.date(2015, 1, 1))


def test_saving_an_older_copy_of_the_partnership_keeps_the_current_status(db):
    partnership = PartnershipFactory(formalised_on=datetime.date(1991, 1, 1))
    older_copy = Partnership.objects.get(pk=partnership.pk)
    services.partnership_change_status(
        partnership=partnership,
        status="ended",
        effective_on=datetime.date(2021, 1, 1),
        reason="Ended.",
        recorded_by=UserFactory(),
    )

    older_copy.notes = "Edited meanwhile."
    older_copy.save()
    Partnership.objects.filter(pk=partnership.pk).update(current_status="active")

    assert older_copy.current_status == "active"  # what it read before
    assert stored(partnership) == ("ended", datetime.date(2021, 1, 1))


def test_every_write_path_leaves_the_stored_status_as_the_history_says(db):
    partnerships = [PartnershipFactory(formalised_on=datetime.date(1990 + n, 1, 1)) for n in range(4)]
    StatusChange.objects.bulk_create(
        StatusChange(partnership=p, status="dormant", effective_on=datetime.date(2000 + n, 1, 1), reason="-")
        for n, p in enumerate(partnerships)
    )
    StatusChange.objects.filter(partnership=partnerships[0], status="dormant").delete()
    StatusChange.objects.filter(partnership=partnerships[1], status="dormant").update(status="ended")
    services.partnership_change_status(
        partnership=partnerships[2],
        status="active",
        effective_on=datetime.date(2020, 1, 1),
        reason="Revived.",
        recorded_by=None,
    )
    partnerships[3].save()

    assert differing_from_history() == []
    assert [p.current_status for p in Partnership.objects.order_by("formalised_on")] == [
        "active",
        "ended",
        "active",
        "dormant",
    ]


def test_a_status_change_adds_no_event_to_the_partnership_s_own_trail(db):
    partnership = PartnershipFactory()
    events_before = len(audit.history_for(partnership))

    services.partnership_change_status(
        partnership=partnership,
        status="dormant",
        effective_on=datetime.date(2020, 1, 1),
        reason="Quiet.",
        recorded_by=None,
    )

    # The change itself is in the trail (as a StatusChange); the stored copy is not.
    assert len(audit.history_for(partnership)) == events_before
