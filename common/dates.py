"""Dates people type or import, kept to a plausible range for what they are.

A date box accepts year 1 and year 9999: a lease from 0001 to 9999 once created 24,312 monthly
dues, and a recovery plan starting in 9999 could not add its second month. Every date a person
types (a form), imports or sends (a service) is checked here against its kind: a birth is not
in the future nor before 1900, a payment is not years ahead, a hearing is within a few years.

Lower bounds are fixed and upper bounds move with today, so a date that was plausible when it
was saved stays plausible: editing an old record never trips over its own dates.
Forms use `PlausibleDateField(kind=…)` (common.forms); models list their dates in
`plausible_dates` and inherit `PlausibleDatesMixin`, so every service's `full_clean()` checks
them; services that set dates without `full_clean()` call `date_refuse_implausible`.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.exceptions import DomainError


class DateError(ValueError):
    """A date outside its kind's range; `message` is for the person, `code` for the form."""

    def __init__(self, message: str, code: str = "implausible_date"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class DateKind:
    """A kind of date: the earliest one accepted (fixed) and how far past today it may go.

    `ahead_days` 0 means "not after today"; the latest date moves with today."""

    name: str
    earliest: date
    ahead_days: int

    def bounds(self, *, today: date | None = None) -> tuple[date, date]:
        today = today or timezone.localdate()
        return self.earliest, date.fromordinal(today.toordinal() + self.ahead_days)


_YEAR = 366

# Birth: the oldest living person was born after 1900; nobody is born tomorrow.
BIRTH = DateKind("birth", date(1900, 1, 1), 0)
# Consent to data processing, and things that have already happened (a meeting, a note).
CONSENT = DateKind("consent", date(1990, 1, 1), 0)
EVENT = DateKind("event", date(1990, 1, 1), 31)
# A lease is signed at most a couple of years ahead; it lasts at most 30 years (art. 1573 c.c.).
LEASE_START = DateKind("lease_start", date(1990, 1, 1), 2 * _YEAR)
LEASE_END = DateKind("lease_end", date(1990, 1, 1), 32 * _YEAR)
# Money received: a payment, a contribution, a repayment; a bank may book it a few days ahead.
PAYMENT = DateKind("payment", date(1990, 1, 1), 31)
CONTRIBUTION = DateKind("contribution", date(1990, 1, 1), 31)
# An agreement with the fund: signed and in force for at most 30 years.
AGREEMENT = DateKind("agreement", date(1990, 1, 1), 30 * _YEAR)
# The first instalment of a repayment plan: a plan is agreed for the coming months, not decades.
PLAN_INSTALMENT = DateKind("plan_instalment", date(1990, 1, 1), 5 * _YEAR)
# Court dates: summons, hearings, judgments, release, the bailiff's access.
COURT = DateKind("court", date(1990, 1, 1), 5 * _YEAR)
# A deadline or an expiry: a review, an ISEE, a document, a pact's end, a dwelling's availability.
DEADLINE = DateKind("deadline", date(1990, 1, 1), 10 * _YEAR)
# A period asked of a report or a filter.
PERIOD = DateKind("period", date(1990, 1, 1), 30 * _YEAR)

KINDS = {
    kind.name: kind
    for kind in (
        BIRTH,
        CONSENT,
        EVENT,
        LEASE_START,
        LEASE_END,
        PAYMENT,
        CONTRIBUTION,
        AGREEMENT,
        PLAN_INSTALMENT,
        COURT,
        DEADLINE,
        PERIOD,
    )
}


def date_check(value, *, kind: DateKind, label: str, today: date | None = None) -> None:
    """Raise DateError when `value` (a date, or None) is outside `kind`'s range; the message
    names the field (`label`) and the range, in the person's language."""
    if value is None:
        return
    label = label or _("Date")
    if not isinstance(value, date):
        raise DateError(
            _("%(field)s: “%(value)s” is not a date.")
            % {
                "field": capfirst(label),
                "value": str(value)[:40],
            },
            code="invalid",
        )
    earliest, latest = kind.bounds(today=today)
    if earliest <= value <= latest:
        return
    raise DateError(
        _("%(field)s: the date must be between %(earliest)s and %(latest)s.")
        % {
            "field": capfirst(label),
            "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
            "latest": date_format(latest, "SHORT_DATE_FORMAT"),
        }
    )


def date_refuse_implausible(
    value, *, kind: DateKind, field: str, label: str, today: date | None = None
) -> None:
    """The same check for a service: a DomainError naming the form field."""
    try:
        date_check(value, kind=kind, label=label, today=today)
    except DateError as error:
        raise DomainError(error.message, field=field) from error


def plausible_dates_refuse(obj, fields) -> None:
    """Refuse (DomainError) when one of `fields` of `obj` is a date outside its model's
    `plausible_dates`: for services that save chosen fields without `full_clean()`."""
    kinds = getattr(obj, "plausible_dates", {})
    for name in fields:
        if name in kinds:
            date_refuse_implausible(
                getattr(obj, name),
                kind=kinds[name],
                field=name,
                label=str(obj._meta.get_field(name).verbose_name),
            )


class PlausibleDatesMixin:
    """A model whose `plausible_dates = {"field": KIND}` are checked by `full_clean()`, so
    every service and import that cleans the row refuses an implausible date."""

    plausible_dates: dict = {}

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, kind in self.plausible_dates.items():
            if (exclude and name in exclude) or name in errors:
                continue
            try:
                date_check(
                    getattr(self, name),
                    kind=kind,
                    label=str(self._meta.get_field(name).verbose_name),
                )
            except DateError as error:
                errors[name] = [ValidationError(error.message, code=error.code)]
        if errors:
            raise ValidationError(errors)
