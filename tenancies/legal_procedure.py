"""The eviction procedure's rules beyond the clock's numbers: pure functions of recorded dates
and amounts, each with its source, each tested at its boundary (tests/test_legal_procedure.py).

They stand on `tenancies.legal_clock` (the terms and their computation) and never read the
database: the services and the transitions' conditions feed them what the case recorded.

Sources:
- c.p.c. art. 480: the precetto gives the debtor at least 10 days to comply.
- c.p.c. art. 482: enforcement cannot start before that term has run ("non prima che siano
  decorsi dieci giorni dalla notificazione"): the term's last day is the 10th after service
  (art. 155: the day of service does not count), so enforcement starts on the 11th at the
  earliest.
- c.p.c. art. 608: enforcement of a release order starts with the bailiff's notice of access,
  so the notice is the first act of enforcement and is bound by art. 482.
- c.p.c. art. 481 co. 1: the precetto lapses when enforcement has not started within 90 days
  of its service; co. 2: an opposition to the precetto suspends that term, which resumes under
  art. 627 once the opposition is decided (the days it was pending are added to the term).
- L. 392/1978 art. 56: the convalida fixes the date from which the release may be enforced;
  no act of enforcement (notice or access) falls before it.
- L. 392/1978 art. 55 co. 1: the arrears are cured at the hearing by paying the rent fallen
  due, the legal interest and the costs the judge sets ("canoni scaduti ... interessi legali
  ... spese processuali liquidate in tale sede"); Corte cost. 205/2021 confirmed that only
  payment in full cures. Co. 2: the judge may grant a term (termine di grazia) and fixes the
  new hearing; the convalida comes only at that new hearing, if the tenant has not paid.
- L. 392/1978 art. 55 co. 3 and 4: the term is up to 120 days, and the sanatoria is allowed 4
  times in 4 years instead of 3, when the arrears (of at most two months) come from precarious
  economic conditions arisen after the lease was signed, due to unemployment, illness or
  serious, proven hardship ("gravi, comprovate condizioni di difficoltà"). Paying in full at
  the first hearing and a grace period granted are both uses of the sanatoria (co. 4 counts
  the times the arrears are "sanata in sede giudiziale").
- c.p.c. artt. 665-667: when the tenant opposes at the hearing, the summary procedure ends
  without a convalida (the judge may order the release provisionally, art. 665) and the case
  goes on as ordinary proceedings until the judgment.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tenancies import legal_calendar, legal_clock

# L. 392/1978 art. 55 co. 3: the causes that open the wider grace.
WIDER_GRACE_CAUSES = frozenset({"unemployment", "illness", "hardship"})

CENT = Decimal("0.01")


# --- the sanatoria (L. 392/1978 art. 55) ---------------------------------------------------


def grace_is_wider(
    *,
    arrears_months: Decimal,
    cause: str,
    cause_arose_on: date | None,
    lease_signed_on: date | None,
    rules: legal_clock.ClockRules = legal_clock.DEFAULT_RULES,
) -> bool:
    """L. 392/1978 art. 55 co. 3-4: the wider grace (4 times, 120 days) needs arrears of at most
    two months from unemployment, illness or serious proven hardship arisen after the lease
    was *signed* (the signing date, not the start date: without it the rule cannot apply)."""
    return (
        lease_signed_on is not None
        and cause_arose_on is not None
        and cause in WIDER_GRACE_CAUSES
        and cause_arose_on > lease_signed_on
        and arrears_months <= rules.grace_exceptional_max_arrears_months
    )


@dataclass(frozen=True)
class CureBalance:
    """What curing the arrears on a day takes (L. 392/1978 art. 55 co. 1)."""

    rent_due: Decimal  # the rent fallen due before the day
    interest: Decimal  # the legal interest the judge set
    costs: Decimal  # the costs the judge set
    paid: Decimal  # everything paid on the lease by the day

    @property
    def total(self) -> Decimal:
        return self.rent_due + self.interest + self.costs

    @property
    def owed(self) -> Decimal:
        """What is still to pay; zero once everything is paid."""
        return max(Decimal("0.00"), self.total - self.paid).quantize(CENT)

    @property
    def rent_owed(self) -> Decimal:
        return max(Decimal("0.00"), self.rent_due - self.paid).quantize(CENT)

    @property
    def cured(self) -> bool:
        """Art. 55 co. 1 and Corte cost. 205/2021: only payment in full cures."""
        return self.owed == 0


def cure_balance(
    *, rent_due: Decimal, paid: Decimal, interest: Decimal | None, costs: Decimal | None
) -> CureBalance:
    return CureBalance(
        rent_due=Decimal(rent_due),
        interest=Decimal(interest or 0),
        costs=Decimal(costs or 0),
        paid=Decimal(paid),
    )


def validation_after_grace_allowed(*, new_hearing_on: date | None, on: date) -> bool:
    """L. 392/1978 art. 55 co. 2: while the grace runs the convalida cannot be given; it comes
    at the new hearing (on its day or a later one it was adjourned to)."""
    return new_hearing_on is not None and on >= new_hearing_on


# --- the precetto and the notice of access (c.p.c. artt. 480-482, 608, 627) -----------------


def access_notice_earliest(
    *,
    precetto_served_on: date,
    execution_from: date | None,
    rules: legal_clock.ClockRules = legal_clock.DEFAULT_RULES,
) -> date:
    """c.p.c. artt. 480, 482, 608 and L. 392/1978 art. 56: the first day the notice of access
    (the first act of enforcement) may be served: the day after the precetto's term, and never
    before the release date the convalida fixed."""
    earliest = legal_clock.precetto_term_ends(precetto_served_on, rules) + timedelta(days=1)
    if execution_from is not None and execution_from > earliest:
        return execution_from
    return earliest


def precetto_lapse_day(
    *,
    served_on: date,
    opposed_on: date | None = None,
    opposition_decided_on: date | None = None,
    rules: legal_clock.ClockRules = legal_clock.DEFAULT_RULES,
) -> date | None:
    """c.p.c. art. 481: the last day enforcement can start on the precetto. An opposition
    (co. 2) suspends the 90 days from the day it is filed to the day it is decided (art. 627),
    so those days are added; while it is pending there is no lapse date (None). An opposition
    filed after the precetto lapsed revives nothing."""
    lapse = legal_clock.precetto_lapses_on(served_on, rules)
    if opposed_on is None or opposed_on > lapse:
        return lapse
    if opposition_decided_on is None:
        return None
    # The suspended days lengthen the term itself; only its (new) last day moves off a Sunday,
    # holiday or Saturday (art. 155 c.p.c., as for the unsuspended term).
    suspended = (opposition_decided_on - opposed_on).days
    return legal_calendar.term_in_days(
        served_on,
        rules.precetto_lapse_days + suspended,
        saturday_off=legal_clock.PRECETTO_LAPSE_RULE.saturday_moves,
        source="c.p.c. artt. 481, 627, 155",
    ).due


def precetto_has_lapsed(
    *,
    served_on: date,
    notice_served_on: date | None,
    today: date,
    opposed_on: date | None = None,
    opposition_decided_on: date | None = None,
    rules: legal_clock.ClockRules = legal_clock.DEFAULT_RULES,
) -> bool:
    """c.p.c. artt. 481 and 608: the precetto has lapsed when its (suspended) 90 days went by
    without a notice of access; a notice served in time keeps it alive."""
    lapse = precetto_lapse_day(
        served_on=served_on,
        opposed_on=opposed_on,
        opposition_decided_on=opposition_decided_on,
        rules=rules,
    )
    if lapse is None:
        return False
    if notice_served_on is not None and notice_served_on <= lapse:
        return False
    return today > lapse
