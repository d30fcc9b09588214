"""Indicators of the households the programme reaches, assesses, enrols and guarantees."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from fund.models import Guarantee
from reporting.indicators.base import (
    COUNT,
    HOUSEHOLDS,
    Period,
    indicator,
)
from tenancies.models import (
    Assessment,
    Enrollment,
)


def _enrollments(p: Period):
    return Enrollment.objects.in_programme(p.programme)


@indicator(
    "households_referred",
    _("Households reached (referred)"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_("Households referred to the programme with a referral date in the period."),
)
def households_referred(p: Period) -> int:
    """Distinct households with an enrolment whose `referred_on` is in the period."""
    return (
        _enrollments(p)
        .filter(p.dates("referred_on"))
        .aggregate(n=Count("household", distinct=True))["n"]
    )


@indicator(
    "households_assessed",
    _("Households assessed"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_("Households whose eligibility was checked at least once in the period."),
)
def households_assessed(p: Period) -> int:
    """Distinct households with an `Assessment` dated in the period."""
    return (
        Assessment.objects.filter(enrollment__household__programme=p.programme)
        .filter(p.instants("assessed_at"))
        .aggregate(n=Count("enrollment__household", distinct=True))["n"]
    )


@indicator(
    "households_enrolled",
    _("Households enrolled"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_(
        "Households enrolled (pact and support started) with an enrolment date in the period."
    ),
)
def households_enrolled(p: Period) -> int:
    """Distinct households with an enrolment whose `enrolled_on` is in the period."""
    return (
        _enrollments(p)
        .filter(p.dates("enrolled_on"))
        .aggregate(n=Count("household", distinct=True))["n"]
    )


@indicator(
    "households_guaranteed",
    _("Households supported by the guarantee fund"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_(
        "Households whose lease got a guarantee approved in the period (cancelled "
        "requests excluded)."
    ),
)
def households_guaranteed(p: Period) -> int:
    """Distinct households of leases with a guarantee approved in the period, not cancelled."""
    return (
        Guarantee.objects.in_programme(p.programme)
        .filter(p.instants("approved_at"))
        .exclude(status=Guarantee.Status.CANCELLED)
        .aggregate(n=Count("lease__household", distinct=True))["n"]
    )


@indicator(
    "households_active_guarantee",
    _("Households with a guarantee in force"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_(
        "Households whose lease has an active guarantee today (the records keep the "
        "guarantee's current state, not its past ones)."
    ),
)
def households_active_guarantee(p: Period) -> int:
    """Distinct households of leases whose guarantee is ACTIVE now."""
    return (
        Guarantee.objects.in_programme(p.programme)
        .filter(status=Guarantee.Status.ACTIVE)
        .aggregate(n=Count("lease__household", distinct=True))["n"]
    )
