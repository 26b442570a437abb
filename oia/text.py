"""Accent- and case-insensitive matching of names.

The embedded PostgreSQL has no ``unaccent`` extension, so searchable models
store a folded copy of their names (``search_key``) and queries are folded the
same way: "lodz" finds "Łódź", "dusseldorf" finds "Düsseldorf".
"""

import unicodedata

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
