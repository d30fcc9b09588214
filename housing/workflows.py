"""The housing workflows, declared once: a landlord's agreement with the fund, and a change
of a landlord's IBAN (four eyes).

Whether a step may happen is the transition's business (housing/models/landlords.py); the
agreement page lists the steps from here and `common.views.step_view` runs them. The landlord
is locked first: two agreements of one landlord must never both come into force.
"""

from common.roles import STAFF_ROLES, Role
from common.workflows import Step, StepForm, Workflow, object_getter, workflow_register
from housing.models import LandlordAgreement, PayeeChange
from housing.selectors import agreement_list
from housing.services import agreements as services
from housing.services import payees as payee_services

agreement_workflow = workflow_register(
    Workflow(
        key="agreement",
        model=LandlordAgreement,
        object_arg="agreement",
        get_object=object_getter(
            *STAFF_ROLES, queryset=lambda request: agreement_list(programme=request.programme)
        ),
        parent="landlord",
        steps=(
            Step("activate", services.agreement_activate, StepForm),
            Step("suspend", services.agreement_suspend, StepForm),
            Step("resume", services.agreement_resume, StepForm),
            Step("terminate", services.agreement_terminate, StepForm),
        ),
    )
)

# A landlord's new IBAN: a fund administrator other than the proposer approves it (four eyes,
# the transition's permission) before payouts use it.
payee_change_workflow = workflow_register(
    Workflow(
        key="payee_change",
        model=PayeeChange,
        object_arg="change",
        get_object=object_getter(
            Role.FUND_ADMIN,
            queryset=lambda request: PayeeChange.objects.in_programme(
                request.programme
            ).select_related("landlord", "proposed_by"),
        ),
        parent="landlord",
        steps=(
            Step("approve", payee_services.payee_change_approve, StepForm),
            Step("reject", payee_services.payee_change_reject, StepForm),
        ),
    )
)
