"""Checksums of Italian tax codes and IBANs (python-stdnum), with messages that name the field."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva


def normalise_tax_code(value: str) -> str:
    return "".join(str(value or "").split()).upper()


def validate_tax_code(value: str) -> None:
    """A codice fiscale (16 characters) or a partita IVA (11 digits), checksum included."""
    code = normalise_tax_code(value)
    if len(code) == 11 and code.isdigit():
        try:
            iva.validate(code)
        except StdnumError as error:
            raise ValidationError(
                _("Partita IVA “%(value)s” is not valid: the check digit does not match."),
                code="invalid_partita_iva",
                params={"value": value},
            ) from error
        return
    if len(code) == 16:
        try:
            codicefiscale.validate(code)
        except StdnumError as error:
            raise ValidationError(
                _("Codice fiscale “%(value)s” is not valid: the check character does not match."),
                code="invalid_codice_fiscale",
                params={"value": value},
            ) from error
        return
    raise ValidationError(
        _(
            "Codice fiscale or partita IVA “%(value)s” is not valid: enter 16 characters "
            "(codice fiscale) or 11 digits (partita IVA)."
        ),
        code="invalid_tax_code",
        params={"value": value},
    )


def normalise_iban(value: str) -> str:
    return "".join(str(value or "").split()).upper()


def validate_iban(value: str) -> None:
    """An IBAN with a correct country format and check digits."""
    if not value:
        return
    try:
        stdnum_iban.validate(normalise_iban(value))
    except StdnumError as error:
        raise ValidationError(
            _("IBAN “%(value)s” is not valid: check the country code, length and check digits."),
            code="invalid_iban",
            params={"value": value},
        ) from error


def iban_masked(value: str) -> str:
    """An IBAN as printed on documents that travel: country, check digits and the last four
    characters (IT60 •••• •••• 3456), enough to recognise the account, not to reuse it."""
    iban = normalise_iban(value)
    if len(iban) < 8:
        return "•" * len(iban)
    return f"{iban[:4]} •••• •••• {iban[-4:]}"
