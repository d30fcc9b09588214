"""Arrears cases: opened when rent crosses the threshold, worked by operators, cured when paid."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import dates
from common.audit import audit_record
from common.dates import date_refuse_implausible
from common.duties import task_sync
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, split_evenly
from tenancies.models import ArrearsCase, ArrearsPolicy, Instalment, Lease, RepaymentPlan
from tenancies.rent.arrears import add_months
from tenancies.selectors.rent import lease_balance, lease_overdue_dues


def arrears_policy_for(*, programme_id) -> ArrearsPolicy:
    """The programme's thresholds, created with the legal defaults the first time."""
    policy, _created = ArrearsPolicy.objects.get_or_create(programme_id=programme_id)
    return policy


def _cases():
    return ArrearsCase.objects.select_related("lease__household", "programme")


def arrears_case_open(
    *, actor, lease: Lease, on: date, origin: str, note: str = "", owner=None
) -> ArrearsCase:
    """Open the lease's arrears case, or return the one already open (never two at once; a
    cured or escalated case is closed and does not stop a new one)."""
    with transaction.atomic():
        lease = Lease.objects.select_for_update().get(pk=lease.pk)
        existing = ArrearsCase.objects.open().filter(lease=lease).first()
        if existing is not None:
            return existing
        balance = lease_balance(lease=lease, today=on)
        case = ArrearsCase.objects.create(
            programme_id=lease.programme_id,
            lease=lease,
            origin=origin,
            opened_on=on,
            amount_at_opening=eur(balance.overdue),
            owner=owner or lease.household.operator,
            next_action=_("Contact the household"),
            next_action_due=add_days(on, 3),
        )
        audit_record(
            actor=actor,
            programme=lease.programme,
            target=case,
            verb="opened",
            to_state=case.status,
            note=note,
            context=lease.household,
            data={"amount": str(balance.overdue), "origin": origin},
        )
        task_sync(record=case, actor=actor)
        return case


def add_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)


def arrears_report_by_landlord(
    *, actor, lease: Lease, months: list[date], note: str = ""
) -> ArrearsCase:
    """A landlord reports unpaid rent: open the lease's case (or add the report to the open
    one) so an operator acts on it at once, without waiting for the monthly run."""
    if not months:
        raise DomainError(_("Say which months are unpaid."), field="months")
    if not note:
        note = _("Unpaid months reported: %(months)s") % {
            "months": ", ".join(m.strftime("%m/%Y") for m in months)
        }
    today = timezone.localdate()
    with transaction.atomic():
        case = arrears_case_open(
            actor=actor,
            lease=lease,
            on=today,
            origin=ArrearsCase.Origin.LANDLORD_REPORT,
            note=note,
        )
        case = ArrearsCase.objects.select_for_update().get(pk=case.pk)
        case.landlord_note = "\n".join(
            filter(None, [case.landlord_note, f"{today:%d/%m/%Y}: {note}"])
        )
        case.save(update_fields=["landlord_note"])
        audit_record(
            actor=actor,
            programme=lease.programme,
            target=case,
            verb="reported",
            note=note,
            context=lease.household,
        )
        return case


def arrears_case_contact(
    *,
    actor,
    case: ArrearsCase,
    note: str,
    next_action: str = "",
    next_action_due: date | None = None,
) -> ArrearsCase:
    """Record that the household was contacted, and what happens next."""
    if not note:
        raise DomainError(_("Write what was said with the household."), field="note")
    with transaction.atomic():
        case = transition_run(
            queryset=_cases(), pk=case.pk, transition="contact", actor=actor, note=note
        )
        return arrears_case_set_next_action(
            actor=actor, case=case, next_action=next_action, next_action_due=next_action_due
        )


def arrears_case_set_next_action(*, actor, case, next_action: str, next_action_due) -> ArrearsCase:
    """Set the case's next action and its due date (and who owns it stays the same)."""
    case.next_action = next_action
    case.next_action_due = next_action_due
    # The protected FSM field cannot be re-assigned by full_clean; it is not edited here.
    case.full_clean(exclude=["status"])
    case.save(update_fields=["next_action", "next_action_due"])
    task_sync(record=case, actor=actor)
    return case


def arrears_plan_agree(
    *,
    actor,
    case: ArrearsCase,
    instalments: int,
    first_due: date,
    note: str = "",
    today: date | None = None,
) -> RepaymentPlan:
    """Agree a plan whose monthly instalments add up exactly to what is overdue today."""
    today = today or timezone.localdate()
    if not 1 <= instalments <= 36:
        raise DomainError(_("A plan has from 1 to 36 instalments."), field="instalments")
    date_refuse_implausible(
        first_due,
        kind=dates.PLAN_INSTALMENT,
        field="first_due",
        label=_("First instalment due on"),
        today=today,
    )
    if first_due < today:
        raise DomainError(_("The first instalment cannot be in the past."), field="first_due")
    with transaction.atomic():
        lease = Lease.objects.select_for_update().get(pk=case.lease_id)
        overdue = lease_balance(lease=lease, today=today).overdue
        if overdue <= 0:
            raise DomainError(_("Nothing is overdue on this lease: there is nothing to plan."))
        case = transition_run(
            queryset=_cases(), pk=case.pk, transition="agree_plan", actor=actor, note=note
        )
        RepaymentPlan.objects.filter(case=case, is_current=True).update(is_current=False)
        plan = RepaymentPlan.objects.create(
            case=case,
            agreed_on=today,
            covers_until=date.fromordinal(today.toordinal() - 1),
            total=eur(overdue),
            created_by=actor,
        )
        Instalment.objects.bulk_create(
            Instalment(plan=plan, due_date=add_months(first_due, i), amount=amount)
            for i, amount in enumerate(split_evenly(eur(overdue), instalments))
        )
        audit_record(
            actor=actor,
            programme=case.programme,
            target=plan,
            verb="created",
            note=note,
            context=lease.household,
            data={"total": str(overdue), "instalments": instalments},
        )
        arrears_case_set_next_action(
            actor=actor,
            case=case,
            next_action=_("Check the first instalment"),
            next_action_due=first_due,
        )
        return plan


def arrears_case_escalate(
    *, actor, case: ArrearsCase, note: str, on: date | None = None
) -> ArrearsCase:
    """Hand the case to eviction prevention; the reason is required."""
    if not note:
        raise DomainError(_("Say why the case goes to eviction prevention."), field="note")
    # transition_run locks the case's lease first (the workflow's parent), then the case.
    return transition_run(
        queryset=_cases(),
        pk=case.pk,
        transition="escalate",
        actor=actor,
        note=note,
        on=on or timezone.localdate(),
        update_fields=("closed_on",),
    )


def arrears_case_mark_claimed(*, actor, case: ArrearsCase, note: str = "") -> ArrearsCase:
    """The landlord claimed on the guarantee for this case's months (called by the fund)."""
    return transition_run(
        queryset=_cases(),
        pk=case.pk,
        transition="claim",
        actor=actor,
        note=note,
        check_permission=False,
    )


def arrears_cure_if_settled(*, lease: Lease, on: date, actor=None) -> ArrearsCase | None:
    """Close the lease's open case as cured when nothing overdue is left on `on`."""
    case = ArrearsCase.objects.open().filter(lease=lease).first()
    if case is None or lease_overdue_dues(lease=lease, today=max(on, timezone.localdate())):
        return None
    return transition_run(
        queryset=_cases(),
        pk=case.pk,
        transition="cure",
        actor=actor,
        check_permission=False,
        note=_("Everything overdue has been paid."),
        on=on,
        update_fields=("closed_on",),
    )
