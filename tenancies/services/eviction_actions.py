"""What operators do to stop an eviction: mediation, settlement, public funds; the bailiff's
accesses; the calendar feed's secret."""

import hashlib
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, money_format
from tenancies import legal_clock
from tenancies.models import (
    CalendarToken,
    EvictionCase,
    FundApplication,
    Lease,
    MediationMeeting,
    Payment,
)
from tenancies.services.eviction import _run, eviction_rules_for, eviction_tasks_refresh


def _locked_case(case: EvictionCase) -> EvictionCase:
    Lease.objects.select_for_update().get(pk=case.lease_id)
    return (
        EvictionCase.objects.select_related("lease__household", "programme")
        .select_for_update()
        .get(pk=case.pk)
    )


def _open(case: EvictionCase) -> None:
    if case.is_closed:
        raise DomainError(_("The case is closed."))


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("This date cannot be in the future."), field=field)


def eviction_meeting_record(
    *,
    actor,
    case: EvictionCase,
    held_on: date,
    result: str,
    participants: str = "",
    note: str = "",
) -> MediationMeeting:
    """Record a mediation meeting with the landlord and its outcome."""
    _not_future(held_on, "held_on")
    with transaction.atomic():
        case = _locked_case(case)
        _open(case)
        meeting = MediationMeeting(
            case=case,
            held_on=held_on,
            result=result,
            participants=participants,
            note=note,
            recorded_by=actor,
        )
        meeting.full_clean()
        meeting.save()
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="meeting_recorded",
            note=note,
            context=case.lease.household,
            data={"result": result, "held_on": held_on.isoformat()},
        )
        return meeting


def eviction_settlement_record(
    *,
    actor,
    case: EvictionCase,
    on: date,
    fund_cover,
    household_repays,
    instalments: int,
    terms: str,
    note: str = "",
) -> EvictionCase:
    """Record a settlement: the fund covers part of the arrears (a guarantee claim the fund
    will build), the household repays the rest in instalments, the landlord withdraws."""
    _not_future(on, "on")
    fund_cover, household_repays = eur(fund_cover or 0), eur(household_repays or 0)
    if fund_cover.amount < 0 or household_repays.amount < 0:
        raise DomainError(_("Amounts cannot be negative."))
    if fund_cover.amount + household_repays.amount <= 0:
        raise DomainError(_("Say how the arrears are covered."), field="fund_cover")
    if household_repays.amount > 0 and not 1 <= (instalments or 0) <= 60:
        raise DomainError(_("A plan has from 1 to 60 instalments."), field="instalments")
    if not terms:
        raise DomainError(_("Write the terms the parties agreed."), field="terms")
    with transaction.atomic():
        case = _run(
            actor=actor,
            case=case,
            transition="settle",
            note=note or terms,
            on=on,
            update_fields=("settled_on",),
            data={"fund_cover": str(fund_cover.amount), "repays": str(household_repays.amount)},
        )
        case.settlement_fund_cover = fund_cover
        case.settlement_household_repays = household_repays
        case.settlement_instalments = instalments if household_repays.amount > 0 else None
        case.settlement_terms = terms
        case.save(
            update_fields=[
                "settlement_fund_cover",
                "settlement_household_repays",
                "settlement_instalments",
                "settlement_terms",
            ]
        )
        return case


def eviction_access_notice(
    *, actor, case: EvictionCase, notice_served_on: date, access_on: date, note: str = ""
) -> EvictionCase:
    """c.p.c. art. 608: record the bailiff's notice and the day of the access, at least 10 days
    later and after the precetto's term; refused once the precetto has lapsed (art. 481)."""
    _not_future(notice_served_on, "notice_served_on")
    with transaction.atomic():
        case = _locked_case(case)
        if case.status != EvictionCase.Status.ENFORCEMENT_SCHEDULED:
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
        if case.status != EvictionCase.Status.ENFORCEMENT_SCHEDULED or case.access_on is None:
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


def fund_application_create(
    *, actor, case: EvictionCase, applied_on: date, amount_requested, fund_name: str = ""
) -> FundApplication:
    """Record an application to a public fund for the case's arrears."""
    _not_future(applied_on, "applied_on")
    amount = eur(amount_requested)
    rules = eviction_rules_for(programme_id=case.programme_id)
    if amount.amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount_requested")
    if amount.amount > rules.fund_max_amount:
        raise DomainError(
            _("The fund gives at most %(max)s.") % {"max": money_format(rules.fund_max_amount)},
            field="amount_requested",
        )
    with transaction.atomic():
        case = _locked_case(case)
        _open(case)
        application = FundApplication(case=case, applied_on=applied_on, amount_requested=amount)
        if fund_name:
            application.fund_name = fund_name
        application.full_clean(exclude=["status"])
        application.save()
        audit_record(
            actor=actor,
            programme=case.programme,
            target=application,
            verb="created",
            context=case.lease.household,
            data={"amount": str(amount.amount)},
        )
        return application


def fund_application_decide(
    *, actor, application: FundApplication, granted: bool, on: date, amount=None, note: str = ""
) -> FundApplication:
    """Record the fund's decision: the amount granted, or the refusal and why."""
    _not_future(on, "on")
    if granted:
        amount = eur(amount or 0)
        if amount.amount <= 0:
            raise DomainError(_("Say how much was granted."), field="amount")
        if amount > application.amount_requested:
            raise DomainError(
                _("The amount granted cannot exceed the amount requested."), field="amount"
            )
        return transition_run(
            queryset=FundApplication.objects.select_related("case__lease__household"),
            pk=application.pk,
            transition="grant",
            actor=actor,
            note=note,
            on=on,
            amount=amount,
            update_fields=("decided_on", "amount_granted"),
        )
    if not note:
        raise DomainError(_("Say why the application was refused."), field="note")
    return transition_run(
        queryset=FundApplication.objects.select_related("case__lease__household"),
        pk=application.pk,
        transition="refuse",
        actor=actor,
        note=note,
        on=on,
        update_fields=("decided_on",),
    )


def fund_application_receive(
    *, actor, application: FundApplication, on: date, bank_reference: str = ""
) -> FundApplication:
    """The granted money arrived: record it as a payment by the municipality on the lease, so
    it settles the oldest dues."""
    from tenancies.services.payments import payment_record

    _not_future(on, "on")
    with transaction.atomic():
        locked = FundApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != FundApplication.Status.GRANTED:
            raise DomainError(_("Only a granted application can be received."))
        payment = payment_record(
            actor=actor,
            lease=locked.case.lease,
            amount=locked.amount_granted,
            paid_on=on,
            method=Payment.Method.PUBLIC_CONTRIBUTION,
            payer=Payment.Payer.MUNICIPALITY,
            bank_reference=bank_reference,
            note=str(locked.fund_name)[:250],
        )
        return transition_run(
            queryset=FundApplication.objects.select_related("case__lease__household"),
            pk=application.pk,
            transition="receive",
            actor=actor,
            payment=payment,
            update_fields=("payment",),
        )


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_token_issue(*, user, programme) -> str:
    """A new secret for the user's calendar feed in the programme; the old address stops
    working. The secret itself is returned once and never stored."""
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        CalendarToken.objects.filter(user=user, programme=programme).delete()
        CalendarToken.objects.create(
            user=user, programme=programme, token_hash=calendar_token_hash(token)
        )
        audit_record(
            actor=user,
            programme=programme,
            target=user,
            verb="calendar_token_issued",
        )
    return token


def eviction_policy_update(*, actor, policy, data: dict):
    """Change the programme's legal-clock numbers; the change is on the audit trail."""
    with transaction.atomic():
        changed = {}
        for name, value in data.items():
            if getattr(policy, name) != value:
                changed[name] = str(value)
                setattr(policy, name, value)
        if not changed:
            return policy
        policy.full_clean()
        policy.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            programme=policy.programme,
            target=policy,
            verb="updated",
            data=changed,
        )
        return policy
