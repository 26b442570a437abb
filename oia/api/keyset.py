"""Cursor (keyset) pages for the API lists that grow with the office's history.

A page-number page skips all the rows before it (``OFFSET``), so page 2,000
of the delegations reads 100,000 rows to show 50. A cursor page starts right
after the last row the client saw, by the values of the list's ordering keys
(``start_on < 2026-05-01 OR (start_on = 2026-05-01 AND id < 812)``), which an
index on those keys finds at once: every page costs the same, the first as
the last, and a row added or removed meanwhile neither repeats nor hides a row.

The keys end with the primary key, so they are unique and rows with equal
dates keep a fixed order; they are columns that are never null. A viewset
names its keysets in ``cursor_orderings``: the ``ordering`` parameter's value
(``None`` when the client gives none) and the keys it walks by. Any other
ordering is refused with cursor pages (page numbers still take it).

A cursor is signed (``django.core.signing``): the client cannot forge one, and
a cursor that was altered, comes from another ordering or was made under an
earlier secret key answers 400 and says to start again from the first page.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_SALT = "oia.api.cursor"
CURSOR_PARAM = "cursor"
ORDERING_PARAM = "ordering"
FORWARD, BACKWARD = "next", "previous"


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next: str | None
    previous: str | None


def ordering_keys(request, cursor_orderings: dict) -> tuple[str, ...]:
    """The keys for the client's ``ordering``; 400 for an ordering cursor pages cannot follow."""
    ordering = request.query_params.get(ORDERING_PARAM)
    if ordering not in cursor_orderings:
        allowed = ", ".join(name for name in cursor_orderings if name) or "-"
        raise ValidationError(
            {
                ORDERING_PARAM: [
                    _("Cursor pages can be sorted by: %(allowed)s. Leave out ordering, or use page numbers.")
                    % {"allowed": allowed}
                ]
            }
        )
    return tuple(cursor_orderings[ordering])


def _field_name(key: str) -> str:
    return key.removeprefix("-")


def _reversed(keys) -> tuple[str, ...]:
    return tuple(_field_name(key) if key.startswith("-") else f"-{key}" for key in keys)


def _plain(value):
    """A key's value as JSON can carry it (read back by the model field's ``to_python``)."""
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _key_values(row, keys) -> list:
    return [_plain(getattr(row, _field_name(key))) for key in keys]


def _beyond(keys, values) -> Q:
    """Rows after ``values`` in the order of ``keys``. The first condition only
    repeats part of the others, so the index on the keys can start there."""
    first = _field_name(keys[0])
    condition = Q(**{f"{first}__{'lte' if keys[0].startswith('-') else 'gte'}": values[0]})
    after = Q()
    for position, key in enumerate(keys):
        equal = {_field_name(earlier): values[index] for index, earlier in enumerate(keys[:position])}
        lookup = "lt" if key.startswith("-") else "gt"
        after |= Q(**equal, **{f"{_field_name(key)}__{lookup}": values[position]})
    return condition & after


def _refusal() -> ValidationError:
    return ValidationError(
        {CURSOR_PARAM: [_("This cursor is not valid (any more). Start again from the first page, without cursor.")]}
    )


def _read_cursor(request, queryset: QuerySet, keys) -> tuple[str, list] | None:
    token = request.query_params.get(CURSOR_PARAM)
    if token is None:
        return None
    try:
        cursor = signing.loads(token, salt=CURSOR_SALT)
    except signing.BadSignature as error:
        raise _refusal() from error
    # Signed, so made here; but perhaps for another ordering, or by an earlier version of the code.
    if not isinstance(cursor, dict) or cursor.get("keys") != list(keys):
        raise _refusal()
    direction, values = cursor.get("direction"), cursor.get("values")
    if direction not in (FORWARD, BACKWARD) or not isinstance(values, list) or len(values) != len(keys):
        raise _refusal()
    meta = queryset.model._meta
    fields = [meta.pk if _field_name(key) == "pk" else meta.get_field(_field_name(key)) for key in keys]
    try:
        return direction, [field.to_python(value) for field, value in zip(fields, values, strict=True)]
    except DjangoValidationError as error:
        raise _refusal() from error


def _link(request, keys, direction: str, row) -> str:
    token = signing.dumps(
        {"keys": list(keys), "direction": direction, "values": _key_values(row, keys)}, salt=CURSOR_SALT
    )
    return replace_query_param(request.build_absolute_uri(), CURSOR_PARAM, token)


def keyset_page(queryset: QuerySet, request, *, keys: tuple[str, ...], size: int) -> KeysetPage:
    """One cursor page of ``queryset`` ordered by ``keys``: ``size`` rows and
    the links to the pages after and before it. One query, one row more than
    the page, to know whether another page follows."""
    cursor = _read_cursor(request, queryset, keys)
    backward = cursor is not None and cursor[0] == BACKWARD
    order = _reversed(keys) if backward else keys
    if cursor is not None:
        queryset = queryset.filter(_beyond(order, cursor[1]))
    rows = list(queryset.order_by(*order)[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    if backward:
        rows.reverse()
    first_page = remove_query_param(request.build_absolute_uri(), CURSOR_PARAM)
    if not rows:  # everything beyond the cursor went meanwhile: back to the start
        return KeysetPage(rows, None, first_page if cursor is not None else None)
    has_next = more if not backward else True
    has_previous = more if backward else cursor is not None
    return KeysetPage(
        rows,
        _link(request, keys, FORWARD, rows[-1]) if has_next else None,
        _link(request, keys, BACKWARD, rows[0]) if has_previous else None,
    )


def keyset_schema_parameters(cursor_orderings: dict) -> list[dict]:
    orderings = ", ".join(f"`{name}`" for name in cursor_orderings if name)
    sorted_by = f" With cursor pages, `ordering` may be {orderings} or left out." if orderings else ""
    return [
        {
            "name": "pagination",
            "in": "query",
            "required": False,
            "description": "`page` (the default): numbered pages with a count. `cursor`: pages that each cost "
            "the same however far into the list, without a count; follow `next` and `previous`." + sorted_by,
            "schema": {"type": "string", "enum": ["page", "cursor"]},
        },
        {
            "name": CURSOR_PARAM,
            "in": "query",
            "required": False,
            "description": "Where a cursor page starts: take it from the `next` or `previous` link of the page "
            "before, never build it. An altered or outdated cursor answers 400.",
            "schema": {"type": "string", "maxLength": 1000},
        },
    ]
