"""The tenancies workflows, declared once: each step's form and service, the row to lock first.

Whether a step may happen is the transition's business (tenancies/models); the pages list the
steps from here and `common.views.step_view` runs them.
"""

from common.roles import Role
from common.workflows import Step, Workflow, object_getter, workflow_register
from tenancies.forms.leases import DatedNoteForm, NoteForm
from tenancies.models import Lease
from tenancies.services import leases as lease_services

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
            Step("end", lease_services.lease_end, DatedNoteForm),
            Step("terminate", lease_services.lease_terminate, DatedNoteForm),
            Step("record_eviction", lease_services.lease_record_eviction, DatedNoteForm),
        ),
    )
)
