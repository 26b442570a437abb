"""Text rules shared by the apps.

Names are matched without accents or case. The embedded PostgreSQL has no
``unaccent`` extension, so searchable models store a folded copy of their
names (``search_key``) and queries are folded the same way: "lodz" finds
"Łódź", "dusseldorf" finds "Düsseldorf".

German writes ä, ö, ü as ae, oe, ue when the dots are missing ("Koeln").
Folding "ae" to "a" in the query would break "Michael" or "Raphael", so
instead a name is stored in two folded forms (``search_forms``): dots dropped
("koln") and dots written as e ("koeln"); a query is folded once (``fold``).
"Köln", "KOLN" and "Koeln" all find Köln; ß is ss on both sides.

Control characters (a vertical tab pasted from a word processor, a NUL) are
refused on input (``ControlCharacterValidator``) and removed on output
(``without_control_characters``): spreadsheets, email headers and PDFs cannot
hold them, and rows stored before the rule may still have them.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Letters that Unicode does not decompose into a base letter and an accent.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ħ": "h",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ð": "d",
    }
)


def fold(text: str) -> str:
    """Lower-case ``text`` without accents, e.g. ``fold("Łódź") == "lodz"``."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_UMLAUT_E = str.maketrans({"ä": "ae", "Ä": "Ae", "ö": "oe", "Ö": "Oe", "ü": "ue", "Ü": "Ue"})


def search_forms(text: str) -> list[str]:
    """The folded forms under which ``text`` is found: ``fold(text)`` and, when
    it has German umlauts, the form with ae/oe/ue ("Köln": koln, koeln)."""
    forms = [fold(text)]
    with_e = fold((text or "").translate(_UMLAUT_E))
    if with_e != forms[0]:
        forms.append(with_e)
    return forms


# Control characters (C0, DEL, C1), and what PostgreSQL and XML cannot hold:
# UTF-16 surrogates and the two non-characters U+FFFE and U+FFFF.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MULTI_LINE_ALLOWED = "\t\n\r"


def control_characters(text: str, *, allowed: str = "") -> set[str]:
    """The control characters in ``text``, apart from ``allowed``."""
    return {found for found in _CONTROL_CHARACTERS.findall(text or "") if found not in allowed}


def without_control_characters(text: str, *, keep: str = "\t\n") -> str:
    """``text`` without control characters, apart from those in ``keep``: one
    that is white space (a vertical tab, a line break not kept) becomes a
    space, so words stay apart; the others disappear. A Windows line end
    becomes one line break."""
    text = (text or "").replace("\r\n", "\n")
    return _CONTROL_CHARACTERS.sub(
        lambda found: found[0] if found[0] in keep else (" " if found[0].isspace() else ""), text
    )


def one_line(text: str) -> str:
    """A mail header's text: no line break or control character can get into
    it (a header injection), runs of white space become one space."""
    return " ".join(without_control_characters(str(text), keep="").split())


@deconstructible
class ControlCharacterValidator:
    """Refuses text with control characters, so what a spreadsheet, an email
    header or a PDF cannot show never gets in. Multi-line text may hold line
    breaks and tabs; a single line may not."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        if not control_characters(value, allowed=MULTI_LINE_ALLOWED if self.multiline else ""):
            return
        if self.multiline or control_characters(value, allowed=MULTI_LINE_ALLOWED):
            message = _(
                "This text contains invisible control characters (often copied from another program). "
                "Remove them and try again."
            )
        else:
            message = _("Write this on one line, without line breaks or tabs.")
        raise ValidationError(message, code="control_characters")

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and self.multiline == other.multiline


def control_character_validator(*, max_length: int | None, text_area: bool = False) -> ControlCharacterValidator:
    """The validator for one text field of a form or serializer: text without
    a length limit (a model's TextField, a reason, a comment) or shown as a
    text area may span lines; text with a limit is a single line."""
    return ControlCharacterValidator(multiline=text_area or max_length is None)


def replaced(model, name: str, old: str, new: str):
    """SQL replacing ``old`` by ``new`` in the text column ``name``, cut to the
    column's length: a placeholder longer than the name it replaces must not
    overflow a ``varchar`` (a phone number holding a one-character name did)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Left, Replace

    expression = Replace(name, Value(old), Value(new))
    field = model._meta.get_field(name)
    if isinstance(field, CharField) and field.max_length:
        expression = Left(expression, field.max_length)
    return expression
