"""The legal clock of an eviction for arrears (sfratto per morosità): pure date arithmetic.

Every rule takes the dates recorded on a case and a `ClockRules` (the programme's settings,
whose defaults are the numbers the law sets) and answers with dates or counts. Nothing here
reads the database, so each rule has its own unit test (tenancies/tests/test_legal_clock.py).

Sources:
- c.p.c. art. 658: the landlord serves the intimazione di sfratto per morosità together with
  the summons (citazione) to the hearing where the court validates it (udienza di convalida).
- c.p.c. art. 660: between service of the summons and the hearing at least 20 free days must
  pass (termini a comparire, as reduced for this procedure).
- c.p.c. art. 663: if the tenant does not appear, or appears and does not oppose, the judge
  validates the eviction (convalida) and the order is enforceable.
- L. 392/1978 art. 55: at the first hearing the tenant may cure the arrears (sanatoria) by
  paying rent, interest and costs; the judge may grant a termine di grazia of up to 90 days,
  fixing a new hearing no later than 10 days after it expires. The grace is allowed no more
  than 3 times in 4 years; 4 times, with up to 120 days, when the arrears (of no more than two
  months) come from the tenant's precarious conditions arisen after the lease was signed and
  due to unemployment, illness or serious proven hardship.
- c.p.c. art. 480: the precetto gives at least 10 days to comply before enforcement starts.
- c.p.c. art. 608: the bailiff (ufficiale giudiziario) gives notice of the day and hour of the
  access at least 10 days ahead; enforcement of a release order starts with that notice.
- c.p.c. art. 481: the precetto lapses if enforcement has not started within 90 days of its
  service. Since enforcement starts with the art. 608 notice, a notice of access served within
  the 90 days keeps the precetto alive even when the access itself is postponed later.
- D.M. 30 March 2016 (fondo inquilini morosi incolpevoli): ISEE up to 26,000 euros, loss or
  sharp fall of income (dismissal, reduced hours, fixed-term contract not renewed, business
  closed, illness, injury or death of a household member), an eviction for arrears under way,
  a registered lease; a contribution up to 12,000 euros.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class ClockRules:
    """The numbers of the legal clock. Defaults are the law's; a programme may set others."""

    summons_min_days: int = 20  # c.p.c. art. 660
    grace_max_days: int = 90  # L. 392/1978 art. 55
    grace_max_days_exceptional: int = 120  # L. 392/1978 art. 55
    grace_max_uses: int = 3  # L. 392/1978 art. 55: 3 times ...
    grace_max_uses_exceptional: int = 4  # ... or 4 times ...
    grace_window_years: int = 4  # ... in 4 years
    grace_exceptional_max_arrears_months: int = 2  # L. 392/1978 art. 55
    new_hearing_within_days: int = 10  # L. 392/1978 art. 55
    precetto_term_days: int = 10  # c.p.c. art. 480
    access_notice_days: int = 10  # c.p.c. art. 608
    precetto_lapse_days: int = 90  # c.p.c. art. 481
    fund_isee_max: Decimal = Decimal("26000")  # D.M. 30 March 2016 art. 3
    fund_max_amount: Decimal = Decimal("12000")  # D.M. 30 March 2016 art. 5
    due_soon_days: int = 7  # the dashboard's "due soon" window (not a legal number)


DEFAULT_RULES = ClockRules()

# Causes of arrears that open the 4-times / 120-day grace (L. 392/1978 art. 55).
EXCEPTIONAL_CAUSES = frozenset({"unemployment", "illness"})
# Causes the fondo morosità incolpevole accepts (D.M. 30 March 2016 art. 2).
FUND_CAUSES = frozenset(
    {"unemployment", "reduced_hours", "contract_not_renewed", "business_closed", "illness", "death"}
)


def days_after(day: date, days: int) -> date:
    return day + timedelta(days=days)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- the summons (c.p.c. artt. 658, 660) ---------------------------------------------------


def summons_earliest_hearing(served_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    """c.p.c. art. 660: the validation hearing cannot fall before 20 free days after service
    (free days: neither the day of service nor the hearing day count)."""
    return days_after(served_on, rules.summons_min_days + 1)


def summons_term_respected(
    served_on: date, hearing_on: date, rules: ClockRules = DEFAULT_RULES
) -> bool:
    """Whether the summons gave the tenant the free days art. 660 c.p.c. requires."""
    return hearing_on >= summons_earliest_hearing(served_on, rules)


# --- the termine di grazia (L. 392/1978 art. 55) -------------------------------------------


def grace_is_exceptional(
    *,
    arrears_months: Decimal,
    cause: str,
    cause_arose_on: date | None,
    lease_signed_on: date,
    rules: ClockRules = DEFAULT_RULES,
) -> bool:
    """L. 392/1978 art. 55: the wider grace (4 times, 120 days) applies when the arrears are of
    at most two months and come from unemployment or illness arisen after the lease was signed."""
    return (
        arrears_months <= rules.grace_exceptional_max_arrears_months
        and cause in EXCEPTIONAL_CAUSES
        and cause_arose_on is not None
        and cause_arose_on > lease_signed_on
    )


@dataclass(frozen=True)
class GraceAllowance:
    """What the household may still ask the judge for on `on`."""

    uses_in_window: int
    max_uses: int
    max_days: int
    window_start: date
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
    """L. 392/1978 art. 55: count the grace periods granted in the 4 years before `on` and
    say how many are left (3, or 4 in the exceptional case) and how long one may last (90, or
    120 days in the exceptional case)."""
    window_start = years_before(on, rules.grace_window_years)
    in_window = sorted(day for day in past_uses if window_start < day <= on)
    return GraceAllowance(
        uses_in_window=len(in_window),
        max_uses=rules.grace_max_uses_exceptional if exceptional else rules.grace_max_uses,
        max_days=rules.grace_max_days_exceptional if exceptional else rules.grace_max_days,
        window_start=window_start,
        uses=in_window,
    )


def grace_ends_on(granted_on: date, days: int) -> date:
    """The last day to pay: the grace runs `days` days from the hearing that grants it."""
    return days_after(granted_on, days)


def grace_new_hearing_latest(ends_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    """L. 392/1978 art. 55: the new hearing falls no later than 10 days after the grace ends."""
    return days_after(ends_on, rules.new_hearing_within_days)


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


def precetto_term_ends(served_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    """c.p.c. art. 480: enforcement may start only after the 10 days the precetto gives."""
    return days_after(served_on, rules.precetto_term_days)


def precetto_lapses_on(served_on: date, rules: ClockRules = DEFAULT_RULES) -> date:
    """c.p.c. art. 481: the last day enforcement can start on the precetto (90 days)."""
    return days_after(served_on, rules.precetto_lapse_days)


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


def access_earliest(
    *, notice_served_on: date, precetto_served_on: date, rules: ClockRules = DEFAULT_RULES
) -> date:
    """c.p.c. artt. 608 and 480: the bailiff's access falls at least 10 days after the notice,
    and never within the precetto's 10-day term."""
    return max(
        days_after(notice_served_on, rules.access_notice_days),
        days_after(precetto_term_ends(precetto_served_on, rules), 1),
    )


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
    """A dated task on a case: `kind` is a code, `source` the rule behind the date."""

    kind: str
    due_on: date
    source: str


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
    """The deadlines still ahead of a case in its current state, earliest first."""
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
            result.append(
                Deadline("precetto_term", precetto_term_ends(served, rules), "c.p.c. art. 480")
            )
            result.append(
                Deadline("precetto_lapse", precetto_lapses_on(served, rules), "c.p.c. art. 481")
            )
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
