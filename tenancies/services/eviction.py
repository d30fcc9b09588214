"""Eviction prevention: opening a case and moving it through the court procedure.

Every write locks the lease first (then the case), checks the legal clock's rules, runs the
transition through `transition_run` (audited, context = household) and rewrites the case's
dated tasks from the recorded dates. Prevention actions live in services/eviction_actions.py.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur
from tenancies import legal_clock
from tenancies.models import (
    ArrearsCase,
    EvictionCase,
    EvictionPolicy,
    EvictionTask,
    GraceUse,
    Lease,
)
from tenancies.selectors.rent import lease_balance


def eviction_policy_for(*, programme_id) -> EvictionPolicy:
    """The programme's legal-clock settings, created with the law's defaults the first time."""
    policy, _created = EvictionPolicy.objects.get_or_create(programme_id=programme_id)
    return policy


def eviction_rules_for(*, programme_id) -> legal_clock.ClockRules:
    return eviction_policy_for(programme_id=programme_id).rules()


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _cases():
    return EvictionCase.objects.select_related("lease__household", "programme")


def eviction_tasks_refresh(*, case: EvictionCase) -> list[EvictionTask]:
    """Rewrite the case's dated tasks from its recorded dates (none once it is closed)."""
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
    case.tasks.all().delete()
    return EvictionTask.objects.bulk_create(
        EvictionTask(case=case, kind=d.kind, due_on=d.due_on, source=d.source) for d in deadlines
    )


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
    arrears_amount=None,
    arrears_case: ArrearsCase | None = None,
    served_on: date | None = None,
    hearing_on: date | None = None,
    note: str = "",
) -> EvictionCase:
    """Open the lease's eviction prevention case (at risk, or with the summons already served
    when its dates are given). A lease has one open case at a time."""
    if (served_on is None) != (hearing_on is None):
        raise DomainError(_("Give both the date the summons was served and the hearing date."))
    if served_on is not None:
        _check_summons(served_on, hearing_on, timezone.localdate())
    with transaction.atomic():
        lease = Lease.objects.select_for_update().select_related("household").get(pk=lease.pk)
        if lease.status != Lease.Status.ACTIVE:
            raise DomainError(_("Only an active lease can be at risk of eviction."))
        if EvictionCase.objects.open().filter(lease=lease).exists():
            raise DomainError(_("This lease already has an open eviction prevention case."))
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
            eviction_tasks_refresh(case=case)
        return case


def _run(*, actor, case, transition, note="", update_fields=(), **kwargs) -> EvictionCase:
    with transaction.atomic():
        Lease.objects.select_for_update().get(pk=case.lease_id)
        case = transition_run(
            queryset=_cases(),
            pk=case.pk,
            transition=transition,
            actor=actor,
            note=note,
            update_fields=update_fields,
            **kwargs,
        )
        eviction_tasks_refresh(case=case)
        return case


def _past(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("This date cannot be in the future."), field=field)


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


def eviction_mediation_start(*, actor, case: EvictionCase, note: str = "") -> EvictionCase:
    """Start talks with the landlord to stop the eviction."""
    return _run(actor=actor, case=case, transition="start_mediation", note=note)


def eviction_hearing_hold(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """Record that the validation hearing took place; its outcome comes next."""
    if case.hearing_on is None:
        raise DomainError(_("Record the summons and its hearing date first."))
    _past(on, "on")
    if on < case.hearing_on:
        raise DomainError(
            _("The hearing was set for %(day)s: it cannot have been held earlier.")
            % {"day": _d(case.hearing_on)},
            field="on",
        )
    return _run(
        actor=actor,
        case=case,
        transition="hold_hearing",
        note=note,
        on=on,
        update_fields=("hearing_held_on",),
    )


def eviction_grace_allowance(
    *, case: EvictionCase, on: date
) -> tuple[legal_clock.GraceAllowance, bool]:
    """L. 392/1978 art. 55: the household's grace periods left on `on`, and whether the wider
    (4 times, 120 days) rule applies to this case."""
    rules = eviction_rules_for(programme_id=case.programme_id)
    monthly = case.lease.monthly_due.amount
    months = case.arrears_at_opening.amount / monthly if monthly else 0
    exceptional = legal_clock.grace_is_exceptional(
        arrears_months=months,
        cause=case.cause,
        cause_arose_on=case.cause_arose_on,
        lease_signed_on=case.lease.start_date,
        rules=rules,
    )
    uses = list(
        GraceUse.objects.filter(household_id=case.lease.household_id).values_list(
            "granted_on", flat=True
        )
    )
    allowance = legal_clock.grace_allowance(
        past_uses=uses, on=on, exceptional=exceptional, rules=rules
    )
    return allowance, exceptional


def eviction_grace_grant(
    *,
    actor,
    case: EvictionCase,
    granted_on: date,
    days: int,
    new_hearing_on: date,
    note: str = "",
) -> EvictionCase:
    """L. 392/1978 art. 55: record the termine di grazia and the new hearing; refused when the
    household has used up its grace periods or the dates break the rule."""
    _past(granted_on, "granted_on")
    with transaction.atomic():
        lease = Lease.objects.select_for_update().get(pk=case.lease_id)
        case = _cases().select_for_update().get(pk=case.pk)
        if case.status != EvictionCase.Status.HEARING:
            raise DomainError(
                _("A grace period is granted at the validation hearing: record the hearing first.")
            )
        rules = eviction_rules_for(programme_id=case.programme_id)
        allowance, exceptional = eviction_grace_allowance(case=case, on=granted_on)
        problems = legal_clock.grace_problems(
            granted_on=granted_on,
            days=days,
            new_hearing_on=new_hearing_on,
            allowance=allowance,
            rules=rules,
        )
        if "exhausted" in problems:
            raise DomainError(
                _(
                    "The household's right to a grace period is exhausted: %(used)s granted "
                    "since %(since)s, the law allows %(max)s in %(years)s years."
                )
                % {
                    "used": allowance.uses_in_window,
                    "since": _d(allowance.window_start),
                    "max": allowance.max_uses,
                    "years": rules.grace_window_years,
                }
            )
        if "too_long" in problems:
            raise DomainError(
                _("The grace period lasts from 1 to %(max)s days.") % {"max": allowance.max_days},
                field="days",
            )
        ends_on = legal_clock.grace_ends_on(granted_on, days)
        if problems:
            raise DomainError(
                _("The new hearing falls after the grace period ends (%(end)s), by %(latest)s.")
                % {
                    "end": _d(ends_on),
                    "latest": _d(legal_clock.grace_new_hearing_latest(ends_on, rules)),
                },
                field="new_hearing_on",
            )
        case = _run(
            actor=actor,
            case=case,
            transition="grant_grace",
            note=note,
            granted_on=granted_on,
            days=days,
            ends_on=ends_on,
            new_hearing_on=new_hearing_on,
            exceptional=exceptional,
            update_fields=(
                "grace_granted_on",
                "grace_days",
                "grace_ends_on",
                "new_hearing_on",
                "grace_exceptional",
            ),
        )
        GraceUse.objects.create(
            household_id=lease.household_id, case=case, granted_on=granted_on, days=days
        )
        return case


def eviction_past_grace_record(
    *, actor, case: EvictionCase, granted_on: date, days: int | None = None, note: str = ""
) -> GraceUse:
    """Record a grace period the household had before (another lease, another court)."""
    _past(granted_on, "granted_on")
    with transaction.atomic():
        use = GraceUse(
            household_id=case.lease.household_id, granted_on=granted_on, days=days, note=note
        )
        use.full_clean()
        use.save()
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="past_grace_recorded",
            note=note,
            context=case.lease.household,
            data={"granted_on": granted_on.isoformat()},
        )
        return use


def eviction_cure(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """Sanatoria: the arrears, interest and costs were paid at the hearing; the case closes."""
    _past(on, "on")
    return _run(
        actor=actor,
        case=case,
        transition="cure",
        note=note,
        on=on,
        update_fields=("closed_on", "outcome"),
    )


def eviction_validate(
    *, actor, case: EvictionCase, on: date, execution_from: date | None = None, note: str = ""
) -> EvictionCase:
    """c.p.c. art. 663: the judge validated the eviction (and set the release date)."""
    _past(on, "on")
    if execution_from is not None and execution_from < on:
        raise DomainError(
            _("The release date cannot come before the validation."), field="execution_from"
        )
    return _run(
        actor=actor,
        case=case,
        transition="validate",
        note=note,
        on=on,
        execution_from=execution_from,
        update_fields=("convalida_on", "execution_from"),
    )


def eviction_precetto_serve(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """c.p.c. art. 480: the precetto was served; enforcement may follow after its 10 days."""
    _past(on, "on")
    if case.convalida_on is not None and on < case.convalida_on:
        raise DomainError(_("The precetto follows the validation."), field="on")
    return _run(
        actor=actor,
        case=case,
        transition="serve_precetto",
        note=note,
        on=on,
        update_fields=("precetto_served_on",),
    )


def eviction_close(
    *, actor, case: EvictionCase, transition: str, on: date, note: str
) -> EvictionCase:
    """Close the case as prevented, rehoused or withdrawn; the note says how."""
    if transition not in ("close_prevented", "rehouse", "withdraw"):
        raise DomainError(_("Unknown action."))
    if not note:
        raise DomainError(_("Say what happened, in the note."), field="note")
    _past(on, "on")
    with transaction.atomic():
        case = _run(
            actor=actor,
            case=case,
            transition=transition,
            note=note,
            on=on,
            update_fields=("closed_on", "outcome"),
        )
        if transition == "rehouse":
            case.rehousing_note = note
            case.save(update_fields=["rehousing_note"])
        return case


def eviction_evict(*, actor, case: EvictionCase, on: date, note: str) -> EvictionCase:
    """The bailiff carried out the eviction: close the case and end the lease by eviction."""
    if not note:
        raise DomainError(_("Say what happened, in the note."), field="note")
    _past(on, "on")
    if case.access_on is not None and on < case.access_on:
        raise DomainError(
            _("The access was set for %(day)s: the eviction cannot come earlier.")
            % {"day": _d(case.access_on)},
            field="on",
        )
    from tenancies.services.leases import lease_record_eviction

    with transaction.atomic():
        case = _run(
            actor=actor,
            case=case,
            transition="evict",
            note=note,
            on=on,
            update_fields=("closed_on", "outcome"),
        )
        lease = Lease.objects.get(pk=case.lease_id)
        if lease.status == Lease.Status.ACTIVE:
            lease_record_eviction(actor=actor, lease=lease, on=on, note=note)
        return case
