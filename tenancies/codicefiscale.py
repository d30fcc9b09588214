"""Codice fiscale: validation with clear Italian messages, and building valid codes for demo data.

Checksums come from python-stdnum; nothing here re-implements them.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.it import codicefiscale

MONTH_LETTERS = "ABCDEHLMPRST"
VOWELS = "AEIOU"


def codice_fiscale_clean(value: str) -> str:
    """The code in upper case without spaces; raises ValidationError saying what is wrong."""
    compact = codicefiscale.compact(value or "")
    try:
        if len(compact) != 16 and not (len(compact) == 11 and compact.isdigit()):
            raise stdnum_exceptions.InvalidLength()
        codicefiscale.validate(compact)
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(
            _("The codice fiscale must have 16 characters (11 digits for a company)."),
            code="cf_length",
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The codice fiscale “%(value)s” has a wrong check character: check for typos."),
            code="cf_checksum",
            params={"value": compact},
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _(
                "The codice fiscale “%(value)s” is not well formed (letters and digits in the "
                "wrong places)."
            ),
            code="cf_format",
            params={"value": compact},
        ) from None
    return compact


def validate_codice_fiscale(value: str) -> None:
    """Model-field validator: the same checks as `codice_fiscale_clean`."""
    codice_fiscale_clean(value)


def codice_fiscale_birth_date_matches(code: str, birth_date: date) -> bool:
    """Whether a personal code encodes this birth date (century-agnostic, as the code is)."""
    if len(code) != 16:
        return True
    try:
        encoded = codicefiscale.get_birth_date(code)
    except stdnum_exceptions.ValidationError:
        return False
    return (encoded.day, encoded.month, encoded.year % 100) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    )


def _letters(word: str) -> tuple[str, str]:
    word = "".join(c for c in word.upper() if c.isalpha())
    consonants = "".join(c for c in word if c not in VOWELS)
    vowels = "".join(c for c in word if c in VOWELS)
    return consonants, vowels


def _surname_code(surname: str) -> str:
    consonants, vowels = _letters(surname)
    return (consonants + vowels + "XXX")[:3]


def _name_code(name: str) -> str:
    consonants, vowels = _letters(name)
    if len(consonants) >= 4:
        consonants = consonants[0] + consonants[2] + consonants[3]
    return (consonants + vowels + "XXX")[:3]


def codice_fiscale_build(
    *, first_name: str, last_name: str, birth_date: date, female: bool, place_code: str
) -> str:
    """A well-formed code for a person (used for demo and test data)."""
    day = birth_date.day + (40 if female else 0)
    body = (
        _surname_code(last_name)
        + _name_code(first_name)
        + f"{birth_date.year % 100:02d}"
        + MONTH_LETTERS[birth_date.month - 1]
        + f"{day:02d}"
        + place_code.upper()
    )
    return body + codicefiscale.calc_check_digit(body)
