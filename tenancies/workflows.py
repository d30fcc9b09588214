"""The tenancies workflows, declared once: each step's form and service, the row to lock first.

Whether a step may happen is the transition's business (tenancies/models); the pages list the
steps from here and `common.views.step_view` runs them.
"""

from django.utils import timezone

from common.roles import Role
from common.workflows import Step, Workflow, object_getter, workflow_register
from tenancies.forms.leases import ContactForm, DatedNoteForm, NoteForm, PlanForm
from tenancies.forms.placements import PlacementActivateForm, PlacementEndForm
from tenancies.models import ArrearsCase, Lease, Placement
from tenancies.selectors.rent import lease_balance
from tenancies.services import arrears as arrears_services
from tenancies.services import leases as lease_services
from tenancies.services import placements as placement_services

# -- leases -------------------------------------------------------------------------------------
# No `parent`: the lease services that need the unit (activate, withdraw, update) lock the
# dwelling themselves before the lease; ending a lease locks only the lease, so a service that
# already holds the lease (eviction, payments) never waits for the dwelling after it.

lease_workflow = workflow_register(
    Workflow(
        key="lease",
        model=Lease,
        object_arg="lease",
        get_object=object_getter(
            Role.OPERATOR,
            queryset=lambda request: Lease.objects.in_programme(request.programme),
        ),
        steps=(
            Step("activate", lease_services.lease_activate, NoteForm),
            Step("withdraw", lease_services.lease_withdraw, NoteForm),
            Step("end", lease_services.lease_end, DatedNoteForm),
            Step("terminate", lease_services.lease_terminate, DatedNoteForm),
            Step("record_eviction", lease_services.lease_record_eviction, DatedNoteForm),
        ),
    )
)

# -- placements ---------------------------------------------------------------------------------
# The dwelling is the parent of its places: the placement services lock it (then the household,
# then the placement) before checking a place is free.

placement_workflow = workflow_register(
    Workflow(
        key="placement",
        model=Placement,
        object_arg="placement",
        get_object=object_getter(
            Role.OPERATOR,
            queryset=lambda request: Placement.objects.in_programme(request.programme),
        ),
        steps=(
            Step("placement_accept", placement_services.placement_accept, NoteForm),
            Step(
                "placement_activate", placement_services.placement_activate, PlacementActivateForm
            ),
            Step("placement_decline", placement_services.placement_decline, NoteForm),
            Step("placement_end", placement_services.placement_end, PlacementEndForm),
        ),
        parent="dwelling",
    )
)

# -- arrears cases ------------------------------------------------------------------------------
# The lease before its case, everywhere: a payment locks the lease then cures the case, so every
# case transition locks the lease first too.


def _overdue_today(case, user):
    """What the operator must see before agreeing a plan: what is overdue today."""
    return {"balance": lease_balance(lease=case.lease, today=timezone.localdate())}


arrears_case_workflow = workflow_register(
    Workflow(
        key="arrears_case",
        model=ArrearsCase,
        object_arg="case",
        get_object=object_getter(
            Role.OPERATOR,
            queryset=lambda request: ArrearsCase.objects.in_programme(
                request.programme
            ).select_related("lease__household"),
        ),
        steps=(
            Step("contact", arrears_services.arrears_case_contact, ContactForm),
            Step(
                "agree_plan",
                arrears_services.arrears_plan_agree,
                PlanForm,
                context=_overdue_today,
                template="tenancies/arrears_plan_confirm.html",
            ),
            Step("escalate", arrears_services.arrears_case_escalate, DatedNoteForm),
        ),
        parent="lease",
    )
)
