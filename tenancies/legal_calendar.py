"""The court calendar: Italian national public holidays and how a legal term is counted.

Pure date arithmetic, no database. The rules and their sources:

- c.p.c. art. 155 co. 1 (and c.c. art. 2963 co. 2): a term in days excludes its first day
  (`term_in_days`: served on the 1st, a 10-day term ends on the 11th).
- c.p.c. art. 155 co. 2 (and c.c. art. 2963 co. 4): a term in months or years follows the
  common calendar: it ends on the day of the same number in the last month; when that month has
  no such day (31st, 29 February), on its last day (`add_months`, `add_years`).
- c.p.c. art. 155 co. 3: holidays inside a term count.
- c.p.c. art. 155 co. 4 (and c.c. art. 2963 co. 3, which art. 1187 c.c. applies to payments):
  a term ending on a public holiday runs to the next day that is not one. Sundays are public
  holidays (L. 260/1949 art. 2).
- c.p.c. art. 155 co. 5: for procedural acts done outside a hearing, a term ending on a Saturday
  runs to the next working day too. Co. 6: Saturday stays a working day for hearings and for the
  work of court officers (a hearing or the bailiff's access may fall on a Saturday).
- National public holidays (L. 260/1949 art. 2, as amended by L. 54/1977 and D.P.R. 792/1985;
  2 June restored by L. 336/2000): 1 January, 6 January, Easter Sunday and Monday, 25 April,
  1 May, 2 June, 15 August, 1 November, 8 December, 25 and 26 December. Local patron saints' days
  are not national holidays and are not counted here.

Helpers for the procedure's code:

- `easter_sunday(year)`, `holiday_name(day)`, `is_public_holiday(day)`.
- `is_working_day(day, saturday_off=False)`: not a Sunday nor a holiday (nor a Saturday when
  `saturday_off`, i.e. for an act done outside a hearing).
- `next_working_day(day, saturday_off=False)`: `day` itself when it is one, else the next.
- `Term`: `nominal` (the plain count), `due` (after the holiday rule), `moved_because` (why,
  in words; empty when not moved) and `source`; `Term.moved` tells whether they differ.
- `term_in_days(start, days, *, saturday_off, source)`, `term_in_months(...)`,
  `term_in_years(...)`: a term counted from `start` with the holiday rule applied;
  `earliest_day(day, *, saturday_off, source)`: the first day an act may take place on or after
  `day` (for dilatory terms: the earliest hearing, the earliest access).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SUNDAY = 6
SATURDAY = 5

# (month, day) → name, for the holidays on a fixed date (L. 260/1949 art. 2 as amended).
FIXED_HOLIDAYS = {
    (1, 1): _("New Year's Day"),
    (1, 6): _("Epiphany"),
    (4, 25): _("Liberation Day"),
    (5, 1): _("Labour Day"),
    (6, 2): _("Republic Day"),
    (8, 15): _("Assumption (Ferragosto)"),
    (11, 1): _("All Saints' Day"),
    (12, 8): _("Immaculate Conception"),
    (12, 25): _("Christmas Day"),
    (12, 26): _("St Stephen's Day"),
}


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday_name(day: date) -> Promise | None:
    """The national public holiday falling on `day` (Sundays aside), or None."""
    name = FIXED_HOLIDAYS.get((day.month, day.day))
    if name is not None:
        return name
    easter = easter_sunday(day.year)
    if day == easter:
        return _("Easter Sunday")
    if day == easter + timedelta(days=1):
        return _("Easter Monday")
    return None


def is_public_holiday(day: date) -> bool:
    """A Sunday or a national public holiday: a "giorno festivo" for c.p.c. art. 155 co. 4."""
    return day.weekday() == SUNDAY or holiday_name(day) is not None


def is_working_day(day: date, *, saturday_off: bool = False) -> bool:
    """Whether a term may end on `day`; `saturday_off` for acts done outside a hearing
    (c.p.c. art. 155 co. 5)."""
    if saturday_off and day.weekday() == SATURDAY:
        return False
    return not is_public_holiday(day)


def next_working_day(day: date, *, saturday_off: bool = False) -> date:
    """`day` when a term may end on it, else the first following day that may."""
    while not is_working_day(day, saturday_off=saturday_off):
        day += timedelta(days=1)
    return day


def non_working_reason(day: date) -> Promise | str:
    """Why no term ends on `day`, in words: the holiday's name, "Sunday" or "Saturday"."""
    name = holiday_name(day)
    if name is not None:
        return name
    if day.weekday() == SUNDAY:
        return pgettext_lazy("day of the week", "Sunday")
    if day.weekday() == SATURDAY:
        return pgettext_lazy("day of the week", "Saturday")
    return ""


def add_months(day: date, months: int) -> date:
    """c.p.c. art. 155 co. 2, c.c. art. 2963 co. 4: the same day number `months` later, or the
    last day of that month when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (28 February for a 29 February without one)."""
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class Term:
    """A legal term: the plain count (`nominal`), the day it really ends (`due`) and, when they
    differ, why (`moved_because`: the holiday, Sunday or Saturday the nominal day fell on)."""

    nominal: date
    due: date
    moved_because: Promise | str = ""
    source: str = ""

    @property
    def moved(self) -> bool:
        return self.due != self.nominal


def _moved(nominal: date, *, saturday_off: bool, source: str) -> Term:
    due = next_working_day(nominal, saturday_off=saturday_off)
    reason = non_working_reason(nominal) if due != nominal else ""
    return Term(nominal=nominal, due=due, moved_because=reason, source=source)


def term_in_days(start: date, days: int, *, saturday_off: bool, source: str = "") -> Term:
    """A term of `days` days from `start` (its first day excluded, art. 155 co. 1), moved off a
    holiday (co. 4) and, when `saturday_off`, off a Saturday (co. 5)."""
    return _moved(start + timedelta(days=days), saturday_off=saturday_off, source=source)


def term_in_months(start: date, months: int, *, saturday_off: bool, source: str = "") -> Term:
    """A term of `months` months from `start` by the calendar (art. 155 co. 2), then co. 4–5."""
    return _moved(add_months(start, months), saturday_off=saturday_off, source=source)


def term_in_years(start: date, years: int, *, saturday_off: bool, source: str = "") -> Term:
    """A term of `years` years from `start` by the calendar (art. 155 co. 2), then co. 4–5."""
    return _moved(add_years(start, years), saturday_off=saturday_off, source=source)


def earliest_day(day: date, *, saturday_off: bool = False, source: str = "") -> Term:
    """For a dilatory term whose first allowed day is `day`: the first day the act can really
    take place (no hearing or access on a Sunday or holiday; Saturday allowed unless
    `saturday_off`)."""
    return _moved(day, saturday_off=saturday_off, source=source)


def holidays(year: int) -> list[tuple[date, Promise]]:
    """The national public holidays of `year` (Sundays aside), in date order."""
    easter = easter_sunday(year)
    days = [(date(year, month, day), name) for (month, day), name in FIXED_HOLIDAYS.items()]
    days += [(easter, _("Easter Sunday")), (easter + timedelta(days=1), _("Easter Monday"))]
    return sorted(days, key=lambda pair: pair[0])
