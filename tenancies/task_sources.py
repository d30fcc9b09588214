"""The tenancies' duties that become tasks in the operator's inbox (see common.duties).

Each source reads a record's duties from its own fields, so the services that write those
fields (through `transition_run` or an explicit `task_sync`) keep the inbox true:

- an eviction case's legal deadlines: its `EvictionTask` rows, which the legal clock rewrites
  whenever the case's dates change (`eviction_tasks_refresh`), one task per deadline;
- an arrears case's next action, while the case is open;
- the next instalment of its repayment plan not yet met by payments, while the plan holds;
- a signed pact's next review;
- a proposed placement, to be confirmed (accepted or declined) within a week;
- a household document that expires, while it is the newest of its kind for the household.
"""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from common.duties import Duty, TaskSource, task_source_register

PLACEMENT_CONFIRM_DAYS = 7


def _eviction_duties(case) -> list:
    owner_id = case.owner_id or case.lease.household.operator_id
    return [Duty(due_on=t.due_on, key=t.kind, owner_id=owner_id) for t in case.tasks.all()]


def _eviction_records():
    from tenancies.models import EvictionCase, EvictionTask

    return EvictionCase.objects.filter(
        pk__in=EvictionTask.objects.values("case_id")
    ).select_related("lease__household")


def _eviction_key_label(key: str) -> str:
    from tenancies.selectors.eviction import task_label

    return task_label(key)


def _arrears_duties(case) -> list:
    if case.status in case.FINAL_STATES or case.next_action_due is None:
        return []
    owner_id = case.owner_id or case.lease.household.operator_id
    return [Duty(due_on=case.next_action_due, owner_id=owner_id)]


def _arrears_records():
    from tenancies.models import ArrearsCase

    return (
        ArrearsCase.objects.exclude(status__in=ArrearsCase.FINAL_STATES)
        .filter(next_action_due__isnull=False)
        .select_related("lease__household")
    )


def _current_plan(case):
    return case.plans.filter(is_current=True).prefetch_related("instalments").first()


def _instalment_duties(case) -> list:
    """The plan's next instalment not yet met (the payments decide, not the calendar)."""
    from tenancies.selectors.plans import plan_progress

    if case.status != case.Status.PLAN_AGREED:
        return []
    plan = _current_plan(case)
    if plan is None:
        return []
    # `today` only tells late from upcoming; which instalments are met depends on payments.
    progress = plan_progress(plan=plan, today=plan.agreed_on)
    for instalment in progress.instalments:
        if instalment.state != "paid":
            owner_id = case.owner_id or case.lease.household.operator_id
            return [Duty(due_on=instalment.due_date, owner_id=owner_id)]
    return []


def _instalment_records():
    from tenancies.models import ArrearsCase

    return ArrearsCase.objects.filter(status=ArrearsCase.Status.PLAN_AGREED).select_related(
        "lease__household"
    )


def _pact_duties(pact) -> list:
    if pact.status not in (pact.Status.SIGNED, pact.Status.UNDER_REVIEW):
        return []
    if pact.next_review_on is None:
        return []
    return [Duty(due_on=pact.next_review_on, owner_id=pact.household.operator_id)]


def _pact_records():
    from tenancies.models import SupportPact

    return SupportPact.objects.filter(
        status__in=(SupportPact.Status.SIGNED, SupportPact.Status.UNDER_REVIEW),
        next_review_on__isnull=False,
    ).select_related("household")


def _placement_duties(placement) -> list:
    if placement.status != placement.Status.PROPOSED:
        return []
    due = placement.proposed_on + timedelta(days=PLACEMENT_CONFIRM_DAYS)
    return [Duty(due_on=due, owner_id=placement.household.operator_id)]


def _placement_records():
    from tenancies.models import Placement

    return Placement.objects.filter(status=Placement.Status.PROPOSED).select_related("household")


def _document_duties(document) -> list:
    from tenancies.models import HouseholdDocument

    if document.valid_until is None:
        return []
    newest = (
        HouseholdDocument.objects.filter(household_id=document.household_id, kind=document.kind)
        .order_by("-uploaded_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if newest != document.pk:
        return []
    return [Duty(due_on=document.valid_until, owner_id=document.household.operator_id)]


def _document_records():
    from tenancies.models import HouseholdDocument

    return HouseholdDocument.objects.filter(valid_until__isnull=False).select_related("household")


def register() -> None:
    task_source_register(
        TaskSource(
            kind="eviction_deadline",
            label=_("Legal deadline"),
            model="tenancies.EvictionCase",
            duties=_eviction_duties,
            records=_eviction_records,
            key_label=_eviction_key_label,
        )
    )
    task_source_register(
        TaskSource(
            kind="arrears_action",
            label=_("Arrears: next action"),
            model="tenancies.ArrearsCase",
            duties=_arrears_duties,
            records=_arrears_records,
        )
    )
    task_source_register(
        TaskSource(
            kind="plan_instalment",
            label=_("Repayment plan: instalment due"),
            model="tenancies.ArrearsCase",
            duties=_instalment_duties,
            records=_instalment_records,
        )
    )
    task_source_register(
        TaskSource(
            kind="pact_review",
            label=_("Pact review"),
            model="tenancies.SupportPact",
            duties=_pact_duties,
            records=_pact_records,
        )
    )
    task_source_register(
        TaskSource(
            kind="placement_confirm",
            label=_("Placement to confirm"),
            model="tenancies.Placement",
            duties=_placement_duties,
            records=_placement_records,
        )
    )
    task_source_register(
        TaskSource(
            kind="document_expiry",
            label=_("Document expiring"),
            model="tenancies.HouseholdDocument",
            duties=_document_duties,
            records=_document_records,
        )
    )
