"""The fund's workflows, declared once: each step's form and service, the row to lock first.

Whether a step may happen, and by whom (four eyes included), is the transition's business
(fund.models); pages list the steps with `{% next_steps obj %}` and `common.views.step_view`
runs them. Transitions only services take (a guarantee's cover used up, a plan repaid or
waived through its waiver) are not steps, so no page offers them.
"""

from django.urls import reverse

from common.roles import Role
from common.workflows import Step, Workflow, object_getter, workflow_register
from fund.forms.guarantees import NoteForm
from fund.forms.recovery import DecisionForm, ScheduleForm
from fund.models import (
    Claim,
    ContributionProposal,
    Guarantee,
    LeverageChange,
    PayoutBatch,
    ReconciliationPeriod,
    RecoveryPlan,
    RecoveryWaiver,
)
from fund.selectors.guarantees import guarantee_approval_facts
from fund.services import claims as claim_services
from fund.services import contributions as contribution_services
from fund.services import fund_bank as fund_bank_services
from fund.services import funds as fund_services
from fund.services import guarantees as guarantee_services
from fund.services import payouts as payout_services
from fund.services import recovery as recovery_services
from fund.services import waivers as waiver_services


def _approval_context(guarantee, user) -> dict:
    return {"guarantee": guarantee, "facts": guarantee_approval_facts(guarantee)}


def _waiver_context(waiver, user) -> dict:
    return {"waiver": waiver, "plan": waiver.plan}


guarantee_workflow = workflow_register(
    Workflow(
        key="guarantee",
        model=Guarantee,
        object_arg="guarantee",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: Guarantee.objects.in_programme(
                request.programme
            ).select_related("fund", "lease__household", "lease__landlord", "lease__dwelling"),
        ),
        steps=(
            Step(
                "approve",
                guarantee_services.guarantee_approve,
                NoteForm,
                context=_approval_context,
                template="fund/guarantee_approve.html",
            ),
            Step("activate", guarantee_services.guarantee_activate, NoteForm),
            Step("release", guarantee_services.guarantee_release, NoteForm),
            Step("expire", guarantee_services.guarantee_expire, NoteForm),
            Step("cancel", guarantee_services.guarantee_cancel, NoteForm),
        ),
        parent="lease",
    )
)


def _claims_for(request):
    """Claims as the user's role sees them: the programme's for the fund administrators and
    operators, the landlord's own leases' for a landlord (answering a request for documents)."""
    claims = Claim.objects.in_programme(request.programme).select_related(
        "guarantee__fund", "guarantee__lease__household", "guarantee__lease__landlord"
    )
    if request.role == Role.LANDLORD:
        return claims.filter(guarantee__lease__landlord__users=request.user).distinct()
    return claims


def _claim_url(request, claim) -> str:
    if request.role == Role.LANDLORD:
        return reverse("fund:my_claim", args=[claim.pk])
    return claim.get_absolute_url()


claim_workflow = workflow_register(
    Workflow(
        key="claim",
        model=Claim,
        object_arg="claim",
        get_object=object_getter(
            Role.FUND_ADMIN, Role.OPERATOR, Role.LANDLORD, queryset=_claims_for
        ),
        object_url=_claim_url,
        steps=(
            Step("review", claim_services.claim_review, NoteForm),
            Step("request_documents", claim_services.claim_request_documents, NoteForm),
            Step("provide_documents", claim_services.claim_provide_documents, NoteForm),
            Step("approve", claim_services.claim_approve, NoteForm),
            Step("recall", claim_services.claim_recall, NoteForm),
            Step("reject", claim_services.claim_reject, NoteForm),
        ),
        parent="guarantee__lease",
    )
)

recovery_plan_workflow = workflow_register(
    Workflow(
        key="recovery_plan",
        model=RecoveryPlan,
        object_arg="plan",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: RecoveryPlan.objects.in_programme(
                request.programme
            ).select_related("fund", "household"),
        ),
        steps=(
            Step("activate", recovery_services.recovery_plan_activate, ScheduleForm),
            Step("reschedule", recovery_services.recovery_plan_reschedule, ScheduleForm),
        ),
    )
)

recovery_waiver_workflow = workflow_register(
    Workflow(
        key="recovery_waiver",
        model=RecoveryWaiver,
        object_arg="waiver",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: RecoveryWaiver.objects.filter(
                plan__fund__programme=request.programme
            ).select_related("plan__fund", "plan__household", "proposed_by", "pact"),
        ),
        steps=(
            Step(
                "approve",
                waiver_services.waiver_approve,
                DecisionForm,
                context=_waiver_context,
                template="fund/waiver_decide.html",
            ),
            Step(
                "reject",
                waiver_services.waiver_reject,
                DecisionForm,
                context=_waiver_context,
                template="fund/waiver_decide.html",
            ),
        ),
        parent="plan",
    )
)

leverage_change_workflow = workflow_register(
    Workflow(
        key="leverage_change",
        model=LeverageChange,
        object_arg="change",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: LeverageChange.objects.in_programme(
                request.programme
            ).select_related("fund", "proposed_by"),
        ),
        steps=(
            Step("approve", fund_services.leverage_change_approve, NoteForm),
            Step("reject", fund_services.leverage_change_reject, NoteForm),
        ),
        parent="fund",
    )
)

# A contribution above the four-eyes threshold: a second fund administrator approves it, and
# only then is it posted to the ledger.
contribution_proposal_workflow = workflow_register(
    Workflow(
        key="contribution_proposal",
        model=ContributionProposal,
        object_arg="proposal",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: ContributionProposal.objects.in_programme(
                request.programme
            ).select_related("fund", "proposed_by"),
        ),
        steps=(
            Step("approve", contribution_services.contribution_proposal_approve, NoteForm),
            Step("reject", contribution_services.contribution_proposal_reject, NoteForm),
        ),
        parent="fund",
    )
)

# A SEPA file the bank will not execute: cancelling it recalls its payouts to approved.
# (Its completion, once the statement confirms every payout, is the statement's business.)
payout_batch_workflow = workflow_register(
    Workflow(
        key="payout_batch",
        model=PayoutBatch,
        object_arg="batch",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: PayoutBatch.objects.in_programme(
                request.programme
            ).select_related("fund"),
        ),
        steps=(Step("cancel", payout_services.payout_batch_cancel, NoteForm),),
        parent="fund",
    )
)

# A period of the fund's bank account: closed only when the ledger and the statement agree
# on every line (the transition's condition, so the page offers it only then).
reconciliation_period_workflow = workflow_register(
    Workflow(
        key="reconciliation_period",
        model=ReconciliationPeriod,
        object_arg="period",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: ReconciliationPeriod.objects.in_programme(
                request.programme
            ).select_related("fund"),
        ),
        steps=(Step("close", fund_bank_services.reconciliation_period_close, NoteForm),),
        parent="fund",
    )
)
