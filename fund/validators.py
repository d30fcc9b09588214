"""The fund's bank identifiers: a BIC checked by python-stdnum (IBANs: housing.validators)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum.exceptions import ValidationError as StdnumError


def validate_bic(value: str) -> None:
    """A BIC (SWIFT code) of 8 or 11 characters with a valid country."""
    if not value:
        return
    try:
        stdnum_bic.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("BIC “%(value)s” is not valid: 8 or 11 letters and digits, with the country code."),
            code="invalid_bic",
            params={"value": value},
        ) from error
