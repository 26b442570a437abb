"""Writes of a delegation's own records: its working programme, its costs
(estimated, later actual), its gifts and its outcomes. The pages and the API
both call these, so a record is checked by its model's ``clean()`` against
its delegation (a programme item within the trip's dates) whoever writes it.

Each record carries a ``version``: an edit or a removal names the version it
read and is refused if someone saved the record in between (``oia.versioning``).
A trip approved, or an official visit confirmed, with its working programme
keeps at least one programme item (``Delegation.keeps_its_programme``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from oia.versioning import lock_at_version, update_versioned

from ..models import Cost, Delegation, Gift, Outcome, ProgrammeItem

RECORD_MODELS = (ProgrammeItem, Cost, Gift, Outcome)


def stale_message(model: type[Model]) -> str:
    """The refusal of an edit made on an old version, as a whole sentence
    (German needs the noun's gender)."""
    return {
        ProgrammeItem: _(
            "Someone else changed this programme item while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
        Cost: _(
            "Someone else changed this cost while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
        Gift: _(
            "Someone else changed this gift while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
        Outcome: _(
            "Someone else changed this outcome while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
    }[model]


def editable_fields(model: type[Model]) -> list[str]:
    """What a form or an API client may set on a record: not its delegation, id or version."""
    fields = model._meta.concrete_fields
    return [field.name for field in fields if field.editable and field.name not in ("id", "delegation")]


def _for_update(model: type[Model]):
    return model.objects.select_related("delegation")


@transaction.atomic
def delegation_record_create(*, delegation: Delegation, model: type[Model], **fields) -> Model:
    """Add a programme item, cost, gift or outcome to ``delegation``."""
    if model not in RECORD_MODELS:
        raise TypeError(f"Not a record of a delegation: {model.__name__}")
    unknown = set(fields) - set(editable_fields(model))
    if unknown:
        raise TypeError(f"Unknown fields of {model.__name__}: {sorted(unknown)}")
    record = model(delegation=delegation, **fields)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def delegation_record_update(*, record: Model, version: int | None, **fields) -> Model:
    """Save an edit of ``record`` made on ``version``; refuse it if someone saved in between."""
    model = type(record)
    return update_versioned(
        record,
        version=version,
        fields=fields,
        message=stale_message(model),
        allowed=editable_fields(model),
        queryset=_for_update(model),
    )


@transaction.atomic
def delegation_record_delete(*, record: Model, version: int | None) -> None:
    """Remove ``record`` as it was at ``version``. The last programme item of a
    delegation that keeps its programme stays."""
    model = type(record)
    locked = lock_at_version(record, version=version, message=stale_message(model), queryset=_for_update(model))
    if model is ProgrammeItem:
        delegation = Delegation.objects.select_for_update().get(pk=locked.delegation_id)
        if delegation.keeps_its_programme() and not delegation.programme.exclude(pk=locked.pk).exists():
            raise ValidationError(
                _(
                    "“%(title)s” was approved or confirmed with its working programme, so the last "
                    "programme item stays. Add another one first, or send the delegation back a step."
                )
                % {"title": delegation.title}
            )
    locked.delete()
