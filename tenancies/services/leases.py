"""Opening, correcting, activating and ending leases.

Lock order: the dwelling (the parent of its units), then the lease, then anything of the lease
(an arrears case). A lease follows its household's placement, so the dwelling lock the
placement services take also serialises the leases of a unit.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import money_format
from housing.models import Dwelling
from housing.selectors import agreement_active_for, dwelling_get_for_update
from tenancies.models import Household, Lease, Placement, RentDue
from tenancies.models.leases import lease_follows_placement, lease_household_enrolled
from tenancies.rent.arrears import add_months, due_date_for, month_start
from tenancies.selectors.placements import leases_holding_unit
from tenancies.services.risk import lease_risk_forget


def _placement_of(*, household, dwelling) -> Placement | None:
    """The household's accepted or active placement in `dwelling` (the newest, should there be
    an accepted move within the same dwelling)."""
    return (
        Placement.objects.filter(household=household, dwelling=dwelling)
        .holding_a_place()
        .order_by("-pk")
        .first()
    )


def _check_follows_placement(lease: Lease) -> None:
    """The rules of `Lease.activate`'s conditions, with a message that says which one fails."""
    if not lease_follows_placement(lease):
        raise DomainError(
            _(
                "A lease follows the household's accepted or active placement in this dwelling: "
                "propose the placement and have it accepted first."
            ),
            field="placement",
        )
    if not lease_household_enrolled(lease):
        raise DomainError(
            _("Leases are only for enrolled households: %(household)s is not enrolled.")
            % {"household": lease.household},
            field="placement",
        )


def _check_unit_free(lease: Lease) -> None:
    """No other lease in force holds the lease's unit on any day of its period. The caller
    holds the dwelling's lock, so two leases of one unit cannot both pass."""
    place = lease.placement.place_number if lease.placement_id else None
    clash = (
        leases_holding_unit(
            dwelling_id=lease.dwelling_id,
            place_number=place,
            start=lease.start_date,
            end=lease.end_date,
        )
        .exclude(pk=lease.pk)
        .select_related("household")
        .first()
    )
    if clash is not None:
        raise DomainError(
            _(
                "%(unit)s is let to %(household)s from %(start)s to %(end)s: a flat or cohousing "
                "place has one lease in force at a time."
            )
            % {
                "unit": lease.unit_label,
                "household": clash.household,
                "start": clash.start_date.strftime("%d/%m/%Y"),
                "end": clash.last_day.strftime("%d/%m/%Y"),
            },
            field="start_date",
        )


def _lock_dwelling_of(lease_pk: int) -> None:
    """Lock the lease's dwelling before the lease: the unit is the parent of its leases."""
    dwelling_id = Lease.objects.filter(pk=lease_pk).values_list("dwelling_id", flat=True).get()
    dwelling_get_for_update(pk=dwelling_id)


def lease_create(
    *,
    actor,
    placement: Placement | None = None,
    household: Household | None = None,
    dwelling: Dwelling | None = None,
    landlord=None,
    **fields,
) -> Lease:
    """Record a draft lease that follows an enrolled household's accepted or active placement,
    on a unit no other lease holds in that period; nothing is due until it is activated.

    Give the `placement`, or the `household` and `dwelling` to find it; the dwelling (and its
    place) and the landlord come from the placement.
    """
    if placement is None:
        if household is None or dwelling is None:
            raise DomainError(_("Choose the placement the lease follows."), field="placement")
        if household.programme_id != dwelling.programme_id:
            raise DomainError(_("The dwelling belongs to another programme."), field="dwelling")
        placement = _placement_of(household=household, dwelling=dwelling)
        if placement is None:
            raise DomainError(
                _(
                    "%(household)s has no accepted or active placement in %(dwelling)s: a lease "
                    "follows the placement, propose it first."
                )
                % {"household": household, "dwelling": dwelling},
                field="placement",
            )
    with transaction.atomic():
        dwelling = dwelling_get_for_update(pk=placement.dwelling_id)
        placement = Placement.objects.select_related("household__programme").get(pk=placement.pk)
        household_given = household
        household = placement.household
        if household_given is not None and household_given.pk != household.pk:
            raise DomainError(_("The placement is another household's."), field="placement")
        lease = Lease(
            programme=household.programme,
            household=household,
            landlord=landlord or dwelling.landlord,
            dwelling=dwelling,
            placement=placement,
            created_by=actor,
            **fields,
        )
        _check_follows_placement(lease)
        lease.full_clean(exclude=["status"])  # protected FSM field: set by transitions only
        _check_unit_free(lease)
        lease.save()
        audit_record(
            actor=actor,
            programme=lease.programme,
            target=lease,
            verb="created",
            context=household,
            data={"placement": placement.pk},
        )
        return lease


def lease_update(*, actor, lease: Lease, note: str = "", **fields) -> Lease:
    """Correct a draft lease's terms (say, after the agreement check refused it); a signed
    lease is never edited. The old and new values go to the timeline."""
    unknown = set(fields) - set(Lease.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These terms cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        _lock_dwelling_of(lease.pk)
        lease = (
            Lease.objects.select_for_update(of=("self",))
            .select_related("placement", "household")
            .get(pk=lease.pk)
        )
        if not lease.editable:
            raise DomainError(
                _("Only a draft lease can be corrected; this one is “%(state)s”.")
                % {"state": lease.get_status_display()}
            )
        changes = {}
        for name, value in fields.items():
            before = getattr(lease, name)
            if before != value:
                changes[name] = [str(before) if before is not None else "", str(value)]
                setattr(lease, name, value)
        if not changes:
            return lease
        # Only the terms changed: the rest (status, creator…) is not this service's to judge.
        lease.full_clean(
            exclude=[f.name for f in Lease._meta.fields if f.name not in Lease.EDITABLE_FIELDS]
        )
        _check_unit_free(lease)
        update_fields = list(changes)
        for money in ("rent", "service_charges", "deposit"):
            if money in changes:
                update_fields.append(f"{money}_currency")
        lease.save(update_fields=update_fields)
        audit_record(
            actor=actor,
            programme=lease.programme,
            target=lease,
            verb="updated",
            note=note,
            context=lease.household,
            data={"changes": changes},
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


def lease_is_compliant(*, lease: Lease, on: date) -> bool:
    """The lease fits its landlord's agreement on `on`: only then may it be guaranteed (a
    draft the agreement check refused is not eligible until corrected)."""
    return not lease_agreement_problems(lease=lease, on=on)


def lease_activate(*, actor, lease: Lease, note: str = "", today: date | None = None) -> Lease:
    """Activate a lease of an enrolled household that follows its placement, fits its
    landlord's active agreement and whose unit no other lease holds in its period; make due
    the months already started."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock_dwelling_of(lease.pk)
        locked = (
            Lease.objects.select_for_update(of=("self",))
            .select_related("placement", "household")
            .get(pk=lease.pk)
        )
        if locked.status == Lease.Status.DRAFT:
            _check_follows_placement(locked)
            problems = lease_agreement_problems(lease=locked, on=max(today, locked.start_date))
            if problems:
                raise DomainError(" ".join(problems))
            _check_unit_free(locked)
        try:
            with transaction.atomic():
                lease = transition_run(
                    queryset=Lease.objects.all(),
                    pk=lease.pk,
                    transition="activate",
                    actor=actor,
                    note=note,
                )
        except IntegrityError as error:  # the database's last word on one lease per placement
            raise DomainError(_("This placement already has an active lease.")) from error
        dues_create_for_lease(lease=lease, until=today)
        return lease


def lease_withdraw(*, actor, lease: Lease, note: str) -> Lease:
    """Withdraw a draft that will not be signed (say, refused by the agreement check); the
    reason is required. A withdrawn lease holds no unit and cannot be guaranteed."""
    if not note.strip():
        raise DomainError(_("Say why the draft is withdrawn, in the note."), field="note")
    with transaction.atomic():
        _lock_dwelling_of(lease.pk)
        return transition_run(
            queryset=Lease.objects.all(),
            pk=lease.pk,
            transition="withdraw",
            actor=actor,
            note=note.strip(),
        )


def _lease_end(*, actor, lease, transition, on, note):
    if transition != "end" and not note:
        raise DomainError(_("Say why, in the note."), field="note")
    with transaction.atomic():
        ended = transition_run(
            queryset=Lease.objects.all(),
            pk=lease.pk,
            transition=transition,
            actor=actor,
            note=note,
            on=on,
            update_fields=("ended_on",),
        )
        # Only active leases keep an early-warning score (the desk counts them: services.risk).
        lease_risk_forget(lease_id=ended.pk)
        return ended


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
            rent_part=lease.rent,
            charges_part=lease.service_charges,
        )
        for month in lease_months(lease, until=until)
        if month not in existing
    ]
    RentDue.objects.bulk_create(dues, ignore_conflicts=True)
    if dues:
        # A due counts at every month-end after its due date: back months change the chart.
        from tenancies.services.arrears_history import arrears_month_ends_forget

        arrears_month_ends_forget(
            programme_id=lease.programme_id,
            since=min(due.due_date for due in dues) + timedelta(days=1),
        )
        from tenancies.services.payments import lease_apply_credit

        lease_apply_credit(lease=lease)
    return len(dues)
