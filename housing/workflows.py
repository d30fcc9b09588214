"""The housing workflow, declared once: a landlord's agreement with the fund.

Whether a step may happen is the transition's business (housing/models/landlords.py); the
agreement page lists the steps from here and `common.views.step_view` runs them. The landlord
is locked first: two agreements of one landlord must never both come into force.
"""

from common.roles import STAFF_ROLES
from common.workflows import Step, StepForm, Workflow, object_getter, workflow_register
from housing.models import LandlordAgreement
from housing.selectors import agreement_list
from housing.services import agreements as services

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
