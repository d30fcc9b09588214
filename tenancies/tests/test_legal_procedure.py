"""The eviction procedure's pure rules (tenancies.legal_procedure), each at its boundary: the
day before, the day, the day after."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tenancies import legal_procedure as law

# A Tuesday: days 90, 100 and 120 after it are working days (art. 155 moves none of them).
SERVED = date(2026, 3, 3)


def day(n):
    return SERVED + timedelta(days=n)


@pytest.mark.parametrize(("offset", "earliest"), [(10, False), (11, True), (12, True)])
def test_art_482_notice_of_access_only_after_the_precetto_term(offset, earliest):
    first = law.access_notice_earliest(precetto_served_on=SERVED, execution_from=None)
    assert first == day(11)
    assert (day(offset) >= first) is earliest


@pytest.mark.parametrize(("offset", "allowed"), [(29, False), (30, True), (31, True)])
def test_art_56_release_date_holds_back_the_notice(offset, allowed):
    first = law.access_notice_earliest(precetto_served_on=SERVED, execution_from=day(30))
    assert (day(offset) >= first) is allowed


def test_art_481_lapse_without_opposition_is_ninety_days():
    assert law.precetto_lapse_day(served_on=SERVED) == day(90)
    for today, lapsed in ((day(89), False), (day(90), False), (day(91), True)):
        assert (
            law.precetto_has_lapsed(served_on=SERVED, notice_served_on=None, today=today) is lapsed
        )


def test_art_481_a_notice_in_time_keeps_the_precetto_alive():
    kwargs = {"served_on": SERVED, "today": day(200)}
    assert not law.precetto_has_lapsed(notice_served_on=day(90), **kwargs)
    assert law.precetto_has_lapsed(notice_served_on=day(91), **kwargs)


def test_art_481_co_2_opposition_suspends_the_term_until_decided():
    pending = {"served_on": SERVED, "opposed_on": day(20)}
    assert law.precetto_lapse_day(**pending) is None
    assert not law.precetto_has_lapsed(notice_served_on=None, today=day(500), **pending)
    # Pending from day 20 to day 50: 30 days added to the 90.
    decided = {**pending, "opposition_decided_on": day(50)}
    assert law.precetto_lapse_day(**decided) == day(120)
    for today, lapsed in ((day(119), False), (day(120), False), (day(121), True)):
        assert law.precetto_has_lapsed(notice_served_on=None, today=today, **decided) is lapsed


def test_art_155_cpc_a_lapse_on_sunday_moves_after_the_suspension_is_added():
    """Served 2 March 2026: day 90 is Sunday 31 May, so the term runs to Monday 1 June; with 30
    days of opposition the term is 120 days, ending on Tuesday 30 June, not 1 July."""
    served = date(2026, 3, 2)
    assert law.precetto_lapse_day(served_on=served) == date(2026, 6, 1)
    assert law.precetto_lapse_day(
        served_on=served,
        opposed_on=date(2026, 3, 22),
        opposition_decided_on=date(2026, 4, 21),
    ) == date(2026, 6, 30)


@pytest.mark.parametrize(("opposed", "lapse"), [(89, 100), (90, 100), (91, 90)])
def test_art_481_an_opposition_after_the_lapse_revives_nothing(opposed, lapse):
    assert law.precetto_lapse_day(
        served_on=SERVED, opposed_on=day(opposed), opposition_decided_on=day(opposed + 10)
    ) == day(lapse)


@pytest.mark.parametrize(
    ("paid", "owed", "cured"),
    [("1149.99", "0.01", False), ("1150.00", "0.00", True), ("1150.01", "0.00", True)],
)
def test_art_55_only_payment_in_full_cures(paid, owed, cured):
    balance = law.cure_balance(
        rent_due=Decimal("1000"), paid=Decimal(paid), interest=Decimal("30"), costs=Decimal("120")
    )
    assert balance.owed == Decimal(owed)
    assert balance.cured is cured


def test_art_55_rent_alone_does_not_cure_when_the_judge_set_costs():
    balance = law.cure_balance(
        rent_due=Decimal("1000"), paid=Decimal("1000"), interest=None, costs=Decimal("200")
    )
    assert balance.rent_owed == 0 and balance.owed == Decimal("200.00") and not balance.cured


@pytest.mark.parametrize(("offset", "allowed"), [(-1, False), (0, True), (1, True)])
def test_art_55_convalida_only_at_the_new_hearing(offset, allowed):
    new_hearing = date(2026, 6, 10)
    assert (
        law.validation_after_grace_allowed(
            new_hearing_on=new_hearing, on=new_hearing + timedelta(days=offset)
        )
        is allowed
    )


SIGNED = date(2025, 1, 10)


@pytest.mark.parametrize("cause", ["unemployment", "illness", "hardship"])
@pytest.mark.parametrize(("offset", "wider"), [(-1, False), (0, False), (1, True)])
def test_art_55_co_3_wider_grace_for_hardship_arisen_after_signing(cause, offset, wider):
    assert (
        law.grace_is_wider(
            arrears_months=Decimal("2"),
            cause=cause,
            cause_arose_on=SIGNED + timedelta(days=offset),
            lease_signed_on=SIGNED,
        )
        is wider
    )


def test_art_55_co_3_wider_grace_needs_the_signing_date_a_listed_cause_and_two_months():
    arose = SIGNED + timedelta(days=100)
    base = {"cause": "illness", "cause_arose_on": arose, "lease_signed_on": SIGNED}
    assert law.grace_is_wider(arrears_months=Decimal("2"), **base)
    assert not law.grace_is_wider(arrears_months=Decimal("2.01"), **base)
    assert not law.grace_is_wider(arrears_months=Decimal("1"), **{**base, "cause": "separation"})
    assert not law.grace_is_wider(arrears_months=Decimal("1"), **{**base, "lease_signed_on": None})
