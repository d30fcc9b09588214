"""Opening, activating and ending leases."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import money_format
from housing.selectors import agreement_active_for
from tenancies.models import Lease, RentDue
from tenancies.rent.arrears import add_months, due_date_for, month_start


def lease_create(*, actor, household, landlord, dwelling, **fields) -> Lease:
    """Record a draft lease for a household; nothing is due until it is activated."""
    if household.programme_id != dwelling.programme_id:
        raise DomainError(_("The dwelling belongs to another programme."), field="dwelling")
    with transaction.atomic():
        lease = Lease(
            programme=household.programme,
            household=household,
            landlord=landlord,
            dwelling=dwelling,
            created_by=actor,
            **fields,
        )
        lease.full_clean(exclude=["status"])  # protected FSM field: set by transitions only
        lease.save()
        audit_record(
            actor=actor,
            programme=lease.programme,
            target=lease,
            verb="created",
            context=household,
        )
        return lease


def lease_agreement_problems(*, lease: Lease, on: date) -> list[str]:
    """Why the landlord's agreement with the fund does not cover this lease (empty if it does)."""
    agreement = agreement_active_for(landlord=lease.landlord, on=on)
    if agreement is None:
        return [_("The landlord has no active agreement with the fund.")]
    problems = []
    if not agreement.accepts_lease_type(lease.lease_type):
        problems.append(
            _("The agreement does not accept “%(type)s” leases.")
            % {"type": lease.get_lease_type_display()}
        )
    if lease.rent > agreement.max_monthly_rent:
        problems.append(
            _("The rent %(rent)s is above the agreement's ceiling of %(max)s.")
            % {"rent": money_format(lease.rent), "max": money_format(agreement.max_monthly_rent)}
        )
    return problems


def lease_activate(*, actor, lease: Lease, note: str = "", today: date | None = None) -> Lease:
    """Activate a lease that fits its landlord's active agreement, and make due the months
    already started."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Lease.objects.select_for_update().get(pk=lease.pk)
        if locked.status == Lease.Status.DRAFT:
            problems = lease_agreement_problems(lease=locked, on=max(today, locked.start_date))
            if problems:
                raise DomainError(" ".join(problems))
        lease = transition_run(
            queryset=Lease.objects.all(),
            pk=lease.pk,
            transition="activate",
            actor=actor,
            note=note,
        )
        dues_create_for_lease(lease=lease, until=today)
        return lease


def _lease_end(*, actor, lease, transition, on, note):
    if transition != "end" and not note:
        raise DomainError(_("Say why, in the note."), field="note")
    return transition_run(
        queryset=Lease.objects.all(),
        pk=lease.pk,
        transition=transition,
        actor=actor,
        note=note,
        on=on,
        update_fields=("ended_on",),
    )


def lease_end(*, actor, lease, on: date, note: str = "") -> Lease:
    """End a lease at its term."""
    return _lease_end(actor=actor, lease=lease, transition="end", on=on, note=note)


def lease_terminate(*, actor, lease, on: date, note: str) -> Lease:
    """End a lease early (withdrawal, agreement between the parties); a reason is required."""
    return _lease_end(actor=actor, lease=lease, transition="terminate", on=on, note=note)


def lease_record_eviction(*, actor, lease, on: date, note: str) -> Lease:
    """Record that the lease ended by eviction."""
    return _lease_end(actor=actor, lease=lease, transition="record_eviction", on=on, note=note)


def lease_months(lease: Lease, *, until: date) -> list[date]:
    """First days of the months the lease makes due, from its start up to `until`'s month."""
    months = []
    month = month_start(lease.start_date)
    last = month_start(min(until, lease.ended_on or lease.end_date, lease.end_date))
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def dues_create_for_lease(*, lease: Lease, until: date) -> int:
    """Create the dues of every month the lease has started up to `until` (idempotent)."""
    existing = set(lease.dues.values_list("month", flat=True))
    dues = [
        RentDue(
            lease=lease,
            month=month,
            due_date=due_date_for(month, lease.due_day),
            amount=lease.monthly_due,
        )
        for month in lease_months(lease, until=until)
        if month not in existing
    ]
    RentDue.objects.bulk_create(dues, ignore_conflicts=True)
    if dues:
        from tenancies.services.payments import lease_apply_credit

        lease_apply_credit(lease=lease)
    return len(dues)
