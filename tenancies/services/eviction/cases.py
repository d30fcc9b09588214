"""Opening an eviction prevention case, recording its summons, and what every step shares:
the lease locked before the case, the transition audited, the dated tasks rewritten.

Every write locks the lease first (then the case), checks the legal clock's rules, runs the
transition through `transition_run` (audited, context = household) and rewrites the case's
dated tasks from the recorded dates.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.duties import task_sync
from common.exceptions import DomainError
from common.fsm import row_lock, transition_run
from common.money import eur
from tenancies import legal_clock
from tenancies.models import ArrearsCase, EvictionCase, EvictionTask, Lease
from tenancies.selectors.eviction import household_was_enrolled
from tenancies.selectors.rent import lease_balance
from tenancies.services.eviction.policy import eviction_rules_for


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _cases():
    return EvictionCase.objects.select_related("lease__household", "programme")


def eviction_tasks_refresh(*, case: EvictionCase, actor=None) -> list[EvictionTask]:
    """Rewrite the case's dated tasks from its recorded dates (none once it is closed), and
    the operator's inbox with them (one task per deadline, moved or closed as they change)."""
    rules = eviction_rules_for(programme_id=case.programme_id)
    deadlines = legal_clock.case_deadlines(
        legal_clock.CaseDates(
            status=case.status,
            summons_served_on=case.summons_served_on,
            hearing_on=case.hearing_on,
            grace_ends_on=case.grace_ends_on,
            new_hearing_on=case.new_hearing_on,
            execution_from=case.execution_from,
            precetto_served_on=case.precetto_served_on,
            access_notice_served_on=case.access_notice_served_on,
            access_on=case.access_on,
        ),
        rules,
    )
    # c.p.c. art. 481 co. 2: an opposition to the precetto moves its lapse date (none while it
    # is pending); a precetto declared void has no term left to run.
    lapse = case.precetto_lapse_day()
    kept = []
    for deadline in deadlines:
        if deadline.kind in ("precetto_term", "precetto_lapse") and case.precetto_void:
            continue
        if deadline.kind == "precetto_lapse":
            if lapse is None:
                continue
            if lapse != deadline.due_on:
                deadline = legal_clock.Deadline(deadline.kind, lapse, "c.p.c. artt. 481, 627")
        kept.append(deadline)
    case.tasks.all().delete()
    rows = EvictionTask.objects.bulk_create(
        EvictionTask(
            case=case, kind=d.kind, due_on=d.due_on, nominal_on=d.nominal_on, source=d.source
        )
        for d in sorted(kept, key=lambda d: d.due_on)
    )
    task_sync(record=case, actor=actor)
    return rows


def _check_summons(served_on: date, hearing_on: date, today: date) -> None:
    if served_on > today:
        raise DomainError(_("The summons cannot be served in the future."), field="served_on")
    if hearing_on <= served_on:
        raise DomainError(
            _("The hearing must come after the summons was served."), field="hearing_on"
        )


def eviction_case_open(
    *,
    actor,
    lease: Lease,
    on: date,
    cause: str,
    cause_arose_on: date | None = None,
    lease_signed_on: date | None = None,
    arrears_amount=None,
    arrears_case: ArrearsCase | None = None,
    served_on: date | None = None,
    hearing_on: date | None = None,
    note: str = "",
) -> EvictionCase:
    """Open the lease's eviction prevention case (at risk, or with the summons already served
    when its dates are given). A lease has one open case at a time; a closed one never blocks
    a new procedure. Only for a household the programme enrolled."""
    if (served_on is None) != (hearing_on is None):
        raise DomainError(_("Give both the date the summons was served and the hearing date."))
    if served_on is not None:
        _check_summons(served_on, hearing_on, timezone.localdate())
    if lease_signed_on is not None and lease_signed_on > timezone.localdate():
        raise DomainError(_("This date cannot be in the future."), field="lease_signed_on")
    with transaction.atomic():
        lease = Lease.objects.select_for_update().select_related("household").get(pk=lease.pk)
        if lease.status != Lease.Status.ACTIVE:
            raise DomainError(_("Only an active lease can be at risk of eviction."))
        if EvictionCase.objects.open().filter(lease=lease).exists():
            raise DomainError(_("This lease already has an open eviction prevention case."))
        if not household_was_enrolled(household_id=lease.household_id):
            raise DomainError(
                _(
                    "Eviction prevention is for households the programme enrolled: "
                    "%(household)s is not enrolled."
                )
                % {"household": lease.household}
            )
        if arrears_case is not None:
            arrears_case = ArrearsCase.objects.select_for_update().get(pk=arrears_case.pk)
            if arrears_case.lease_id != lease.pk:
                raise DomainError(_("The arrears case belongs to another lease."))
            if arrears_case.status != ArrearsCase.Status.ESCALATED:
                raise DomainError(_("Only an escalated arrears case opens eviction prevention."))
            if EvictionCase.objects.filter(arrears_case=arrears_case).exists():
                raise DomainError(_("This arrears case already has its eviction case."))
        if arrears_amount is None:
            arrears_amount = lease_balance(lease=lease, today=on).overdue
        case = EvictionCase(
            programme_id=lease.programme_id,
            lease=lease,
            arrears_case=arrears_case,
            owner=lease.household.operator or actor,
            opened_on=on,
            cause=cause,
            cause_arose_on=cause_arose_on,
            lease_signed_on=lease_signed_on,
            arrears_at_opening=eur(arrears_amount),
        )
        case.full_clean(exclude=["status"])
        case.save()
        audit_record(
            actor=actor,
            programme=lease.programme,
            target=case,
            verb="opened",
            to_state=case.status,
            note=note,
            context=lease.household,
            data={"arrears_case": arrears_case.pk if arrears_case else None},
        )
        if served_on is not None:
            case = eviction_summons_record(
                actor=actor, case=case, served_on=served_on, hearing_on=hearing_on
            )
        else:
            eviction_tasks_refresh(case=case, actor=actor)
        return case


def _run(*, actor, case, transition, note="", update_fields=(), **kwargs) -> EvictionCase:
    """Run the case's transition (the "eviction" workflow locks the lease, then the case) and
    rewrite its dated tasks."""
    with transaction.atomic():
        case = transition_run(
            queryset=_cases(),
            pk=case.pk,
            transition=transition,
            actor=actor,
            note=note,
            update_fields=update_fields,
            **kwargs,
        )
        eviction_tasks_refresh(case=case, actor=actor)
        return case


def _past(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("This date cannot be in the future."), field=field)


def _locked_case(case: EvictionCase) -> EvictionCase:
    """The case re-read under lock, after its lease (the order every eviction write uses)."""
    return row_lock(_cases(), case.pk)


def _open(case: EvictionCase) -> None:
    if not case.takes_actions:
        raise DomainError(_("The case is closed."))


def eviction_summons_record(
    *, actor, case: EvictionCase, served_on: date, hearing_on: date, note: str = ""
) -> EvictionCase:
    """c.p.c. art. 658: record the summons and the validation hearing it sets."""
    _check_summons(served_on, hearing_on, timezone.localdate())
    return _run(
        actor=actor,
        case=case,
        transition="serve_summons",
        note=note,
        served_on=served_on,
        hearing_on=hearing_on,
        update_fields=("summons_served_on", "hearing_on"),
    )
