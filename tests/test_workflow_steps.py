"""Every workflow × state × role: what a page offers is exactly what the step view lets happen.

For each registered workflow (common.workflows) the test builds objects in as many states as
practical, through the services, then for every role of the programme (and the other fund
administrators, where four eyes apply to claims and waivers) checks that:
- the detail page links exactly the steps `next_steps(obj, user)` offers (when the user may
  open the page at all);
- each offered step, POSTed to `common:step` with valid data, succeeds: a redirect, and the
  state moved (or, for a step that stays in its state, an audit event was written);
- each registered step not offered, POSTed, is refused and changes nothing in the database.
Every POST runs in a savepoint rolled back afterwards, so each starts from the same state.
A page offering a step its service refuses is a bug: it is listed in KNOWN_MISMATCHES and
checked on its own as a strict xfail until fixed.
"""

from datetime import timedelta

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.timezone import localdate

from common.money import eur
from common.tests.two_factor import login_verified
from common.workflows import next_steps, workflow_for_model, workflows_all
from tests import lifecycle_world as lw

NOTE = "Nota della prova"
# One user per role; where four eyes matter, the other administrators too (a claim is
# submitted by the landlord and reviewed by admin2 in its builder, a waiver proposed by admin1).
PROBE_USERS = ("operator", "admin1", "caretaker", "monitor", "landlord")
FOUR_EYES = {
    "fund.Claim": ("admin2", "admin3"),
    "fund.RecoveryWaiver": ("admin2",),
    "fund.LeverageChange": ("admin2",),
    "fund.ContributionProposal": ("admin2",),
    "housing.PayeeChange": ("admin2",),
}


# --- objects in each state, built through the services -------------------------------------
#
# A builder returns, by state name, a function that makes one object in that state (the test
# makes them in order, and only those it checks). Each object lives on its own lease or
# household where a rule allows one open at a time (an arrears or eviction case per lease, a
# pact per household, a waiver awaiting decision per plan).


def enrolled_household(world, today):
    household = lw.household_make(world, today=today)
    lw.household_enrol(world, household, today=today)
    return household


def lease_of(world, today, *, start, landlord=None, activate=True):
    """A lease of a newly enrolled household that follows its placement in a new flat of
    `landlord` (the world's, in agreement): moved in by `start`, or only accepted when the
    lease starts later; activated unless told otherwise."""
    from tenancies.services.leases import lease_activate

    household = enrolled_household(world, today)
    dwelling = lw.dwelling_make(world, landlord=landlord or world.landlord)
    placement = lw.placement_make(
        world,
        household=household,
        dwelling=dwelling,
        on=min(start, today),
        move_in=start <= today,
    )
    lease = lw.lease_make(world, placement=placement, start=start)
    if activate:
        lease = lease_activate(actor=world.operator, lease=lease, today=today)
    return lease


def lease_states(world, today):
    from tenancies.services import leases as svc

    op = world.operator

    def active():
        return lease_of(world, today, start=lw.add_months(today, -1))

    def draft():
        return lease_of(world, today, start=lw.add_months(today, 1), activate=False)

    def draft_without_agreement():
        # Its landlord's agreement is not in force: the service refuses to activate it.
        other = lw.landlord_make(world, today=today, active=False)
        return lease_of(world, today, start=lw.add_months(today, 1), landlord=other, activate=False)

    return {
        "draft": draft,
        "active": active,
        "ended": lambda: svc.lease_end(actor=op, lease=active(), on=today, note=NOTE),
        "terminated": lambda: svc.lease_terminate(actor=op, lease=active(), on=today, note=NOTE),
        "evicted": lambda: svc.lease_record_eviction(actor=op, lease=active(), on=today, note=NOTE),
        "withdrawn": lambda: svc.lease_withdraw(actor=op, lease=draft(), note=NOTE),
        "draft_without_agreement": draft_without_agreement,
    }


def enrollment_states(world, today):
    from tenancies.services import enrollment as svc

    op = world.operator

    def referred(eligible=True):
        return lw.household_make(world, today=today, eligible=eligible).enrollments.get()

    def assessing(eligible=True):
        return svc.enrollment_start_assessment(actor=op, enrollment=referred(eligible))

    def assessed(eligible):
        enrollment = assessing(eligible)
        svc.enrollment_assess(actor=op, enrollment=enrollment, today=today)
        return enrollment

    def exited():
        enrollment = enrolled_household(world, today).enrollments.get()
        return svc.enrollment_exit(actor=op, enrollment=enrollment, reason="autonomy", on=today)

    return {
        "referred": referred,
        "assessing": assessing,
        "eligible": lambda: assessed(True),
        "ineligible": lambda: assessed(False),
        # The world's housed household: enrolled, with a placement and a lease in force.
        "enrolled": lambda: world.households[0].enrollments.get(),
        "exited": exited,
    }


def placement_states(world, today):
    from tenancies.services import placements as svc

    op = world.operator

    def proposed():
        return svc.placement_propose(
            actor=op,
            household=enrolled_household(world, today),
            dwelling=lw.dwelling_make(world, landlord=world.landlord),
            proposed_on=today,
        )

    def accepted():
        return svc.placement_accept(actor=op, placement=proposed())

    def active():
        return svc.placement_activate(actor=op, placement=accepted(), on=today)

    return {
        "proposed": proposed,
        "accepted": accepted,
        "active": active,
        "ended": lambda: svc.placement_end(
            actor=op, placement=active(), reason="autonomy", on=today
        ),
        "declined": lambda: svc.placement_decline(actor=op, placement=proposed(), note=NOTE),
    }


def agreement_states(world, today):
    from housing.models import LandlordAgreement
    from housing.services import agreements as svc

    op = world.operator

    def draft():
        landlord = lw.landlord_make(world, today=today, active=False)
        return LandlordAgreement.objects.get(landlord=landlord)

    def active():
        return svc.agreement_activate(actor=op, agreement=draft())

    return {
        "draft": draft,
        "active": lambda: LandlordAgreement.objects.get(landlord=world.landlord),
        "suspended": lambda: svc.agreement_suspend(actor=op, agreement=active(), note=NOTE),
        "terminated": lambda: svc.agreement_terminate(actor=op, agreement=active(), note=NOTE),
    }


def arrears_case_states(world, today):
    """Cases on leases started three months ago and never paid: rent is overdue."""
    from common.fsm import transition_run
    from tenancies.models import ArrearsCase
    from tenancies.services import arrears as svc

    op = world.operator

    def opened():
        lease = lease_of(world, today, start=lw.add_months(today, -3))
        return svc.arrears_case_open(
            actor=op, lease=lease, on=today, origin=ArrearsCase.Origin.OPERATOR
        )

    def contacted():
        return svc.arrears_case_contact(actor=op, case=opened(), note=NOTE)

    def plan_agreed():
        plan = svc.arrears_plan_agree(
            actor=op, case=opened(), instalments=3, first_due=today, today=today
        )
        return plan.case

    def plan_broken():
        # What the monthly run does when an instalment is missed (no person takes this step).
        case = plan_agreed()
        return transition_run(
            queryset=ArrearsCase.objects.all(),
            pk=case.pk,
            transition="break_plan",
            actor=None,
            check_permission=False,
        )

    return {
        "opened": opened,
        "contacted": contacted,
        "plan_agreed": plan_agreed,
        "plan_broken": plan_broken,
        "claimed": lambda: svc.arrears_case_mark_claimed(actor=op, case=opened()),
        "escalated": lambda: svc.arrears_case_escalate(
            actor=op, case=contacted(), note=NOTE, on=today
        ),
    }


def eviction_states(world, today):
    """Cases on active leases, each step dated in the past as the court calendar had it, so
    that today's date is a valid date for the next one."""
    from tenancies.services import eviction as svc

    op = world.operator

    def ago(days):
        return today - timedelta(days=days)

    def at_risk():
        lease = lease_of(world, today, start=lw.add_months(today, -4))
        return svc.eviction_case_open(actor=op, lease=lease, on=ago(100), cause="unemployment")

    def summons_served():
        return svc.eviction_summons_record(
            actor=op, case=at_risk(), served_on=ago(90), hearing_on=ago(60)
        )

    def hearing():
        return svc.eviction_hearing_hold(actor=op, case=summons_served(), on=ago(60))

    def validated():
        return svc.eviction_validate(actor=op, case=hearing(), on=ago(60), execution_from=ago(55))

    def enforcement(access=True):
        case = svc.eviction_precetto_serve(actor=op, case=validated(), on=ago(50))
        if access:
            case = svc.eviction_access_notice(
                actor=op, case=case, notice_served_on=ago(35), access_on=ago(20)
            )
        return case

    return {
        "at_risk": at_risk,
        "summons_served": summons_served,
        "mediation": lambda: svc.eviction_mediation_start(actor=op, case=summons_served()),
        "settled": lambda: svc.eviction_settlement_record(
            actor=op,
            case=at_risk(),
            on=ago(20),
            fund_cover=eur("500"),
            household_repays=eur("300"),
            instalments=3,
            terms=NOTE,
        ),
        "hearing": hearing,
        "grace_period": lambda: svc.eviction_grace_grant(
            actor=op, case=hearing(), granted_on=ago(60), days=30, new_hearing_on=ago(25)
        ),
        "validated": validated,
        "enforcement_scheduled_before_access": lambda: enforcement(access=False),
        "enforcement_scheduled": enforcement,
        "withdrawn": lambda: svc.eviction_withdraw(actor=op, case=at_risk(), on=today, note=NOTE),
    }


def pact_states(world, today):
    from tenancies.models import PactReview
    from tenancies.services import pacts as svc

    op = world.operator

    def draft(enrolled=True):
        household = (
            enrolled_household(world, today)
            if enrolled
            else assessed_eligible(world, today).household
        )
        pact = svc.pact_create(
            actor=op,
            household=household,
            goal="Autonomia abitativa",
            starts_on=today,
            ends_on=today + timedelta(days=365),
        )
        for party in ("household", "programme"):
            svc.commitment_add(actor=op, pact=pact, party=party, description="Impegno")
        return pact

    def signed():
        return svc.pact_sign(
            actor=op, pact=draft(), place="Montichiari", household_signatory="Anna", on=today
        )

    def under_review():
        return svc.pact_start_review(actor=op, pact=signed())

    def reviewed(service):
        return service(
            actor=op,
            pact=under_review(),
            held_on=today,
            outcome=PactReview.Outcome.PARTLY,
            note=NOTE,
        ).pact

    return {
        "draft": draft,
        # Eligible, not yet enrolled: the pact may be drafted but not signed.
        "draft_not_enrolled": lambda: draft(enrolled=False),
        "signed": signed,
        "under_review": under_review,
        "completed": lambda: reviewed(svc.pact_complete),
        "broken": lambda: reviewed(svc.pact_declare_broken),
    }


def assessed_eligible(world, today):
    from tenancies.services import enrollment as svc

    enrollment = lw.household_make(world, today=today).enrollments.get()
    svc.enrollment_start_assessment(actor=world.operator, enrollment=enrollment)
    svc.enrollment_assess(actor=world.operator, enrollment=enrollment, today=today)
    return enrollment


def guaranteed_lease(world, today, *, months_back=8):
    """An active lease started `months_back` months ago, unpaid, with an active guarantee."""
    from fund.services import guarantees as svc

    lease = lease_of(world, today, start=lw.add_months(today, -months_back))
    guarantee = svc.guarantee_request(actor=world.operator, fund=world.fund, lease=lease)
    svc.guarantee_approve(actor=world.admin, guarantee=guarantee)
    return lease, svc.guarantee_activate(actor=world.admin, guarantee=guarantee)


def guarantee_states(world, today):
    from fund.services import guarantees as svc
    from tenancies.services.leases import lease_end

    admin = world.admin

    def requested():
        lease = lease_of(world, today, start=lw.add_months(today, 1), activate=False)
        return svc.guarantee_request(actor=world.operator, fund=world.fund, lease=lease)

    def lease_ended():
        lease, guarantee = guaranteed_lease(world, today, months_back=1)
        lease_end(actor=world.operator, lease=lease, on=today)
        return type(guarantee).objects.get(pk=guarantee.pk)  # with the lease as it is now

    return {
        "requested": requested,
        "approved": lambda: svc.guarantee_approve(actor=admin, guarantee=requested()),
        "active": lambda: guaranteed_lease(world, today, months_back=1)[1],
        "active_lease_ended": lease_ended,
        "released": lambda: svc.guarantee_release(actor=admin, guarantee=lease_ended(), note=NOTE),
        "cancelled": lambda: svc.guarantee_cancel(actor=admin, guarantee=requested(), note=NOTE),
    }


def claim_states(world, today):
    """Claims on one guarantee, each for the oldest month past the agreement's claim delay:
    submitted by the landlord, reviewed by admin2, approved by admin1, its payout sent to the
    bank by admin3 (the one administrator who took no part in it)."""
    from fund.selectors.guarantees import claimable_dues
    from fund.services import claims as svc
    from fund.tests.payouts import claim_pay, claim_send_to_bank

    made = {}

    def guarantee(key="guarantee"):
        # The payouts on their own guarantee: its cover would not stretch to every state.
        if key not in made:
            made[key] = guaranteed_lease(world, today, months_back=8)[1]
        return made[key]

    def submitted(key="guarantee"):
        due = claimable_dues(lease=guarantee(key).lease, today=today)[0]
        return svc.claim_submit(
            actor=world.user("landlord"), guarantee=guarantee(key), due_ids=[due.pk], today=today
        )

    def reviewed(key="guarantee"):
        return svc.claim_review(actor=world.user("admin2"), claim=submitted(key))

    def approved(key="guarantee"):
        return svc.claim_approve(actor=world.user("admin1"), claim=reviewed(key))

    def sent_by_admin3():
        return claim_send_to_bank(claim=approved("payouts"), sender=world.user("admin3"))

    def documents_requested():
        """Asked for by admin2, and the landlord has added one since: ready to send back (on
        a guarantee of its own, the first one's cover being taken by the other states)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from fund.services.claim_documents import claim_document_add

        own = guaranteed_lease(world, today, months_back=8)[1]
        due = claimable_dues(lease=own.lease, today=today)[0]
        claim = svc.claim_submit(
            actor=world.user("landlord"), guarantee=own, due_ids=[due.pk], today=today
        )
        claim = svc.claim_request_documents(actor=world.user("admin2"), claim=claim, note=NOTE)
        claim_document_add(
            actor=world.user("landlord"),
            claim=claim,
            kind="lease",
            upload=SimpleUploadedFile("contratto.pdf", b"%PDF-1.4\n%%EOF"),
        )
        return claim

    return {
        "submitted": submitted,
        "under_review": reviewed,
        "documents_requested": documents_requested,
        "approved": approved,
        "sent": sent_by_admin3,
        "paid": lambda: claim_pay(actor=world.user("admin1"), claim=sent_by_admin3()),
        "rejected": lambda: svc.claim_reject(
            actor=world.user("admin1"), claim=submitted(), note=NOTE
        ),
    }


def plan_make(world, today):
    """A proposed recovery plan of €600 for a payout the fund made."""
    from fund.tests.recovery_factories import make_plan

    return make_plan(
        fund=world.fund, household=world.households[1], actor=world.admin, amount="600.00"
    )


def recovery_plan_states(world, today):
    from fund.services import recovery as svc
    from fund.services import waivers

    admin = world.admin

    def active():
        return svc.recovery_plan_activate(
            actor=admin, plan=plan_make(world, today), instalment_count=3, first_due_on=today
        )

    def repaid():
        plan = active()
        svc.recovery_payment_record(actor=admin, plan=plan, amount=plan.amount, paid_on=today)
        return plan

    def waived():
        plan = plan_make(world, today)
        waiver = waivers.waiver_propose(actor=admin, plan=plan, kind="hardship", reason=NOTE)
        waivers.waiver_approve(actor=world.user("admin2"), waiver=waiver, note=NOTE)
        return plan

    return {
        "proposed": lambda: plan_make(world, today),
        "active": active,
        "repaid": repaid,
        "waived": waived,
    }


def recovery_waiver_states(world, today):
    """Waivers proposed by admin1 (so admin2 is the one who may approve)."""
    from fund.services import waivers as svc

    def proposed():
        return svc.waiver_propose(
            actor=world.admin, plan=plan_make(world, today), kind="hardship", reason=NOTE
        )

    return {
        "proposed": proposed,
        "approved": lambda: svc.waiver_approve(
            actor=world.user("admin2"), waiver=proposed(), note=NOTE
        ),
        "rejected": lambda: svc.waiver_reject(
            actor=world.user("admin2"), waiver=proposed(), note=NOTE
        ),
    }


def leverage_change_states(world, today):
    """Changes of the fund's leverage, proposed by admin1; admin2 is the second pair of eyes.
    One proposal at a time per fund, so they are made one after the other."""
    from decimal import Decimal

    from fund.services import funds as svc

    def propose(leverage):
        return svc.leverage_change_propose(
            actor=world.admin, fund=world.fund, leverage=Decimal(leverage), reason=NOTE
        )

    return {
        "rejected": lambda: svc.leverage_change_reject(
            actor=world.admin, change=propose("4.50"), note=NOTE
        ),
        "approved": lambda: svc.leverage_change_approve(
            actor=world.user("admin2"), change=propose("4.00")
        ),
        "proposed": lambda: propose("4.25"),
    }


def payee_change_states(world, today):
    """New IBANs of the world's landlord, proposed by admin1; admin2 is the second pair of eyes.
    One proposal at a time per landlord, so they are made one after the other."""
    from stdnum import iban as stdnum_iban

    from housing.services import payees as svc

    def iban(n):
        bban = f"X05428111010000009{n:05d}"
        return "IT" + stdnum_iban.calc_check_digits("IT00" + bban) + bban

    def propose(n):
        return svc.payee_change_propose(
            actor=world.admin, landlord=world.landlord, iban=iban(n), reason=NOTE
        )

    return {
        "rejected": lambda: svc.payee_change_reject(
            actor=world.admin, change=propose(1), note=NOTE
        ),
        "approved": lambda: svc.payee_change_approve(
            actor=world.user("admin2"), change=propose(2), note=NOTE
        ),
        "proposed": lambda: propose(3),
    }


def contribution_proposal_states(world, today):
    """Contributions above the four-eyes threshold, recorded by admin1; admin2 approves."""
    from fund.services import contributions as svc

    def propose():
        return svc.contribution_propose(
            actor=world.admin,
            fund=world.fund,
            funder="Fondazione Cariplo",
            kind="foundation",
            amount=eur("60000.00"),
            date=today,
        )

    return {
        "proposed": propose,
        "approved": lambda: svc.contribution_proposal_approve(
            actor=world.user("admin2"), proposal=propose(), note=NOTE
        ),
        "rejected": lambda: svc.contribution_proposal_reject(
            actor=world.admin, proposal=propose(), note=NOTE
        ),
    }


def payout_batch_states(world, today):
    """SEPA files of one approved claim each, sent by admin3 (neither reviewer nor approver)."""
    from fund.services.payouts import payout_batch_cancel
    from fund.tests.payouts import claim_pay, claim_send_to_bank

    def sent():
        claim = claim_states(world, today)["approved"]()
        return claim_send_to_bank(claim=claim, sender=world.user("admin3")).payout_batch

    def completed():
        batch = sent()
        claim_pay(actor=world.user("admin1"), claim=batch.claims.get())
        batch.refresh_from_db()
        return batch

    return {
        "sent": sent,
        "cancelled": lambda: payout_batch_cancel(actor=world.admin, batch=sent(), note=NOTE),
        "completed": completed,
    }


def reconciliation_period_states(world, today):
    """Periods of the fund's bank account long ago, where nothing moved: nothing differs."""
    from fund.services.fund_bank import reconciliation_period_close, reconciliation_period_open

    made = []

    def opened():
        made.append(1)
        start = today - timedelta(days=4000 + 40 * len(made))
        return reconciliation_period_open(
            actor=world.admin, fund=world.fund, start=start, end=start + timedelta(days=30)
        )

    return {
        "open": opened,
        "closed": lambda: reconciliation_period_close(actor=world.admin, period=opened()),
    }


BUILDERS = {
    "tenancies.Lease": lease_states,
    "tenancies.Enrollment": enrollment_states,
    "tenancies.Placement": placement_states,
    "tenancies.ArrearsCase": arrears_case_states,
    "tenancies.EvictionCase": eviction_states,
    "tenancies.SupportPact": pact_states,
    "housing.LandlordAgreement": agreement_states,
    "fund.Guarantee": guarantee_states,
    "fund.Claim": claim_states,
    "fund.LeverageChange": leverage_change_states,
    "fund.ContributionProposal": contribution_proposal_states,
    "housing.PayeeChange": payee_change_states,
    "fund.RecoveryPlan": recovery_plan_states,
    "fund.RecoveryWaiver": recovery_waiver_states,
    "fund.PayoutBatch": payout_batch_states,
    "fund.ReconciliationPeriod": reconciliation_period_states,
}

# Where the page offers a step its service refuses: real bugs, reported, each checked on its
# own as a strict xfail (it fails loudly once fixed, so the entry is removed).
KNOWN_MISMATCHES: dict = {}

# Step data the generic filler cannot guess (dates that must be later than today).
FORM_VALUES = {
    ("eviction", "serve_summons"): lambda obj, today: {
        "hearing_on": (today + timedelta(days=30)).isoformat()
    },
    ("eviction", "adjourn"): lambda obj, today: {
        "adjourned_to": (today + timedelta(days=30)).isoformat()
    },
    ("eviction", "grant_grace"): lambda obj, today: {
        "days": 30,
        "new_hearing_on": (today + timedelta(days=35)).isoformat(),
    },
}


# --- posting a step's form ------------------------------------------------------------------


def form_data(workflow, step, obj, today) -> dict:
    """Valid data for a step's form, filled generically (text, today, the first choice, the
    smallest number), then the values `FORM_VALUES` gives for the step."""
    from djmoney.forms.fields import MoneyField

    form = step.form(obj=obj, note_required=True)
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, MoneyField):
            data[f"{name}_0"], data[f"{name}_1"] = "100.00", "EUR"
        elif isinstance(field, forms.ModelMultipleChoiceField):
            first = field.queryset.first()
            data[name] = [first.pk] if first else []
        elif isinstance(field, forms.ModelChoiceField):
            first = field.queryset.first()
            data[name] = first.pk if first else ""
        elif isinstance(field, forms.ChoiceField):
            values = [value for value, _label in field.choices if value not in ("", None)]
            data[name] = values[0] if values else ""
        elif isinstance(field, forms.DateField):
            data[name] = today.isoformat()
        elif isinstance(field, forms.BooleanField):
            data[name] = "on"
        elif isinstance(field, forms.IntegerField):
            data[name] = max(field.min_value or 1, 1)
        elif isinstance(field, forms.DecimalField):
            data[name] = str(field.min_value or "1.00")
        else:
            data[name] = NOTE
    extra = FORM_VALUES.get((workflow.key, step.name))
    return {**data, **(extra(obj, today) if extra else {})}


def state_of(obj, workflow):
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return getattr(fresh, workflow.field_name)


def step_url(workflow, obj, name):
    return reverse("common:step", args=[workflow.key, obj.pk, name])


def post_in_savepoint(client, url, data):
    """POST, measure what changed, and roll it all back."""
    sid = transaction.savepoint()
    try:
        before = lw.fingerprint()
        response = client.post(url, data)
        after = lw.fingerprint()
        return response, before, after
    finally:
        transaction.savepoint_rollback(sid)


# --- the test -------------------------------------------------------------------------------


def workflow_keys():
    return [workflow.key for workflow in workflows_all()]


def workflow_states(key, *, only=None):
    """The workflow, today, the world and its objects by state (made fresh from the database:
    a service may return an object whose fields it did not reload)."""
    workflow = next(w for w in workflows_all() if w.key == key)
    builder = BUILDERS.get(workflow.model._meta.label)
    if builder is None:
        pytest.fail(
            f"No builder of {workflow.model._meta.label} states in tests/test_workflow_steps.py: "
            f"add one so the {key!r} workflow is covered."
        )
    today = localdate()
    world = lw.world_build(today=today)
    states = {}
    for name, make in builder(world, today).items():
        if (only is None and (key, name) not in KNOWN_MISMATCHES) or name == only:
            obj = make()
            states[name] = type(obj)._default_manager.get(pk=obj.pk)
            # The builder made the state it names (it stays right as the services change).
            assert name.startswith(getattr(states[name], workflow.field_name)), name
    return workflow, today, world, states


@pytest.mark.django_db
@pytest.mark.parametrize("key", workflow_keys())
def test_every_step_of_every_state_for_every_role(key, client):
    workflow, today, world, states = workflow_states(key)
    problems = []
    for state_name, obj in states.items():
        assert workflow_for_model(type(obj)) is workflow
        problems += [f"{state_name}: {p}" for p in check_state(workflow, obj, world, client, today)]
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "state"),
    [
        pytest.param(key, state, marks=pytest.mark.xfail(strict=True, reason=reason))
        for (key, state), reason in KNOWN_MISMATCHES.items()
    ],
)
def test_known_mismatches(key, state, client):
    """Each known mismatch on its own: a strict xfail, so fixing the app fails it here."""
    workflow, today, world, states = workflow_states(key, only=state)
    assert check_state(workflow, states[state], world, client, today) == []


def check_state(workflow, obj, world, client, today) -> list[str]:
    problems = []
    for who in PROBE_USERS + FOUR_EYES.get(workflow.model._meta.label, ()):
        user = world.user(who)
        login_verified(client, user)
        offered = {step["name"] for step in next_steps(obj, user)}
        page = client.get(obj.get_absolute_url())
        if page.status_code == 200:
            html = page.content.decode()
            for step in workflow.steps:
                linked = step_url(workflow, obj, step.name) in html
                if linked != (step.name in offered):
                    problems.append(
                        f"{who} {step.name}: page links it={linked}, next_steps offers it="
                        f"{step.name in offered}"
                    )
        before_state = state_of(obj, workflow)
        for step in workflow.steps:
            url = step_url(workflow, obj, step.name)
            data = form_data(workflow, step, obj, today)
            response, before, after = post_in_savepoint(client, url, data)
            changed = lw.fingerprint_diff(before, after)
            if step.name in offered:
                moved = any(key == "states" for key in changed)
                audited = "common.AuditEvent:last" in changed
                if response.status_code != 302 or not (moved or audited):
                    problems.append(
                        f"{who} {step.name} (offered) did not run: {response.status_code} "
                        f"{refusal_of(response)}"
                    )
            elif changed:
                problems.append(f"{who} {step.name} (not offered) changed {sorted(changed)}")
            elif response.status_code not in (302, 403, 404):
                problems.append(f"{who} {step.name} (not offered): {response.status_code}")
        assert state_of(obj, workflow) == before_state  # the savepoints rolled every post back
    client.logout()
    return problems


def refusal_of(response) -> str:
    """What the step page said when it did not run: the form's errors, or the messages."""
    context = response.context
    form = context.get("form") if context is not None else None
    if form is not None and form.errors:
        return str(dict(form.errors))
    messages = [str(m) for m in context.get("messages", [])] if context is not None else []
    return "; ".join(messages)


def test_one_workflow_per_model():
    """`next_steps` finds a model's workflow by its class: two for one model would hide one."""
    models = [workflow.model for workflow in workflows_all()]
    assert len(models) == len(set(models))
