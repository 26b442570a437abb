"""Amounts of money as people read them: in the reader's language and the
office's currency (``OIA_CURRENCY`` unless a budget names its own):
1.234,56 € in German, €1,234.56 in English. Messages, pages, exports and
the report all write money through ``format_money``; the ``money``
template filter calls it too."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats
from django.utils.translation import get_language

SYMBOLS = {"EUR": "€", "GBP": "£"}
# Languages that write the currency after the number, separated by a space.
SYMBOL_AFTER = ("de", "fr", "it", "es", "nl", "pl", "cs")


def currency_symbol(code: str | None = None) -> str:
    """The symbol of ``code`` (default: the office's currency), or the code itself."""
    code = (code or settings.OIA_CURRENCY or "").upper()
    return SYMBOLS.get(code, code)


def format_money(value, currency: str | None = None) -> str:
    """Two decimal places, grouped, in the active language; "—" for no value."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    symbol = currency_symbol(currency)
    number = formats.number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    sign = "-" if amount < 0 and number.strip("0.,") else ""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language in SYMBOL_AFTER:
        return f"{sign}{number} {symbol}"
    # A currency code rather than a symbol reads better with a space: "CHF 1,234.56".
    # Amount cells keep the number and the symbol on one line (CSS white-space).
    separator = "" if len(symbol) == 1 else " "
    return f"{sign}{symbol}{separator}{number}"
