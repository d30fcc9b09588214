"""Each indicator against a small dataset whose answer is worked out by hand below.

The records are set-up rows (as the other apps' factories build them): what is tested is the
counting, not the workflows that produce the states. Every indicator also gets a row just
outside the period (the day before it starts, the day after it ends) and one of another
programme, so a wrong bound or a missing scope changes the answer. The fund's figures are built
through the services, since they come from the ledger."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from common.money import eur
from fund.models import RecoveryPlan
from fund.services.recovery import recovery_payment_record, recovery_plan_activate
from fund.services.waivers import waiver_approve, waiver_propose
from fund.tests.factories import make_fund
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from housing.models import LandlordAgreement
from housing.tests.factories import (
    AgreementFactory,
    CohousingFactory,
    CondominiumFactory,
    DwellingFactory,
    LandlordFactory,
)
from reporting.indicators import (
    INDICATORS,
    Period,
    _median_days,
    indicators_in_order,
    programme_indicators,
)
from reporting.models import Target
from tenancies.models import (
    ArrearsCase,
    Assessment,
    Enrollment,
    EvictionCase,
    FundApplication,
    Placement,
)
from tenancies.tests.factories import HouseholdFactory
from tenancies.tests.lease_factories import LeaseFactory

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 12, 31)
Status = Enrollment.Status


def at(day: date, hour: int = 12, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def value(programme, code, start=START, end=END):
    return INDICATORS[code].compute(Period(programme=programme, start=start, end=end))


def _lease(programme):
    """A lease whose household, placement and dwelling fall outside every count below."""
    lease = LeaseFactory(
        household__programme=programme,
        enrolled=False,
        placement__proposed_on=date(2023, 1, 1),
        placement__starts_on=date(2023, 2, 1),
    )
    lease.dwelling.__class__.objects.filter(pk=lease.dwelling_id).update(
        created_at=at(date(2023, 1, 1))
    )
    return lease


def test_households_referred_assessed_enrolled(programme, other_programme, operator):
    a, b, c, d, e = (HouseholdFactory(programme=programme) for _ in range(5))
    enrol = Enrollment.objects.create
    enrol(household=a, status=Status.ENROLLED, referred_on=date(2025, 3, 1),
          enrolled_on=date(2025, 4, 1))  # fmt: skip
    first_b = enrol(household=b, status=Status.ASSESSING, referred_on=date(2025, 5, 1))
    enrol(household=c, status=Status.ENROLLED, referred_on=date(2024, 12, 31),
          enrolled_on=date(2025, 1, 1))  # fmt: skip
    enrol(household=d, referred_on=date(2026, 1, 1))
    # e left and came back in the same year: one household reached, not two.
    enrol(household=e, status=Status.EXITED, referred_on=date(2025, 1, 10), exit_reason="other")
    enrol(household=e, referred_on=date(2025, 9, 1))
    enrol(household=HouseholdFactory(programme=other_programme), referred_on=date(2025, 6, 1))

    a_enrolment = a.enrollments.get()
    c_enrolment = c.enrollments.get()
    for enrolment, when in (
        (a_enrolment, at(date(2025, 3, 15))),
        (first_b, at(date(2025, 5, 2), 10)),
        (first_b, at(date(2025, 6, 1))),  # b twice: still one household assessed
        (c_enrolment, at(date(2024, 12, 31), 23, 30)),  # the evening before: outside
    ):
        row = Assessment.objects.create(enrollment=enrolment, assessed_by=operator, passed=True)
        Assessment.objects.filter(pk=row.pk).update(assessed_at=when)

    assert value(programme, "households_referred") == 3  # a, b, e
    assert value(programme, "households_assessed") == 2  # a, b
    assert value(programme, "households_enrolled") == 2  # a, c


def test_cohousing_condominiums_placements_and_new_supply(programme, member):
    caretaker = member("caretaker", username="custode")
    live = Placement.Status.ACTIVE
    # Cohousing 1: two households living there (one arrangement); cohousing 2: nobody now.
    one = CohousingFactory(dwelling__programme=programme)
    two = CohousingFactory(dwelling__programme=programme)
    for place in (1, 2):
        Placement.objects.create(
            programme=programme, household=HouseholdFactory(programme=programme),
            dwelling=one.dwelling, place_number=place, kind=Placement.Kind.COHOUSING_PLACE,
            status=live, proposed_on=date(2025, 5, 1), starts_on=date(2025, 6, 1),
        )  # fmt: skip
    for reason, ends in (("autonomy", date(2025, 7, 1)), ("left", date(2025, 8, 1))):
        Placement.objects.create(
            programme=programme, household=HouseholdFactory(programme=programme),
            dwelling=two.dwelling, kind=Placement.Kind.COHOUSING_PLACE,
            status=Placement.Status.ENDED, proposed_on=date(2024, 1, 1),
            starts_on=date(2024, 2, 1), ends_on=ends, end_reason=reason,
        )  # fmt: skip
    # Condominiums: with a caretaker and a household (counts), without a caretaker, empty.
    counted = CondominiumFactory(programme=programme, caretaker=caretaker)
    no_caretaker = CondominiumFactory(programme=programme)
    CondominiumFactory(programme=programme, caretaker=caretaker)
    for condominium, starts in ((counted, date(2024, 5, 1)), (no_caretaker, date(2026, 1, 5))):
        Placement.objects.create(
            programme=programme, household=HouseholdFactory(programme=programme),
            dwelling=DwellingFactory(programme=programme, condominium=condominium),
            kind=Placement.Kind.CONDOMINIUM_FLAT, status=live,
            proposed_on=date(2024, 4, 1), starts_on=starts,
        )  # fmt: skip
    # New supply: landlord with an agreement signed (two flats in 2025, one the day before),
    # one with a draft only, one with none.
    signed, draft, none = (LandlordFactory(programme=programme) for _ in range(3))
    AgreementFactory(landlord=signed, status=LandlordAgreement.Status.ACTIVE)
    AgreementFactory(landlord=draft)
    for landlord, day in (
        (signed, date(2025, 1, 1)),
        (signed, date(2025, 12, 31)),
        (signed, date(2024, 12, 31)),
        (draft, date(2025, 6, 1)),
        (none, date(2025, 6, 1)),
    ):
        dwelling = DwellingFactory(programme=programme, landlord=landlord)
        type(dwelling).objects.filter(pk=dwelling.pk).update(created_at=at(day, 23, 59))

    assert value(programme, "cohousing_active") == 1
    assert value(programme, "condominiums_active") == 1
    assert value(programme, "placements_started") == 2  # the two cohousing places
    assert value(programme, "placements_ended_autonomy") == 1
    assert value(programme, "dwellings_new_supply") == 2


def test_arrears_and_evictions(programme, other_programme):
    one, two, three = (_lease(programme) for _ in range(3))
    cured, escalated, opened = (
        ArrearsCase.Status.CURED,
        ArrearsCase.Status.ESCALATED,
        ArrearsCase.Status.OPENED,
    )
    for lease, status, opened_on, closed_on in (
        (one, cured, date(2025, 1, 10), date(2025, 1, 20)),
        (one, cured, date(2025, 2, 1), date(2025, 3, 3)),
        (two, cured, date(2024, 11, 1), date(2025, 1, 5)),  # opened before, cured in
        (two, escalated, date(2025, 3, 1), date(2025, 5, 1)),
        (three, opened, date(2025, 11, 1), None),
        (three, cured, date(2024, 6, 1), date(2024, 7, 1)),  # all before
        (one, cured, date(2025, 6, 1), date(2026, 1, 10)),  # opened in, cured after
    ):
        ArrearsCase.objects.create(
            programme=programme, lease=lease, status=status, origin="operator",
            opened_on=opened_on, closed_on=closed_on, amount_at_opening=eur("900"),
        )  # fmt: skip
    outside = _lease(other_programme)
    ArrearsCase.objects.create(
        programme=other_programme, lease=outside, status=cured, origin="operator",
        opened_on=date(2025, 1, 1), closed_on=date(2025, 1, 2), amount_at_opening=eur("1"),
    )  # fmt: skip

    S, OUT = EvictionCase.Status, EvictionCase.Outcome  # noqa: N806
    cases = {}
    for key, status, outcome, closed_on in (
        ("settled", S.CLOSED_PREVENTED, OUT.PREVENTED_SETTLEMENT, date(2025, 3, 1)),
        ("cured", S.CURED, OUT.CURED_AT_HEARING, date(2025, 4, 1)),
        ("withdrawn", S.WITHDRAWN, OUT.WITHDRAWN, date(2025, 5, 1)),
        ("rehoused", S.REHOUSED, OUT.REHOUSED, date(2025, 6, 1)),
        ("evicted", S.EVICTED, OUT.EVICTED, date(2025, 7, 1)),
        ("evicted_before", S.EVICTED, OUT.EVICTED, date(2024, 12, 1)),
    ):
        cases[key] = EvictionCase.objects.create(
            programme=programme, lease=one, status=status, outcome=outcome,
            opened_on=date(2024, 10, 1), closed_on=closed_on,
        )  # fmt: skip
    A = FundApplication.Status  # noqa: N806
    for key, status, granted, decided in (
        ("settled", A.GRANTED, "1500.00", date(2025, 3, 10)),
        ("cured", A.RECEIVED, "800.00", date(2025, 4, 10)),
        ("withdrawn", A.REFUSED, None, date(2025, 5, 1)),
        ("rehoused", A.GRANTED, "999.00", date(2024, 12, 20)),  # decided before the period
        ("evicted", A.APPLIED, None, None),
    ):
        FundApplication.objects.create(
            case=cases[key], applied_on=date(2024, 11, 1), amount_requested=eur("2000"),
            amount_granted=eur(granted) if granted else None, decided_on=decided, status=status,
        )  # fmt: skip

    assert value(programme, "arrears_opened") == 5
    assert value(programme, "arrears_cured") == 3
    assert value(programme, "arrears_escalated") == 1
    assert value(programme, "arrears_median_days_to_cure") is None  # 3 cases: too few
    assert value(programme, "evictions_prevented") == 3  # settled, cured, withdrawn
    assert value(programme, "evictions_rehoused") == 1
    assert value(programme, "evictions_executed") == 1
    assert value(programme, "public_funds_obtained") == Decimal("2300.00")


@pytest.mark.parametrize(
    ("days", "median"),
    [((10, 30, 65, 3, 7), Decimal("10.0")), ((10, 30, 65, 3, 7, 100), Decimal("20.0"))],
)
def test_median_days_is_the_middle_of_the_ordered_cases(programme, days, median):
    lease = _lease(programme)
    for n in days:
        ArrearsCase.objects.create(
            programme=programme, lease=lease, status=ArrearsCase.Status.CURED,
            origin="operator", opened_on=date(2025, 1, 1),
            closed_on=date.fromordinal(date(2025, 1, 1).toordinal() + n),
            amount_at_opening=eur("100"),
        )  # fmt: skip
    assert value(programme, "arrears_median_days_to_cure") == median
    cases = ArrearsCase.objects.filter(programme=programme)
    from django.db.models import F

    assert _median_days(cases, F("closed_on") - F("opened_on")) == median


def test_fund_indicators_from_the_ledger(programme, operator, fund_admin, member):
    """20,000 contributed; two guarantees; a claim on the first paid, 300 of it repaid and the
    rest waived. Expected figures worked out from the amounts the services set."""
    second, third = member("fund_admin", username="amm2"), member("fund_admin", username="amm3")
    fund = funded(make_fund(programme=programme, actor=fund_admin), "20000.00", fund_admin)
    guarantees = [
        active_guarantee(
            fund=fund,
            lease=guaranteed_lease(programme=programme, operator=operator),
            operator=operator,
            admin=fund_admin,
        )
        for _ in range(2)
    ]
    claim = approved_claim(
        guarantee=guarantees[0], submitter=operator, reviewer=fund_admin, approver=second
    )
    claim = claim_pay(actor=third, claim=claim)
    today = timezone.localdate()
    plan = RecoveryPlan.objects.get(payout_transaction=claim.payout_transaction)
    recovery_plan_activate(actor=fund_admin, plan=plan, instalment_count=4, first_due_on=today)
    recovery_payment_record(actor=fund_admin, plan=plan, amount=eur("300.00"), paid_on=today)
    waiver_approve(
        actor=second,
        waiver=waiver_propose(actor=fund_admin, plan=plan, kind="hardship", reason="Malattia"),
    )

    paid = claim.amount.amount
    guaranteed = sum(g.amount.amount for g in guarantees)
    start, end = date(today.year, 1, 1), today
    exposure = guaranteed - paid  # paying a claim uses up that much of its guarantee
    cash = Decimal("20000.00") - paid + Decimal("300.00")

    def v(code):
        return value(programme, code, start, end)

    assert v("amount_guaranteed") == guaranteed
    assert v("households_guaranteed") == 2
    assert v("households_active_guarantee") == 2
    assert v("exposure") == exposure
    assert v("amount_paid_out") == paid
    assert v("amount_recovered") == Decimal("300.00")
    assert v("amount_written_off") == paid - Decimal("300.00")
    assert v("recovery_rate") == (Decimal("300") / paid * 100).quantize(Decimal("0.1"))
    assert v("leverage_used") == (exposure / cash).quantize(Decimal("0.01"))
    assert v("median_days_claim_to_payout") is None  # one claim: too few for a median
    # Before the fund moved: nothing guaranteed, nothing paid, no ratio to speak of.
    assert value(programme, "amount_guaranteed", START, END) == Decimal("0.00")
    assert value(programme, "recovery_rate", START, END) is None
    assert value(programme, "leverage_used", START, END) is None


def test_programme_indicators_suppress_small_counts_of_people_and_carry_targets(programme):
    a = HouseholdFactory(programme=programme)
    Enrollment.objects.create(household=a, referred_on=date(2025, 3, 1))
    cohousing = CohousingFactory(dwelling__programme=programme)
    Placement.objects.create(
        programme=programme, household=a, dwelling=cohousing.dwelling,
        kind=Placement.Kind.COHOUSING_PLACE, status=Placement.Status.ACTIVE,
        proposed_on=date(2024, 1, 1), starts_on=date(2024, 2, 1),
    )  # fmt: skip
    Target.objects.create(
        programme=programme, indicator="cohousing_active", value=Decimal(20),
        period_start=date(2024, 1, 1), period_end=date(2026, 12, 31), source="#genera_azioni",
    )  # fmt: skip
    values = {v.code: v for v in programme_indicators(programme=programme, start=START, end=END)}

    assert list(values) == [item.code for item in indicators_in_order()]
    assert set(values) == set(INDICATORS)
    assert list(values)[:2] == ["households_referred", "households_assessed"]
    referred = values["households_referred"]
    assert (referred.value, referred.suppressed) == (None, True)  # 1 household: "< 5"
    cohousing_value = values["cohousing_active"]  # a building, not a family: shown
    assert (cohousing_value.value, cohousing_value.suppressed) == (1, False)
    assert cohousing_value.target.value == Decimal(20)
    assert cohousing_value.progress == Decimal(5)
    assert values["arrears_opened"].value == 0  # zero is not a small cell
    assert all(str(v.indicator.definition) for v in values.values())


def test_median_days_from_claim_to_payout(programme, operator, fund_admin):
    """Five paid claims (set-up rows on one guarantee) submitted just after midnight, paid 3,
    10, 1, 30 and 7 days later: the median is 7, counted in local days (00:30 in Rome is still
    the day before in UTC); a claim paid after the period does not count."""
    from fund.models import Claim

    fund = funded(make_fund(programme=programme, actor=fund_admin), "20000.00", fund_admin)
    guarantee = active_guarantee(
        fund=fund,
        lease=guaranteed_lease(programme=programme, operator=operator),
        operator=operator,
        admin=fund_admin,
    )
    submitted = date(2025, 3, 1)
    for days in (3, 10, 1, 30, 7, 400):
        claim = Claim.objects.create(
            guarantee=guarantee, amount=eur("100"), status=Claim.Status.PAID,
            submitted_by=operator,
            paid_on=date.fromordinal(submitted.toordinal() + days),
        )  # fmt: skip
        Claim.objects.filter(pk=claim.pk).update(submitted_at=at(submitted, 0, 30))
    assert value(programme, "median_days_claim_to_payout") == Decimal("7.0")
