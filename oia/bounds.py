"""The ranges a number from a request may take, written once for every form,
filter and model. A value outside them is the user's mistake, answered with a
message, never a database or calendar error (a year beyond 9999 has no date,
an integer beyond the column's range overflows in PostgreSQL)."""

from django.core.validators import MaxValueValidator, MinValueValidator

# The office's records start after 1900; plans and jubilees reach a few generations ahead.
YEAR_MIN = 1900
YEAR_MAX = 2200

# Primary keys are BigAutoFields.
ID_MAX = 2**63 - 1
# The largest value of an (unsigned) IntegerField's column, a PostgreSQL integer.
INTEGER_MAX = 2**31 - 1


def year_validators() -> list:
    """For a model field holding a year, so forms and API serializers refuse the rest."""
    return [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
