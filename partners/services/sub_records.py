"""Writes of the records under a partnership's umbrella that both partnership
pages and the API edit and remove: its sub-partnerships (schools, ports,
churches …) and its trilateral links. A record stays under the partnership it
was recorded for; the model's ``clean()`` and constraints (a trilateral link
joins one other partnership or one third city, never itself) are checked
whoever writes it.

Each record carries a ``version``: an edit or a removal names the version it
read and is refused if someone saved the record in between (``oia.versioning``),
as a delegation's programme items, costs, gifts and outcomes are.
"""

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from oia.versioning import lock_at_version, update_versioned

from ..models import SubPartnership, TrilateralLink

RECORD_MODELS = (SubPartnership, TrilateralLink)


def stale_message(model: type[Model]) -> str:
    """The refusal of an edit made on an old version, as a whole sentence
    (German needs the noun's gender)."""
    return {
        SubPartnership: _(
            "Someone else changed this sub-partnership while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
        TrilateralLink: _(
            "Someone else changed this trilateral link while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
    }[model]


def editable_fields(model: type[Model]) -> list[str]:
    """What a form or an API client may change on a record: not its partnership, id or version."""
    fields = model._meta.concrete_fields
    return [field.name for field in fields if field.editable and field.name not in ("id", "partnership")]


def _record_model(record: Model) -> type[Model]:
    model = type(record)
    if model not in RECORD_MODELS:
        raise TypeError(f"Not a record under a partnership's umbrella: {model.__name__}")
    return model


@transaction.atomic
def partnership_record_update(*, record: Model, version: int | None, **fields) -> Model:
    """Save an edit of a sub-partnership or trilateral link made on ``version``;
    refuse it if someone saved in between."""
    model = _record_model(record)
    return update_versioned(
        record,
        version=version,
        fields=fields,
        message=stale_message(model),
        allowed=editable_fields(model),
    )


@transaction.atomic
def partnership_record_delete(*, record: Model, version: int | None) -> None:
    """Remove a sub-partnership or trilateral link as it was at ``version``."""
    model = _record_model(record)
    lock_at_version(record, version=version, message=stale_message(model)).delete()
