"""Which leases the fund may guarantee, and which rent months a landlord may claim.

One place for each rule, read without locks: the guarantee's transition conditions, the
request list and the claim form use these; the services call them again under lock.
"""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from housing.models import LandlordAgreement, LeaseType
from housing.selectors import agreement_active_for
from tenancies.models import Enrollment, Lease

# Without an agreement that says otherwise, a month may be claimed 30 days after its due date.
DEFAULT_CLAIM_DELAY_DAYS = 30
GUARANTEEABLE_LEASE_STATES = (Lease.Status.DRAFT, Lease.Status.ACTIVE)


def household_is_enrolled(household_id) -> bool:
    return Enrollment.objects.filter(
        household_id=household_id, status=Enrollment.Status.ENROLLED
    ).exists()


def compliance_date(lease: Lease, today: date | None = None) -> date:
    """The day the agreement must cover: today, or the lease's start if it is later."""
    return max(today or timezone.localdate(), lease.start_date)


def lease_compliance_problems(lease: Lease, *, today: date | None = None) -> list[str]:
    """What the landlord agreement's check finds wrong with `lease` (the lease workflow's rule)."""
    from tenancies.services.leases import lease_agreement_problems

    return lease_agreement_problems(lease=lease, on=compliance_date(lease, today))


def lease_guarantee_problems(lease: Lease, *, today: date | None = None) -> list[str]:
    """Why the fund may not guarantee `lease` now (empty when it may)."""
    problems = []
    if lease.status not in GUARANTEEABLE_LEASE_STATES:
        problems.append(_("This lease has ended: it cannot be guaranteed."))
    if not household_is_enrolled(lease.household_id):
        problems.append(_("The household is not enrolled in the programme."))
    problems.extend(lease_compliance_problems(lease, today=today))
    if other_guarantee_on_unit(lease):
        problems.append(_("Another lease of this flat has a guarantee: one per flat."))
    return problems


def other_guarantee_on_unit(lease: Lease) -> bool:
    """Another lease of the same flat has a guarantee approved or in force (the approval runs
    under the fund's lock, so two approvals on one flat are checked one after the other)."""
    from fund.models import Guarantee

    return (
        Guarantee.objects.filter(
            lease__dwelling_id=lease.dwelling_id, status__in=Guarantee.IN_FORCE
        )
        .exclude(lease_id=lease.pk)
        .exists()
    )


def capacity_fits(fund, amount: Money) -> bool:
    """Whether the fund's capacity (an unlocked read) takes `amount`."""
    from fund.selectors.ledger import fund_figures

    return amount <= fund_figures(fund=fund).capacity


def eligible_leases(queryset, *, today: date | None = None):
    """`queryset` narrowed, in the database, to leases the fund may guarantee: draft or active,
    an enrolled household, and a landlord agreement active today that accepts the lease's type
    and rent (the same check as `lease_agreement_problems`, for the request list)."""
    on = today or timezone.localdate()
    agreements = LandlordAgreement.objects.filter(
        landlord=OuterRef("landlord"),
        status=LandlordAgreement.Status.ACTIVE,
        valid_from__lte=on,
        max_monthly_rent__gte=OuterRef("rent"),
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    # The accepted types are a JSON list; a text match on the quoted value works on SQLite and
    # PostgreSQL alike, one lease type at a time.
    accepts_type = Q()
    for lease_type in LeaseType.values:
        accepts_type |= Q(lease_type=lease_type) & Exists(
            agreements.filter(lease_types__icontains=f'"{lease_type}"')
        )
    enrolled = Enrollment.objects.filter(
        household=OuterRef("household"), status=Enrollment.Status.ENROLLED
    )
    from fund.models import Guarantee

    unit_taken = Guarantee.objects.filter(
        lease__dwelling_id=OuterRef("dwelling_id"), status__in=Guarantee.IN_FORCE
    ).exclude(lease_id=OuterRef("pk"))
    return queryset.filter(status__in=GUARANTEEABLE_LEASE_STATES).filter(
        Exists(enrolled), accepts_type, ~Exists(unit_taken)
    )


def claim_delay_days(lease: Lease, *, today: date | None = None) -> int:
    """Days after a due date before the month may be claimed: the agreement's, else 30."""
    agreement = agreement_active_for(landlord=lease.landlord, on=today)
    if agreement is None:
        agreement = lease.landlord.agreements.order_by("-valid_from", "-id").first()
    return agreement.claim_delay_days if agreement is not None else DEFAULT_CLAIM_DELAY_DAYS


def last_claimable_due_date(lease: Lease, *, today: date | None = None) -> date:
    """Months due on or before this date may be claimed: past the claim delay (never future)."""
    today = today or timezone.localdate()
    return today - timedelta(days=claim_delay_days(lease, today=today) + 1)
