"""Applications to public funds (fondo morosità incolpevole) for a case's arrears."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, money_format
from tenancies.models import EvictionCase, FundApplication, Payment
from tenancies.services.eviction.cases import _locked_case, _open, _past
from tenancies.services.eviction.policy import eviction_rules_for


def fund_application_create(
    *, actor, case: EvictionCase, applied_on: date, amount_requested, fund_name: str = ""
) -> FundApplication:
    """Record an application to a public fund for the case's arrears."""
    _past(applied_on, "applied_on")
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
    _past(on, "on")
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

    _past(on, "on")
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
