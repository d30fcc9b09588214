"""Numbers people type or import, read one way: finite, in figures, within the field's size.

Italian writes 1.200,50 for one thousand two hundred and fifty cents; a spreadsheet or a
browser's number box sends 1200.50. `decimal_parse` reads both where they cannot be confused
and refuses what could be read two ways ("1,200", "1,200.50"), so "1.200" is never booked as
1,20 €. Python's Decimal also reads "NaN", "Infinity" and "1e400": none is an amount, and
they are refused here before any validator meets them. Forms (common.forms) and imports
(common.exports / each app's resources) use these functions, so the rule lives in one place.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _


class NumberError(ValueError):
    """A number that cannot be read, or is too large; `message` is for the person, `code` for
    the form."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


_SPACES = re.compile(r"[\s\u00a0\u202f']")
# Groups of three after the first (1.200 / 1.200.000), with a comma for the decimals.
_ITALIAN_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_ITALIAN_PLAIN = re.compile(r"^\d+(,\d+)?$")
# A machine's decimal point: one dot, one or two decimals (1200.5, 1200.50), never three.
_POINT_DECIMAL = re.compile(r"^\d+\.\d{1,2}$")
_DOT_ONLY = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")


def decimal_parse(text, *, italian: bool = True) -> Decimal:
    """Read `text` as a finite Decimal, or raise NumberError.

    `italian`: dots group thousands and a comma marks decimals ("1.200", "1.200,50",
    "1200,5"); a dot followed by one or two digits ("1200.50") is also read as a decimal
    point, since no Italian number looks like that. Without it (a browser's number box), only
    digits and one decimal point. Never exponents, NaN or Infinity.
    """
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    else:
        raw = str(text).strip()
        body = _SPACES.sub("", raw).replace("€", "")
        sign = ""
        if body and body[0] in "+-":
            sign, body = body[0], body[1:]
        if italian:
            if _ITALIAN_GROUPED.match(body):
                body = body.replace(".", "").replace(",", ".")
            elif _ITALIAN_PLAIN.match(body):
                if re.fullmatch(r"\d{1,3},\d{3}", body):
                    raise NumberError(_ambiguous(raw), code="ambiguous")
                body = body.replace(",", ".")
            elif _POINT_DECIMAL.match(body):
                pass
            elif re.fullmatch(r"[\d.,]+", body) and body[:1].isdigit():
                raise NumberError(_ambiguous(raw), code="ambiguous")
            else:
                raise NumberError(_not_a_number(raw))
        elif not _DOT_ONLY.match(body):
            raise NumberError(_not_a_number(raw))
        try:
            value = Decimal(sign + body)
        except InvalidOperation as error:
            raise NumberError(_not_a_number(raw)) from error
    if not value.is_finite():
        raise NumberError(_not_a_number(str(text)))
    return value


def decimal_check_size(value: Decimal, *, max_digits: int | None, decimal_places: int | None):
    """Refuse a value with more integer digits than the field holds, saying the largest one."""
    if max_digits is None:
        return
    places = decimal_places or 0
    limit = Decimal(10) ** (max_digits - places)
    if abs(value) >= limit:
        largest = limit - (Decimal(1).scaleb(-places) if places else 1)
        raise NumberError(
            _("The number is too large: at most %(limit)s.")
            % {
                "limit": number_format(
                    largest, decimal_pos=places, use_l10n=True, force_grouping=True
                )
            },
            code="too_large",
        )


def _not_a_number(value: str) -> str:
    return _("“%(value)s” is not a number written in figures.") % {"value": value[:40]}


def _ambiguous(value: str) -> str:
    return _(
        "“%(value)s” can be read in two ways: write thousands with a dot and decimals with "
        "a comma (1.200,50)."
    ) % {"value": value[:40]}
