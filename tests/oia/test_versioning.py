"""oia.versioning's writes of a locked row."""

from django.db import transaction

from delegations.models import Delegation
from oia.versioning import update_locked
from tests.factories import DelegationFactory


def test_update_locked_gives_the_callers_instance_the_row_as_saved_without_reading_it_back(
    db, django_assert_num_queries
):
    delegation = DelegationFactory(title="Before")
    stale = Delegation.objects.get(pk=delegation.pk)
    Delegation.objects.filter(pk=delegation.pk).update(title="Changed by a colleague")

    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        with django_assert_num_queries(1):  # the update only
            update_locked(stale, locked, status="submitted", version=locked.version + 1)

    saved = Delegation.objects.get(pk=delegation.pk)
    assert (saved.status, saved.version, saved.title) == ("submitted", delegation.version + 1, "Changed by a colleague")
    assert (stale.status, stale.version, stale.title) == (saved.status, saved.version, saved.title)
