"""The tenancies workflows, declared once: each step's form and service, the row to lock first.

Whether a step may happen is the transition's business (tenancies/models); the pages list the
steps from here and `common.views.step_view` runs them.
"""

from django.utils import timezone

from common.roles import Role
from common.workflows import Step, StepForm, Workflow, object_getter, workflow_register
from tenancies.forms import eviction as eviction_forms
from tenancies.forms.households import EnrolForm, ExitForm, PactReviewForm, SignForm
from tenancies.forms.leases import ContactForm, DatedNoteForm, NoteForm, PlanForm
from tenancies.forms.placements import PlacementActivateForm, PlacementEndForm
from tenancies.models import ArrearsCase, Enrollment, EvictionCase, Lease, Placement, SupportPact
from tenancies.selectors.enrollment import enrollment_priority_order_once
from tenancies.selectors.eviction import eviction_grace_allowance, settlement_plan_case
from tenancies.selectors.households import HOUSEHOLD_ROLES
from tenancies.selectors.rent import lease_balance
from tenancies.services import arrears as arrears_services
from tenancies.services import enrollment as enrollment_services
from tenancies.services import eviction as eviction_services
from tenancies.services import leases as lease_services
from tenancies.services import pacts as pact_services
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


# --- Eviction prevention (EvictionCase) ---------------------------------------------------------
# The court procedure's steps; meetings, access notices and fund applications are actions on the
# case page (tenancies.views.eviction), not steps. The lease is locked before the case.


def _eviction_grace_context(case, user):
    from django.utils import timezone

    allowance, exceptional = eviction_grace_allowance(case=case, on=timezone.localdate())
    return {"allowance": allowance, "exceptional": exceptional, "case": case}


def _eviction_cure_context(case, user):
    return {"case": case, "cure": case.cure_balance()}


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
            Step("adjourn", eviction_services.eviction_hearing_adjourn, eviction_forms.AdjournForm),
            Step(
                "grant_grace",
                eviction_services.eviction_grace_grant,
                eviction_forms.GraceForm,
                context=_eviction_grace_context,
                template="tenancies/eviction_grace.html",
            ),
            Step(
                "cure",
                eviction_services.eviction_cure,
                eviction_forms.CureForm,
                context=_eviction_cure_context,
                template="tenancies/eviction_cure.html",
            ),
            Step("validate", eviction_services.eviction_validate, eviction_forms.ValidateForm),
            Step("oppose", eviction_services.eviction_oppose, eviction_forms.DatedForm),
            Step(
                "judgment_release",
                eviction_services.eviction_judgment_release,
                eviction_forms.JudgmentReleaseForm,
            ),
            Step(
                "judgment_dismiss",
                eviction_services.eviction_judgment_dismiss,
                eviction_forms.DatedForm,
            ),
            Step(
                "serve_precetto",
                eviction_services.eviction_precetto_serve,
                eviction_forms.DatedForm,
            ),
            Step(
                "oppose_precetto",
                eviction_services.eviction_precetto_oppose,
                eviction_forms.DatedForm,
            ),
            Step(
                "decide_precetto_opposition",
                eviction_services.eviction_precetto_opposition_decide,
                eviction_forms.PrecettoOppositionDecisionForm,
            ),
            Step(
                "renew_precetto",
                eviction_services.eviction_precetto_renew,
                eviction_forms.DatedForm,
            ),
            Step("evict", eviction_services.eviction_evict, eviction_forms.DatedForm),
            Step("rehouse", eviction_services.eviction_rehouse, eviction_forms.RehouseForm),
            Step("withdraw", eviction_services.eviction_withdraw, eviction_forms.DatedForm),
        ),
    )
)


# --- Households: enrolment and support pacts ------------------------------------------------
# The household is the parent row: every service touching its enrolment or pact locks it first.

# How many of the households waiting ahead the enrol step names (it counts them all).
ENROL_AHEAD_SHOWN = 5


def _household_rows(model):
    """The programme's rows of `model` (an enrolment, a pact), for its operators."""
    return lambda request: model.objects.in_programme(request.programme).visible_to(
        request.user, HOUSEHOLD_ROLES
    )


def _enrol_context(enrollment, user) -> dict:
    order = enrollment_priority_order_once(enrollment)
    return {
        "priority_score": order.score,
        "ahead_count": len(order.ahead),
        "ahead": order.ahead[:ENROL_AHEAD_SHOWN],
    }


enrollment_workflow = workflow_register(
    Workflow(
        key="enrollment",
        model=Enrollment,
        object_arg="enrollment",
        get_object=object_getter(Role.OPERATOR, queryset=_household_rows(Enrollment)),
        parent="household",
        steps=(
            Step("start_assessment", enrollment_services.enrollment_start_assessment, NoteForm),
            Step("assess", enrollment_services.enrollment_assess, NoteForm),
            Step("override", enrollment_services.enrollment_override, NoteForm),
            Step("reassess", enrollment_services.enrollment_reassess, NoteForm),
            Step(
                "enrol",
                enrollment_services.enrollment_enrol,
                EnrolForm,
                context=_enrol_context,
                template="tenancies/enrollment_enrol_confirm.html",
            ),
            Step("exit", enrollment_services.enrollment_exit, ExitForm),
        ),
    )
)

pact_workflow = workflow_register(
    Workflow(
        key="pact",
        model=SupportPact,
        object_arg="pact",
        get_object=object_getter(Role.OPERATOR, queryset=_household_rows(SupportPact)),
        parent="household",
        steps=(
            Step("sign", pact_services.pact_sign, SignForm),
            Step("start_review", pact_services.pact_start_review, NoteForm),
            Step("resume", pact_services.pact_resume, PactReviewForm),
            Step("complete", pact_services.pact_complete, PactReviewForm),
            Step("declare_broken", pact_services.pact_declare_broken, PactReviewForm),
        ),
    )
)
