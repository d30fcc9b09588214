"""Indicators of arrears, evictions and the public funds obtained against them."""

from decimal import Decimal

from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from reporting.indicators.base import (
    ARREARS,
    COUNT,
    DAYS,
    EURO,
    Period,
    _median_days,
    _money,
    indicator,
)
from tenancies.models import (
    ArrearsCase,
    EvictionCase,
    FundApplication,
)


def _arrears(p: Period):
    return ArrearsCase.objects.filter(programme=p.programme)


@indicator(
    "arrears_opened",
    _("Arrears cases opened"),
    unit=COUNT,
    group=ARREARS,
    definition=_(
        "Arrears cases opened in the period (by the monthly run, a landlord's report "
        "or an operator)."
    ),
)
def arrears_opened(p: Period) -> int:
    """Arrears cases whose `opened_on` is in the period."""
    return _arrears(p).filter(p.dates("opened_on")).count()


@indicator(
    "arrears_cured",
    _("Arrears cases cured"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Arrears cases closed as cured (rent paid up) in the period."),
)
def arrears_cured(p: Period) -> int:
    """CURED arrears cases whose `closed_on` is in the period."""
    return _arrears(p).filter(p.dates("closed_on"), status=ArrearsCase.Status.CURED).count()


@indicator(
    "arrears_escalated",
    _("Arrears cases escalated"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Arrears cases handed to eviction prevention in the period."),
)
def arrears_escalated(p: Period) -> int:
    """ESCALATED arrears cases whose `closed_on` is in the period."""
    return _arrears(p).filter(p.dates("closed_on"), status=ArrearsCase.Status.ESCALATED).count()


@indicator(
    "arrears_median_days_to_cure",
    _("Median days to cure arrears"),
    unit=DAYS,
    group=ARREARS,
    definition=_(
        "Of the arrears cases cured in the period, the median number of days from "
        "opening to cure (computed over at least 5 cases)."
    ),
)
def arrears_median_days_to_cure(p: Period) -> Decimal | None:
    """Median of `closed_on − opened_on` over the cases counted by `arrears_cured`."""
    cured = _arrears(p).filter(p.dates("closed_on"), status=ArrearsCase.Status.CURED)
    return _median_days(cured, F("closed_on") - F("opened_on"))


PREVENTED_OUTCOMES = (
    EvictionCase.Outcome.PREVENTED_SETTLEMENT,
    EvictionCase.Outcome.CURED_AT_HEARING,
    EvictionCase.Outcome.WITHDRAWN,
    EvictionCase.Outcome.DISMISSED,
)


def _evictions_closed(p: Period):
    return EvictionCase.objects.filter(programme=p.programme).filter(p.dates("closed_on"))


@indicator(
    "evictions_prevented",
    _("Evictions prevented"),
    unit=COUNT,
    group=ARREARS,
    definition=_(
        "Eviction cases closed in the period with the household still at home: "
        "settled before the hearing, cured at the hearing, withdrawn by the landlord or "
        "rejected by the judge."
    ),
)
def evictions_prevented(p: Period) -> int:
    """Eviction cases closed in the period with an outcome in PREVENTED_OUTCOMES."""
    return _evictions_closed(p).filter(outcome__in=PREVENTED_OUTCOMES).count()


@indicator(
    "evictions_rehoused",
    _("Households rehoused before eviction"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Eviction cases closed in the period with the household moved to another home."),
)
def evictions_rehoused(p: Period) -> int:
    """Eviction cases closed in the period with outcome REHOUSED."""
    return _evictions_closed(p).filter(outcome=EvictionCase.Outcome.REHOUSED).count()


@indicator(
    "evictions_executed",
    _("Evictions carried out"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Eviction cases closed in the period with the household evicted."),
)
def evictions_executed(p: Period) -> int:
    """Eviction cases closed in the period with outcome EVICTED."""
    return _evictions_closed(p).filter(outcome=EvictionCase.Outcome.EVICTED).count()


@indicator(
    "public_funds_obtained",
    _("Public funds obtained (morosità incolpevole)"),
    unit=EURO,
    group=ARREARS,
    definition=_(
        "Amounts granted in the period on applications to public funds for arrears "
        "not caused by the tenant's fault."
    ),
)
def public_funds_obtained(p: Period) -> Decimal:
    """Sum of `amount_granted` of applications GRANTED or RECEIVED, decided in the period."""
    total = (
        FundApplication.objects.filter(case__programme=p.programme)
        .filter(p.dates("decided_on"))
        .filter(status__in=(FundApplication.Status.GRANTED, FundApplication.Status.RECEIVED))
        .aggregate(total=Sum("amount_granted"))["total"]
    )
    return _money(total)
