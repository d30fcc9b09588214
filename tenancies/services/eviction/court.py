"""The court procedure after the summons: hearing, grace period, validation, precetto, the
bailiff's accesses, the eviction carried out."""

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from tenancies import legal_clock
from tenancies.models import EvictionCase, GraceUse, Lease
from tenancies.selectors.eviction import eviction_grace_allowance
from tenancies.services.eviction.cases import (
    _d,
    _locked_case,
    _open,
    _past,
    _run,
    eviction_tasks_refresh,
)
from tenancies.services.eviction.policy import eviction_rules_for


def eviction_hearing_hold(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """Record that the validation hearing took place; its outcome comes next."""
    _past(on, "on")
    if case.hearing_on is not None and on < case.hearing_on:
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
        case = _locked_case(case)
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
            household_id=case.lease.household_id, case=case, granted_on=granted_on, days=days
        )
        return case


def eviction_past_grace_record(
    *, actor, case: EvictionCase, granted_on: date, days: int | None = None, note: str = ""
) -> GraceUse:
    """Record a grace period the household had before (another lease, another court)."""
    _past(granted_on, "granted_on")
    with transaction.atomic():
        case = _locked_case(case)
        _open(case)
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


def eviction_access_notice(
    *, actor, case: EvictionCase, notice_served_on: date, access_on: date, note: str = ""
) -> EvictionCase:
    """c.p.c. art. 608: record the bailiff's notice and the day of the access, at least 10 days
    later and after the precetto's term; refused once the precetto has lapsed (art. 481)."""
    _past(notice_served_on, "notice_served_on")
    with transaction.atomic():
        case = _locked_case(case)
        if not case.takes_access_notice:
            raise DomainError(_("The bailiff's access comes after the precetto is served."))
        rules = eviction_rules_for(programme_id=case.programme_id)
        precetto = case.precetto_served_on
        if notice_served_on < precetto:
            raise DomainError(
                _("The notice cannot come before the precetto."), field="notice_served_on"
            )
        if legal_clock.precetto_lapsed(
            served_on=precetto,
            notice_served_on=notice_served_on,
            today=notice_served_on,
            rules=rules,
        ):
            raise DomainError(
                _(
                    "The precetto lapsed on %(day)s (90 days without enforcement): the landlord "
                    "must serve a new one."
                )
                % {"day": date_format(legal_clock.precetto_lapses_on(precetto, rules))},
                field="notice_served_on",
            )
        earliest = legal_clock.access_earliest(
            notice_served_on=notice_served_on, precetto_served_on=precetto, rules=rules
        )
        if access_on < earliest:
            raise DomainError(
                _("The access cannot fall before %(day)s (notice of at least %(days)s days).")
                % {
                    "day": date_format(earliest, "SHORT_DATE_FORMAT"),
                    "days": rules.access_notice_days,
                },
                field="access_on",
            )
        case.access_notice_served_on = notice_served_on
        case.access_on = access_on
        case.save(update_fields=["access_notice_served_on", "access_on"])
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="access_noticed",
            note=note,
            context=case.lease.household,
            data={"notice": notice_served_on.isoformat(), "access": access_on.isoformat()},
        )
        eviction_tasks_refresh(case=case)
        return case


def eviction_access_postpone(
    *, actor, case: EvictionCase, access_on: date, note: str
) -> EvictionCase:
    """The bailiff postponed the access (usual at the first one): record the new day."""
    if not note:
        raise DomainError(_("Say why the access was postponed."), field="note")
    with transaction.atomic():
        case = _locked_case(case)
        if not case.takes_access_postponement:
            raise DomainError(_("There is no access scheduled to postpone."))
        if access_on <= case.access_on:
            raise DomainError(
                _("The new access must come after the one postponed."), field="access_on"
            )
        before = case.access_on
        case.access_on = access_on
        case.access_postponements += 1
        case.save(update_fields=["access_on", "access_postponements"])
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="access_postponed",
            note=note,
            context=case.lease.household,
            data={"from": before.isoformat(), "to": access_on.isoformat()},
        )
        eviction_tasks_refresh(case=case)
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
