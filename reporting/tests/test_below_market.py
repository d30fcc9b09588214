"""The rent below market the agreements secure, against a small dataset worked out by hand.

Period: 2025, twelve months. Landlord `signed` has an agreement in force all year; its flats:

| flat | market | lease rent | months in 2025 | below market | market × months |
|---|---|---|---|---|---|
| d1 | 800 | 600 | 12 | 200 × 12 = 2,400 | 9,600 |
| d2 | 500 | 550 (above market) | 12 | 0 | 6,000 |
| d3 | 700 | 500, ended 15 March | 3 (Jan–Mar) | 600 | 2,100 |
| d4 | 900 | 700, from 20 October | 3 (Oct–Dec) | 600 | 2,700 |
| d5 cohousing, 3 places | 1,200: 400 a place | 2 leases at 300 | 12 each | 2,400 | 9,600 |
| d6 | none | 500 | 12 | left out, counted apart | – |

Left out altogether: a draft lease and a lease ended in 2024 on the signed landlord's flats,
a flat of a landlord with no agreement, one with a draft agreement only, one whose agreement
ended in 2024, and the same flat as d1 in another programme.

Sum below market 6,000 over 12 months: 500 a month, 6,000 a year; 6,000 / 30,000 = 20.0 %;
six dwellings let under agreements, one of them without a market rent.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from common.money import eur
from housing.models import LandlordAgreement
from housing.tests.factories import (
    AgreementFactory,
    CohousingFactory,
    DwellingFactory,
    LandlordFactory,
)
from reporting.indicators import INDICATORS, Period, programme_indicators
from reporting.indicators.housing import below_market
from tenancies.models import Lease
from tenancies.tests.lease_factories import LeaseFactory

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 12, 31)
ACTIVE, ENDED = Lease.Status.ACTIVE, Lease.Status.ENDED
SOURCE = {"market_rent_source": "OMI — Agenzia delle Entrate, 2° semestre 2024"}


def _agreement(landlord, status=LandlordAgreement.Status.ACTIVE, **dates):
    validity = {"valid_from": date(2024, 1, 1), "valid_until": date(2027, 12, 31), **dates}
    validity["signed_on"] = date(2023, 12, 1)
    return AgreementFactory(landlord=landlord, status=status, **validity)


def _flat(programme, landlord, market=None, **fields):
    if market is not None:
        fields.update(market_rent=eur(market), market_rent_on=date(2025, 2, 1), **SOURCE)
    return DwellingFactory(programme=programme, landlord=landlord, **fields)


def _lease(dwelling, rent, *, start=date(2024, 6, 1), end=date(2028, 6, 1), place=1, **fields):
    fields.setdefault("status", ACTIVE)
    return LeaseFactory(
        household__programme=dwelling.programme,
        dwelling=dwelling,
        placement__place_number=place,
        rent=eur(rent),
        start_date=start,
        end_date=end,
        **fields,
    )


@pytest.fixture
def dataset(programme, other_programme):
    signed = LandlordFactory(programme=programme)
    _agreement(signed)
    _lease(_flat(programme, signed, 800), 600)
    _lease(_flat(programme, signed, 500), 550)
    _lease(_flat(programme, signed, 700), 500, status=ENDED, ended_on=date(2025, 3, 15))
    _lease(_flat(programme, signed, 900), 700, start=date(2025, 10, 20))
    cohousing = CohousingFactory(
        dwelling=_flat(programme, signed, 1200, rooms=5), places=3, max_people_per_place=2
    )
    _lease(cohousing.dwelling, 300, place=1)
    _lease(cohousing.dwelling, 300, place=2)
    _lease(_flat(programme, signed), 500)
    # Not counted: a draft lease, a lease ended before the period.
    _lease(_flat(programme, signed, 900), 400, status=Lease.Status.DRAFT)
    _lease(
        _flat(programme, signed, 900), 400, start=date(2023, 1, 1), status=ENDED,
        ended_on=date(2024, 12, 31),
    )  # fmt: skip
    # Not counted: no agreement, a draft agreement, an agreement that ended in 2024.
    _lease(_flat(programme, LandlordFactory(programme=programme), 900), 500)
    draft = LandlordFactory(programme=programme)
    _agreement(draft, status=LandlordAgreement.Status.DRAFT)
    _lease(_flat(programme, draft, 900), 500)
    gone = LandlordFactory(programme=programme)
    _agreement(gone, status=LandlordAgreement.Status.TERMINATED, valid_until=date(2024, 12, 31))
    _lease(_flat(programme, gone, 900), 500)
    # Another programme's flat, as d1.
    elsewhere = LandlordFactory(programme=other_programme)
    _agreement(elsewhere)
    _lease(_flat(other_programme, elsewhere, 800), 600)


def value(programme, code, start=START, end=END):
    return INDICATORS[code].compute(Period(programme=programme, start=start, end=end))


def test_rent_below_market_worked_out_by_hand(programme, dataset):
    figures = below_market(Period(programme=programme, start=START, end=END))
    assert figures.below == Decimal("6000.00")
    assert figures.market == Decimal("30000.00")
    assert (figures.leases, figures.dwellings, figures.unmeasured) == (6, 6, 1)
    assert value(programme, "rent_below_market_monthly") == Decimal("500.00")
    assert value(programme, "rent_below_market_yearly") == Decimal("6000.00")
    assert value(programme, "market_discount_percent") == Decimal("20.0")
    assert value(programme, "dwellings_let_under_agreements") == 6


def _values(programme):
    with translation.override("it"):
        return {v.code: v for v in programme_indicators(programme=programme, start=START, end=END)}


def test_the_dwellings_without_a_market_rent_are_said_beside_the_figure(programme, dataset):
    values = _values(programme)
    for code in ("rent_below_market_monthly", "rent_below_market_yearly"):
        assert values[code].note == "1 alloggio senza canone di mercato rilevato, escluso."
    assert values["dwellings_let_under_agreements"].value == 6
    assert not values["rent_below_market_monthly"].suppressed
    # Next to the new supply, in the housing group.
    codes = list(values)
    assert codes.index("dwellings_let_under_agreements") == codes.index("dwellings_new_supply") + 1


def test_a_lease_ending_mid_period_counts_its_months_only(programme, dataset):
    """The first quarter: d1 200 × 3, d2 0, d3 200 × 3 (Jan–Mar), d4 not yet, d5 2 × 100 × 3:
    1,800 in 3 months."""
    assert value(programme, "rent_below_market_monthly", END.replace(month=1, day=1),
                 date(2025, 3, 31)) == Decimal("600.00")  # fmt: skip
    # April–September: d3 is gone and d4 has not come; four leases only: not shown.
    assert value(programme, "rent_below_market_monthly", date(2025, 4, 1),
                 date(2025, 9, 30)) is None  # fmt: skip


def test_under_five_leases_measured_no_amount_is_shown(programme):
    signed = LandlordFactory(programme=programme)
    _agreement(signed)
    for _i in range(4):
        _lease(_flat(programme, signed, 800), 600)
    _lease(_flat(programme, signed), 600)  # no market rent: not measured
    values = _values(programme)
    assert values["rent_below_market_monthly"].value is None
    assert values["market_discount_percent"].value is None
    assert values["rent_below_market_monthly"].note == (
        "1 alloggio senza canone di mercato rilevato, escluso. "
        "Meno di 5 contratti misurati: non mostrato."
    )
    assert values["dwellings_let_under_agreements"].value == 5  # flats point at nobody


def test_nothing_under_agreement_is_zero_not_missing(programme):
    assert value(programme, "rent_below_market_monthly") == Decimal("0.00")
    assert value(programme, "market_discount_percent") is None
    assert value(programme, "dwellings_let_under_agreements") == 0
