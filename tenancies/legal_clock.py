"""The legal clock of an eviction for arrears (sfratto per morosità): pure date arithmetic.

Every rule takes the dates recorded on a case and a `ClockRules` (the programme's settings,
whose defaults are the numbers the law sets) and answers with dates, `Term`s or counts. Nothing
here reads the database, so each rule has its own unit test (tenancies/tests/test_legal_clock.py,
tenancies/tests/test_legal_calendar.py). How a term is counted (first day excluded, months and
years by the calendar, a term ending on a holiday runs to the next working day) is in
tenancies/legal_calendar.py, with its sources.

Sources:
- c.p.c. art. 658: the landlord serves the intimazione di sfratto per morosità together with
  the summons (citazione) to the hearing where the court validates it (udienza di convalida).
- c.p.c. art. 660: between service of the summons and the hearing at least 20 free days must
  pass (termini a comparire, as reduced for this procedure).
- c.p.c. art. 663: if the tenant does not appear, or appears and does not oppose, the judge
  validates the eviction (convalida) and the order is enforceable.
- L. 392/1978 art. 55 co. 1: the arrears may be cured in court (sanatoria) no more than 3 times
  in 4 years, by paying at the first hearing rent, charges, interest and costs; co. 2: failing
  payment at the hearing, the judge, faced with proven hardship, may grant a termine di grazia of
  up to 90 days and sets a new hearing no later than 10 days after it ends; co. 4: 4 times in 4
  years, and up to 120 days, when the default, lasting no more than two months, comes from the
  tenant's precarious means arisen after the lease was signed and due to unemployment, illness
  or serious, proven hardship.
- c.p.c. art. 480: the precetto gives at least 10 days to comply before enforcement starts.
- c.p.c. art. 608: the bailiff (ufficiale giudiziario) gives notice of the day and hour of the
  access at least 10 days ahead; enforcement of a release order starts with that notice.
- c.p.c. art. 481: the precetto lapses if enforcement has not started within 90 days of its
  service. Since enforcement starts with the art. 608 notice, a notice of access served within
  the 90 days keeps the precetto alive even when the access itself is postponed later.
- c.p.c. art. 155 (c.c. art. 2963): how each of those terms is counted; see legal_calendar.
- D.M. 30 March 2016 (fondo inquilini morosi incolpevoli): ISEE up to 26,000 euros, loss or
  sharp fall of income (dismissal, reduced hours, fixed-term contract not renewed, business
  closed, illness, injury or death of a household member), an eviction for arrears under way,
  a registered lease; a contribution up to 12,000 euros.

Which terms move off a holiday, and off a Saturday (c.p.c. art. 155 co. 4–5), is decided per
term beside its function. In short: every term that ends with something to be done moves off a
Sunday or public holiday; only the precetto's 90 days move off a Saturday too, because the act
due within them (the bailiff's notice of access) is a procedural act done outside a hearing.
A hearing and the bailiff's access may fall on a Saturday (art. 155 co. 6). A date the judge's
order fixes is taken as it is.

Helpers for the procedure's code (besides the rules below):
- `Term` (from legal_calendar): `nominal`, `due`, `moved_because`, `source`, `moved`. Every
  rule that returns a date has a twin ending in `_term` that returns the `Term`, so a page can
  show both days and why the deadline moved.
- `sanatoria_uses_counting(uses, on)`: which of the household's uses (dates) still count on
  `on`; what is a use is `SanatoriaUseKind` (paid in full at the first hearing, grace granted).
- `GraceCause`: the art. 55 co. 4 causes, for the case; `arrears_in_months(unpaid, monthly)`.
- `LAW_NUMBERS` and `law_breaches(values)`: the numbers a programme may not loosen.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from tenancies.legal_calendar import (
    Term,
    add_years,
    earliest_day,
    term_in_days,
)


@dataclass(frozen=True)
class ClockRules:
    """The numbers of the legal clock. Defaults are the law's; a programme may set others only
    where the law leaves room (`LAW_NUMBERS`)."""

    summons_min_days: int = 20  # c.p.c. art. 660
    grace_max_days: int = 90  # L. 392/1978 art. 55 co. 2
    grace_max_days_exceptional: int = 120  # L. 392/1978 art. 55 co. 4
    grace_max_uses: int = 3  # L. 392/1978 art. 55 co. 1: 3 times ...
    grace_max_uses_exceptional: int = 4  # ... co. 4: or 4 times ...
    grace_window_years: int = 4  # ... in 4 years
    grace_exceptional_max_arrears_months: int = 2  # L. 392/1978 art. 55 co. 4
    new_hearing_within_days: int = 10  # L. 392/1978 art. 55 co. 2
    precetto_term_days: int = 10  # c.p.c. art. 480
    access_notice_days: int = 10  # c.p.c. art. 608
    precetto_lapse_days: int = 90  # c.p.c. art. 481
    fund_isee_max: Decimal = Decimal("26000")  # D.M. 30 March 2016 art. 3
    fund_max_amount: Decimal = Decimal("12000")  # D.M. 30 March 2016 art. 5
    due_soon_days: int = 7  # the dashboard's "due soon" window (not a legal number)


DEFAULT_RULES = ClockRules()


# --- what a programme may change (settings cannot break the law) --------------------------

FIXED = "fixed"  # the law sets the number: a programme cannot change it
AT_MOST = "at_most"  # the law sets a ceiling: a programme may set a lower one


@dataclass(frozen=True)
class LawNumber:
    """A number of the legal clock the law sets: `name` is the `ClockRules` field."""

    name: str
    value: int | Decimal
    source: str
    room: str = FIXED

    def allows(self, value) -> bool:
        if value is None:
            return False
        if self.room == AT_MOST:
            return value <= self.value
        return value == self.value


LAW_NUMBERS = (
    LawNumber("summons_min_days", 20, "c.p.c. art. 660"),
    LawNumber("grace_max_days", 90, "L. 392/1978 art. 55 co. 2"),
    LawNumber("grace_max_days_exceptional", 120, "L. 392/1978 art. 55 co. 4"),
    LawNumber("grace_max_uses", 3, "L. 392/1978 art. 55 co. 1"),
    LawNumber("grace_max_uses_exceptional", 4, "L. 392/1978 art. 55 co. 4"),
    LawNumber("grace_window_years", 4, "L. 392/1978 art. 55 co. 1 e 4"),
    LawNumber("grace_exceptional_max_arrears_months", 2, "L. 392/1978 art. 55 co. 4"),
    LawNumber("new_hearing_within_days", 10, "L. 392/1978 art. 55 co. 2"),
    LawNumber("precetto_term_days", 10, "c.p.c. art. 480"),
    LawNumber("access_notice_days", 10, "c.p.c. art. 608"),
    LawNumber("precetto_lapse_days", 90, "c.p.c. art. 481"),
    # The D.M. sets ceilings; a regional or municipal call may set lower ones.
    LawNumber("fund_isee_max", Decimal("26000"), "D.M. 30 marzo 2016 art. 3", AT_MOST),
    LawNumber("fund_max_amount", Decimal("12000"), "D.M. 30 marzo 2016 art. 5", AT_MOST),
)
LAW_BY_NAME = {number.name: number for number in LAW_NUMBERS}


def law_breaches(values: Mapping[str, Any]) -> list[LawNumber]:
    """The law's numbers that `values` (field name → value, e.g. a policy's) would break."""
    return [n for n in LAW_NUMBERS if n.name in values and not n.allows(values[n.name])]


# --- causes (L. 392/1978 art. 55 co. 4; D.M. 30 March 2016 art. 2) -------------------------


class GraceCause(TextChoices):
    """L. 392/1978 art. 55 co. 4: what the tenant's precarious means come from. Codes shared
    with the case's `Cause` where they mean the same thing."""

    UNEMPLOYMENT = "unemployment", _("Unemployment (job lost)")
    CONTRACT_NOT_RENEWED = (
        "contract_not_renewed",
        _("Unemployment (fixed-term contract not renewed)"),
    )
    ILLNESS = "illness", _("Illness of the tenant")
    REDUCED_HOURS = "reduced_hours", _("Serious hardship: working hours reduced")
    BUSINESS_CLOSED = "business_closed", _("Serious hardship: own business closed")
    DEATH = "death", _("Serious hardship: death of a household member")
    HOUSEHOLD_ILLNESS = "household_illness", _("Serious hardship: illness of a household member")
    OTHER_HARDSHIP = "other_hardship", _("Other serious, proven hardship")
    NONE = "none", _("None of the causes of art. 55")


# Causes that open the wider grace (4 times, 120 days): unemployment, illness and serious,
# proven hardship (L. 392/1978 art. 55 co. 4). Anything else, e.g. "separation" or "other" of
# the case's causes, does not, unless the operator records it as "other_hardship".
EXCEPTIONAL_CAUSES = frozenset(GraceCause.values) - {GraceCause.NONE.value}
# Causes the fondo morosità incolpevole accepts (D.M. 30 March 2016 art. 2).
FUND_CAUSES = frozenset(
    {"unemployment", "reduced_hours", "contract_not_renewed", "business_closed", "illness", "death"}
)


class SanatoriaUseKind(TextChoices):
    """L. 392/1978 art. 55 co. 1 and 4: what uses up one of the 3 (or 4) sanatorie in 4 years.
    One use per hearing: paying within a grace period granted is the same use, not a second."""

    PAID_AT_HEARING = "paid_at_hearing", _("Arrears paid in full at the first hearing")
    GRACE_GRANTED = "grace_granted", _("Grace period granted")


# --- which terms move off a holiday, and off a Saturday (c.p.c. art. 155 co. 4–6) ----------


@dataclass(frozen=True)
class TermRule:
    """How one term of the clock meets the calendar: every one moves off a Sunday or public
    holiday; `saturday_moves` when what is due is a procedural act done outside a hearing
    (art. 155 co. 5). `why` says it in words, for the rules page."""

    key: str
    label: Any
    source: str
    saturday_moves: bool
    why: Any


SUMMONS_RULE = TermRule(
    "summons",
    _("Earliest validation hearing (20 free days)"),
    "c.p.c. art. 660",
    False,
    _(
        "A minimum interval, not a deadline: the 20 days are not lengthened, but no hearing "
        "sits on a Sunday or holiday. Hearings may be held on Saturdays (art. 155 co. 6)."
    ),
)
GRACE_RULE = TermRule(
    "grace",
    _("Last day to pay in the grace period"),
    "L. 392/1978 art. 55 co. 2; c.c. artt. 1187, 2963",
    False,
    _(
        "Paying is not a procedural act: a Saturday end stays. A date fixed in the judge's "
        "order is taken as it is."
    ),
)
NEW_HEARING_RULE = TermRule(
    "new_hearing",
    _("New hearing, within 10 days of the grace's end"),
    "L. 392/1978 art. 55 co. 2",
    False,
    _("A hearing, not an act outside one: it may sit on a Saturday (art. 155 co. 6)."),
)
PRECETTO_RULE = TermRule(
    "precetto_term",
    _("The precetto's 10 days"),
    "c.p.c. art. 480",
    False,
    _("What is due is the tenant's compliance, not a procedural act: a Saturday end stays."),
)
PRECETTO_LAPSE_RULE = TermRule(
    "precetto_lapse",
    _("The precetto's 90 days to start enforcement"),
    "c.p.c. art. 481",
    True,
    _(
        "What is due is the bailiff's notice of access (art. 608), a procedural act done "
        "outside a hearing: a Saturday end moves to Monday (art. 155 co. 5)."
    ),
)
ACCESS_RULE = TermRule(
    "access",
    _("Earliest access of the bailiff (10 days' notice)"),
    "c.p.c. art. 608",
    False,
    _(
        "A minimum interval: no access on a Sunday or holiday; court officers work on "
        "Saturdays (art. 155 co. 6)."
    ),
)
TERM_RULES = (
    SUMMONS_RULE,
    GRACE_RULE,
    NEW_HEARING_RULE,
    PRECETTO_RULE,
    PRECETTO_LAPSE_RULE,
    ACCESS_RULE,
)


def days_after(day: date, days: int) -> date:
    return day + timedelta(days=days)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February without one)."""
    return add_years(day, -years)


# --- the summons (c.p.c. artt. 658, 660) ---------------------------------------------------


def summons_earliest_hearing_term(served_on: date, rules: ClockRules = DEFAULT_RULES) -> Term:
    """c.p.c. art. 660: the validation hearing cannot fall before 20 free days after service
    (free days: neither the day of service nor the hearing day count).

    Holidays (art. 155): a dilatory term, not a deadline for anyone to act, so co. 4 does not
    lengthen the 20 days; but no hearing sits on a Sunday or public holiday, so the first
    possible hearing is the next working day. A Saturday stays possible (co. 6)."""
    nominal = days_after(served_on, rules.summons_min_days + 1)
    return earliest_day(
        nominal, saturday_off=SUMMONS_RULE.saturday_moves, source="c.p.c. artt. 660, 155"
    )


def summons_earliest_hearing(served_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    return summons_earliest_hearing_term(served_on, rules).due


def summons_term_respected(
    served_on: date, hearing_on: date, rules: ClockRules = DEFAULT_RULES
) -> bool:
    """Whether the summons gave the tenant the free days art. 660 c.p.c. requires (the days
    are counted plainly: holidays inside a term count, art. 155 co. 3)."""
    return hearing_on >= summons_earliest_hearing_term(served_on, rules).nominal


# --- the sanatoria and the termine di grazia (L. 392/1978 art. 55) -------------------------


def arrears_in_months(unpaid: Decimal, monthly_rent: Decimal) -> Decimal:
    """Months of rent unpaid (to the hundredth), the measure of art. 55 co. 4's two months."""
    if not monthly_rent:
        return Decimal(0)
    return (Decimal(unpaid) / Decimal(monthly_rent)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def grace_is_exceptional(
    *,
    arrears_months: Decimal,
    cause: str,
    cause_arose_on: date | None,
    lease_signed_on: date,
    rules: ClockRules = DEFAULT_RULES,
) -> bool:
    """L. 392/1978 art. 55 co. 4: the wider grace (4 times, 120 days) applies when the default
    has lasted no more than two months (`arrears_months`: months of rent unpaid at the hearing)
    and comes from unemployment, illness or serious, proven hardship (`GraceCause`) arisen after
    the lease was signed (strictly after the signing day)."""
    return (
        arrears_months <= rules.grace_exceptional_max_arrears_months
        and cause in EXCEPTIONAL_CAUSES
        and cause_arose_on is not None
        and cause_arose_on > lease_signed_on
    )


def sanatoria_uses_counting(
    uses: list[date], on: date, rules: ClockRules = DEFAULT_RULES
) -> list[date]:
    """L. 392/1978 art. 55 co. 1 and 4: the uses (dates of the hearings where the arrears were
    paid in full, or a grace period granted) that still count on `on`, earliest first.

    The 4 years are counted by the calendar (c.p.c. art. 155 co. 2, c.c. art. 2963 co. 4):
    a use on 1 March 2023 counts until 1 March 2027 included. The end is not moved off a holiday:
    it is a period to look back over, not a term to do something in."""
    years = rules.grace_window_years
    return sorted(day for day in uses if day <= on <= add_years(day, years))


@dataclass(frozen=True)
class GraceAllowance:
    """What the household may still ask the judge for on `on`."""

    uses_in_window: int
    max_uses: int
    max_days: int
    window_start: date  # the earliest use date that still counts
    uses: list[date] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.uses_in_window < self.max_uses

    @property
    def remaining(self) -> int:
        return max(0, self.max_uses - self.uses_in_window)


def grace_allowance(
    *,
    past_uses: list[date],
    on: date,
    exceptional: bool,
    rules: ClockRules = DEFAULT_RULES,
) -> GraceAllowance:
    """L. 392/1978 art. 55: count the uses in the 4 years up to `on` (by the calendar) and say
    how many are left (3, or 4 in the exceptional case) and how long a grace may last (90, or
    120 days in the exceptional case)."""
    in_window = sanatoria_uses_counting(past_uses, on, rules)
    return GraceAllowance(
        uses_in_window=len(in_window),
        max_uses=rules.grace_max_uses_exceptional if exceptional else rules.grace_max_uses,
        max_days=rules.grace_max_days_exceptional if exceptional else rules.grace_max_days,
        window_start=years_before(on, rules.grace_window_years),
        uses=in_window,
    )


def grace_term(granted_on: date, days: int) -> Term:
    """The last day to pay when the judge grants `days` days from the hearing (when the order
    fixes a date, that date is the deadline and this is not used).

    Holidays: the payment is not a procedural act, so a Saturday end stays (art. 155 co. 5 does
    not apply); a Sunday or holiday end runs to the next working day, by art. 155 co. 4 c.p.c.
    or, read as a term for paying, by artt. 1187 and 2963 co. 3 c.c.: the same either way."""
    return term_in_days(
        granted_on,
        days,
        saturday_off=GRACE_RULE.saturday_moves,
        source="L. 392/1978 art. 55; c.p.c. art. 155",
    )


def grace_ends_on(granted_on: date, days: int) -> date:
    """The last day to pay: the grace runs `days` days from the hearing that grants it."""
    return grace_term(granted_on, days).due


def grace_new_hearing_latest_term(ends_on: date, rules: ClockRules = DEFAULT_RULES) -> Term:
    """L. 392/1978 art. 55 co. 2: the new hearing falls no later than 10 days after the grace
    ends (`ends_on`: the day it really ends, after any move).

    Holidays: a hearing is held in court, not an act outside a hearing, and may sit on a
    Saturday (art. 155 co. 6); a Sunday or holiday end runs to the next working day (co. 4)."""
    return term_in_days(
        ends_on,
        rules.new_hearing_within_days,
        saturday_off=NEW_HEARING_RULE.saturday_moves,
        source="L. 392/1978 art. 55; c.p.c. art. 155",
    )


def grace_new_hearing_latest(ends_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    return grace_new_hearing_latest_term(ends_on, rules).due


def grace_problems(
    *,
    granted_on: date,
    days: int,
    new_hearing_on: date,
    allowance: GraceAllowance,
    rules: ClockRules = DEFAULT_RULES,
) -> list[str]:
    """Which art. 55 rule a grace period as recorded breaks: codes "exhausted", "too_long",
    "hearing_before_end", "hearing_too_late" (empty when it is lawful)."""
    problems = []
    if not allowance.allowed:
        problems.append("exhausted")
    if days < 1 or days > allowance.max_days:
        problems.append("too_long")
    ends_on = grace_ends_on(granted_on, days)
    if new_hearing_on <= ends_on:
        problems.append("hearing_before_end")
    elif new_hearing_on > grace_new_hearing_latest(ends_on, rules):
        problems.append("hearing_too_late")
    return problems


# --- enforcement (c.p.c. artt. 480, 481, 608) ----------------------------------------------


def precetto_term(served_on: date, rules: ClockRules = DEFAULT_RULES) -> Term:
    """c.p.c. art. 480: enforcement may start only after the 10 days the precetto gives.

    Holidays: what is due within the term is the tenant's compliance, not a procedural act, so
    a Saturday end stays (art. 155 co. 5 does not apply); a Sunday or holiday end runs to the
    next working day (co. 4)."""
    return term_in_days(
        served_on,
        rules.precetto_term_days,
        saturday_off=PRECETTO_RULE.saturday_moves,
        source="c.p.c. artt. 480, 155",
    )


def precetto_term_ends(served_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    return precetto_term(served_on, rules).due


def precetto_lapse_term(served_on: date, rules: ClockRules = DEFAULT_RULES) -> Term:
    """c.p.c. art. 481: the last day enforcement can start on the precetto (90 days).

    Holidays: the act due within the term is the bailiff's notice of access (art. 608), a
    procedural act done outside a hearing, so a Saturday end moves too (art. 155 co. 5), as
    does a Sunday or holiday end (co. 4)."""
    return term_in_days(
        served_on,
        rules.precetto_lapse_days,
        saturday_off=PRECETTO_LAPSE_RULE.saturday_moves,
        source="c.p.c. artt. 481, 155",
    )


def precetto_lapses_on(served_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    return precetto_lapse_term(served_on, rules).due


def precetto_lapsed(
    *,
    served_on: date,
    notice_served_on: date | None,
    today: date,
    rules: ClockRules = DEFAULT_RULES,
) -> bool:
    """c.p.c. artt. 481 and 608: the precetto has lapsed when 90 days went by without a notice
    of access (the act that starts the enforcement of a release order)."""
    deadline = precetto_lapses_on(served_on, rules)
    if notice_served_on is not None and notice_served_on <= deadline:
        return False
    return today > deadline


def access_earliest_term(
    *, notice_served_on: date, precetto_served_on: date, rules: ClockRules = DEFAULT_RULES
) -> Term:
    """c.p.c. artt. 608 and 480: the bailiff's access falls at least 10 days after the notice,
    and never within the precetto's 10-day term.

    Holidays: a dilatory term, not lengthened by art. 155 co. 4; but the bailiff does not
    carry out an access on a Sunday or holiday, so the first possible access is the next
    working day. A Saturday stays possible: court officers work on Saturdays (co. 6)."""
    nominal = max(
        days_after(notice_served_on, rules.access_notice_days),
        days_after(precetto_term_ends(precetto_served_on, rules), 1),
    )
    return earliest_day(
        nominal, saturday_off=ACCESS_RULE.saturday_moves, source="c.p.c. artt. 608, 480, 155"
    )


def access_earliest(
    *, notice_served_on: date, precetto_served_on: date, rules: ClockRules = DEFAULT_RULES
) -> date:
    return access_earliest_term(
        notice_served_on=notice_served_on, precetto_served_on=precetto_served_on, rules=rules
    ).due


# --- the public fund (D.M. 30 March 2016) --------------------------------------------------


def fund_eligibility_hints(
    *,
    isee: Decimal | None,
    cause: str,
    summons_served: bool,
    lease_registered: bool,
    rules: ClockRules = DEFAULT_RULES,
) -> list[tuple[str, bool]]:
    """D.M. 30 March 2016: the fund's requirements, each with whether the case meets it (codes:
    "isee", "cause", "summons", "registered"). Hints for the operator, not a decision."""
    return [
        ("isee", isee is not None and isee <= rules.fund_isee_max),
        ("cause", cause in FUND_CAUSES),
        ("summons", summons_served),
        ("registered", lease_registered),
    ]


# --- the tasks of a case -------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A dated task on a case: `kind` is a code, `source` the rule behind the date. When the
    clock moved it off a holiday, `nominal_on` is the plain count and `moved_because` why."""

    kind: str
    due_on: date
    source: str
    nominal_on: date | None = None
    moved_because: Any = ""

    @classmethod
    def from_term(cls, kind: str, term: Term) -> "Deadline":
        return cls(
            kind,
            term.due,
            term.source,
            nominal_on=term.nominal if term.moved else None,
            moved_because=term.moved_because,
        )


@dataclass(frozen=True)
class CaseDates:
    """What the clock needs to know about a case."""

    status: str
    summons_served_on: date | None = None
    hearing_on: date | None = None
    grace_ends_on: date | None = None
    new_hearing_on: date | None = None
    execution_from: date | None = None
    precetto_served_on: date | None = None
    access_notice_served_on: date | None = None
    access_on: date | None = None


def case_deadlines(dates: CaseDates, rules: ClockRules = DEFAULT_RULES) -> list[Deadline]:
    """The deadlines still ahead of a case in its current state, earliest first. Dates the
    court fixed (hearings, the grace's end as recorded, the release, the access) are taken as
    they are; the precetto's terms are counted here, holidays included."""
    status = dates.status
    result = []
    if status in ("summons_served", "mediation", "settled") and dates.hearing_on:
        result.append(Deadline("hearing", dates.hearing_on, "c.p.c. art. 658"))
    elif status == "hearing" and dates.hearing_on:
        result.append(Deadline("hearing_outcome", dates.hearing_on, "c.p.c. art. 663"))
    elif status == "grace_period":
        if dates.grace_ends_on:
            result.append(Deadline("grace_ends", dates.grace_ends_on, "L. 392/1978 art. 55"))
        if dates.new_hearing_on:
            result.append(Deadline("new_hearing", dates.new_hearing_on, "L. 392/1978 art. 55"))
    elif status == "validated" and dates.execution_from:
        result.append(Deadline("execution_from", dates.execution_from, "L. 392/1978 art. 56"))
    elif status == "enforcement_scheduled" and dates.precetto_served_on:
        served = dates.precetto_served_on
        if dates.access_notice_served_on is None:
            result.append(Deadline.from_term("precetto_term", precetto_term(served, rules)))
            result.append(Deadline.from_term("precetto_lapse", precetto_lapse_term(served, rules)))
        if dates.access_on:
            result.append(Deadline("access", dates.access_on, "c.p.c. art. 608"))
    return sorted(result, key=lambda d: d.due_on)


def deadline_urgency(due_on: date, today: date, rules: ClockRules = DEFAULT_RULES) -> str:
    """ "overdue" when the day has passed, "soon" within the policy's window, else ""."""
    if due_on < today:
        return "overdue"
    if due_on <= days_after(today, rules.due_soon_days):
        return "soon"
    return ""
