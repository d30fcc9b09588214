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


# --- Eviction prevention (EvictionCase) ---------------------------------------------------------
# The court procedure's steps; meetings, access notices and fund applications are actions on the
# case page (tenancies.views.eviction), not steps. The lease is locked before the case.

from common.workflows import StepForm  # noqa: E402 - the eviction block stands on its own
from tenancies.forms import eviction as eviction_forms  # noqa: E402
from tenancies.models import EvictionCase  # noqa: E402
from tenancies.selectors.eviction import (  # noqa: E402
    eviction_grace_allowance,
    settlement_plan_case,
)
from tenancies.services import eviction as eviction_services  # noqa: E402


def _eviction_grace_context(case, user):
    from django.utils import timezone

    allowance, exceptional = eviction_grace_allowance(case=case, on=timezone.localdate())
    return {"allowance": allowance, "exceptional": exceptional, "case": case}


def _eviction_settlement_context(case, user):
    return {"case": case, "plan_case": settlement_plan_case(case=case)}


eviction_workflow = workflow_register(
    Workflow(
        key="eviction",
        model=EvictionCase,
        object_arg="case",
        get_object=object_getter(
            Role.OPERATOR,
            queryset=lambda request: EvictionCase.objects.in_programme(
                request.programme
            ).select_related("lease__household", "lease__dwelling", "arrears_case"),
        ),
        parent="lease",
        steps=(
            Step(
                "serve_summons",
                eviction_services.eviction_summons_record,
                eviction_forms.SummonsForm,
            ),
            Step("start_mediation", eviction_services.eviction_mediation_start, StepForm),
            Step(
                "settle",
                eviction_services.eviction_settlement_record,
                eviction_forms.SettlementForm,
                context=_eviction_settlement_context,
                template="tenancies/eviction_settle.html",
            ),
            Step(
                "close_prevented",
                eviction_services.eviction_close_prevented,
                eviction_forms.DatedForm,
            ),
            Step("hold_hearing", eviction_services.eviction_hearing_hold, eviction_forms.DatedForm),
            Step(
                "grant_grace",
                eviction_services.eviction_grace_grant,
                eviction_forms.GraceForm,
                context=_eviction_grace_context,
                template="tenancies/eviction_grace.html",
            ),
            Step("cure", eviction_services.eviction_cure, eviction_forms.DatedForm),
            Step("validate", eviction_services.eviction_validate, eviction_forms.ValidateForm),
            Step(
                "serve_precetto",
                eviction_services.eviction_precetto_serve,
                eviction_forms.DatedForm,
            ),
            Step("evict", eviction_services.eviction_evict, eviction_forms.DatedForm),
            Step("rehouse", eviction_services.eviction_rehouse, eviction_forms.DatedForm),
            Step("withdraw", eviction_services.eviction_withdraw, eviction_forms.DatedForm),
        ),
    )
)
