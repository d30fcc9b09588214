"""Set-up for eviction tests: an active lease, and cases walked through the services."""

from datetime import date, timedelta

from django.utils.timezone import localdate

from tenancies.models import Enrollment, Lease
from tenancies.selectors.eviction import ENROLLED_ONCE
from tenancies.services import eviction as services
from tenancies.services.leases import lease_activate
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for


def enrol(household) -> None:
    """Make the household enrolled (set-up row): eviction prevention is for enrolled households."""
    if not Enrollment.objects.filter(household=household, status__in=ENROLLED_ONCE).exists():
        Enrollment.objects.create(
            household=household,
            status=Enrollment.Status.ENROLLED,
            referred_on=date(2024, 6, 1),
            enrolled_on=date(2024, 7, 1),
        )


def active_lease(*, programme, operator, enrolled=True, **fields):
    """An active lease; its household enrolled unless `enrolled=False` (only referred then)."""
    fields.setdefault("start_date", date(2025, 1, 1))
    fields.setdefault("end_date", date(2028, 1, 1))
    lease = LeaseFactory(
        household__programme=programme, household__operator=operator, enrolled=False, **fields
    )
    active_agreement_for(lease.landlord, valid_from=date(2024, 1, 1))
    if enrolled:
        enrol(lease.household)
        lease_activate(actor=operator, lease=lease, today=localdate())
    else:
        # A lease in force for a household only referred: the services refuse to make one, so
        # write it as data imported before the rule would have left it.
        Enrollment.objects.create(household=lease.household, referred_on=date(2024, 6, 1))
        Lease.objects.filter(pk=lease.pk).update(status=Lease.Status.ACTIVE)
    lease.refresh_from_db()
    return lease


def case_with_summons(*, lease, operator, served_days_ago=30, hearing_in=-1, **fields):
    """A case whose summons was served `served_days_ago` days ago, hearing `hearing_in` days
    from today (negative: in the past)."""
    today = localdate()
    return services.eviction_case_open(
        actor=operator,
        lease=lease,
        on=today - timedelta(days=served_days_ago),
        cause=fields.pop("cause", "unemployment"),
        served_on=today - timedelta(days=served_days_ago),
        hearing_on=today + timedelta(days=hearing_in),
        **fields,
    )


def case_at_hearing(*, lease, operator, **fields):
    case = case_with_summons(lease=lease, operator=operator, **fields)
    return services.eviction_hearing_hold(actor=operator, case=case, on=case.hearing_on)


def pay_up(*, case, operator, on=None, short_by="0"):
    """Pay on the lease what curing the case takes on `on` (today), less `short_by` euros."""
    from decimal import Decimal

    from common.money import eur
    from tenancies.services.payments import payment_record

    on = on or localdate()
    owed = case.cure_balance(on=on).owed - Decimal(short_by)
    if owed > 0:
        payment_record(
            actor=operator,
            lease=case.lease,
            amount=eur(owed),
            paid_on=on,
            method="bank_transfer",
            payer="household",
        )
    return owed


def placement_for(household, *, status="accepted"):
    """A placement of the household in another flat of its programme (set-up row)."""
    from housing.tests.factories import DwellingFactory
    from tenancies.models import Placement

    return Placement.objects.create(
        programme=household.programme,
        household=household,
        dwelling=DwellingFactory(programme=household.programme),
        kind="flat",
        status=status,
        proposed_on=localdate(),
        starts_on=localdate() if status == "active" else None,
    )
