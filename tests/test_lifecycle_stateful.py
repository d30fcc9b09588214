"""One lifecycle that holds together: random sequences of steps across every app, through the
services only, with every integrity check after each step and nothing changed by a refusal.

The base world (tests/lifecycle_world.py) is built once per test; each example runs inside a
savepoint rolled back at its end, on a simulated clock that starts on a fixed day (so the
examples are the same whenever and wherever they run) and that a rule moves forward, running
the monthly run for each month it enters, as the scheduler would.
"""

import contextlib
import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from common import duties
from common.exceptions import DomainError
from common.integrity import integrity_run
from common.models import Task
from common.money import eur
from fund.models import Claim, Contribution, Guarantee, RecoveryPlan, RecoveryWaiver, Transaction
from fund.selectors.guarantees import claimable_dues
from fund.services import claims, fund_bank, guarantees, payouts, recovery, waivers
from fund.services.funds import contribution_book
from fund.services.ledger import transaction_reverse
from fund.statement_samples import payout_statement_csv
from fund.tests.payouts import fund_bank_account_ready
from housing.models import CaretakerNote, LandlordAgreement, SocialCondominium
from housing.services.agreements import agreement_transition
from housing.services.caretaking import caretaker_alert_handle, caretaker_note_create
from housing.tests.factories import CondominiumFactory
from tenancies.models import (
    ArrearsCase,
    Enrollment,
    EvictionCase,
    Household,
    Lease,
    PactCommitment,
    Payment,
    Placement,
    RentDue,
    SupportPact,
)
from tenancies.models.eviction import Cause
from tenancies.services import arrears, enrollment, eviction, leases, pacts, placements
from tenancies.services.monthly import run_monthly
from tenancies.services.payments import payment_record
from tests import lifecycle_world as lw

# Who tries a step: mostly someone allowed to, sometimes not (the services must refuse).
OPERATORS = st.sampled_from(["operator", "operator", "operator2", "admin1", "monitor", "landlord"])
ADMINS = st.sampled_from(["admin1", "admin2", "admin3", "admin1", "operator", "landlord"])
INDEX = st.integers(min_value=0, max_value=30)
NOTE = "Nota della prova"

# 15 examples of up to 25 steps take ~45 s of CPU (SQLite; ~2.5 s an example, the world ~5 s); set
# LIFECYCLE_EXAMPLES=200 for a deeper search before a release.
MAX_EXAMPLES = int(os.environ.get("LIFECYCLE_EXAMPLES", "15"))
STEPS = 25
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + (
    [Phase.shrink] if os.environ.get("LIFECYCLE_SHRINK") else []
)


def pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


class Lifecycle(RuleBasedStateMachine):
    world: lw.World  # set by the test before the machine runs

    def __init__(self):
        super().__init__()
        self.today = lw.START
        self.refusals = 0
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._clock = lw.clock(lambda: self.today)
        self._clock.__enter__()

    def teardown(self):
        self._clock.__exit__(None, None, None)
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- the two promises -----------------------------------------------------------------

    @invariant()
    def every_integrity_check_passes(self):
        violations = integrity_run()
        assert violations == [], [(v.check, v.label, v.message) for v in violations]

    def attempt(self, service, **kwargs):
        """Run a service; when it refuses, nothing may have changed."""
        before = lw.fingerprint()
        try:
            return service(**kwargs)
        except (DomainError, ValidationError) as error:
            changed = lw.fingerprint_diff(before, lw.fingerprint())
            assert not changed, (service.__name__, str(error), changed)
            self.refusals += 1
            return None

    def user(self, key):
        return self.world.user(key)

    @property
    def month(self) -> date:
        return self.today.replace(day=1)

    # --- time -----------------------------------------------------------------------------

    @rule(days=st.integers(min_value=0, max_value=45))
    def time_passes(self, days):
        """The clock moves on; the monthly run runs on the first of every month entered, and
        once more today (running it again changes nothing but what today makes due)."""
        target = self.today + timedelta(days=days)
        month = lw.add_months(self.month, 1)
        while month <= target:
            self.today = month
            run_monthly(month=month, today=month)
            month = lw.add_months(month, 1)
        self.today = target
        run_monthly(month=self.month, today=self.today, actor=self.user("operator"))

    # --- households and enrolment ---------------------------------------------------------

    @rule(eligible=st.booleans())
    def refer(self, eligible):
        self.attempt(
            lambda **kw: lw.household_make(self.world, **kw), today=self.today, eligible=eligible
        )

    @rule(
        i=INDEX,
        step=st.sampled_from(["start", "assess", "override", "reassess", "enrol", "exit", "open"]),
        who=OPERATORS,
    )
    def enrolment_step(self, i, step, who):
        actor = self.user(who)
        if step == "open":
            household = pick(Household.objects.filter(programme=self.world.programme), i)
            self.attempt(
                enrollment.enrollment_open, actor=actor, household=household, referred_on=self.today
            )
            return
        one = pick(Enrollment.objects.all(), i)
        services = {
            "start": (enrollment.enrollment_start_assessment, {}),
            "assess": (enrollment.enrollment_assess, {"today": self.today}),
            "override": (enrollment.enrollment_override, {"note": NOTE}),
            "reassess": (enrollment.enrollment_reassess, {}),
            "enrol": (enrollment.enrollment_enrol, {"on": self.today}),
            "exit": (
                enrollment.enrollment_exit,
                {"reason": Enrollment.ExitReason.AUTONOMY, "on": self.today},
            ),
        }
        service, kwargs = services[step]
        self.attempt(service, actor=actor, enrollment=one, **kwargs)

    # --- housing --------------------------------------------------------------------------

    @rule(
        i=INDEX,
        step=st.sampled_from(["activate", "suspend", "resume", "terminate"]),
        who=OPERATORS,
    )
    def agreement_step(self, i, step, who):
        agreement = pick(LandlordAgreement.objects.all(), i)
        self.attempt(
            agreement_transition,
            actor=self.user(who),
            agreement=agreement,
            transition=step,
            note=NOTE,
        )

    @rule(places=st.sampled_from([0, 0, 2]))
    def dwelling_add(self, places):
        self.attempt(
            lambda: lw.dwelling_make(self.world, landlord=self.world.landlord, places=places)
        )

    # --- placements -----------------------------------------------------------------------

    @rule(h=INDEX, d=INDEX, place=st.integers(min_value=1, max_value=3))
    def placement_propose(self, h, d, place):
        household = pick(Household.objects.all(), h)
        dwelling = pick(placement_dwellings(), d)
        self.attempt(
            placements.placement_propose,
            actor=self.user("operator"),
            household=household,
            dwelling=dwelling,
            place_number=place,
            proposed_on=self.today,
        )

    @rule(i=INDEX, step=st.sampled_from(["accept", "decline", "activate", "end"]), who=OPERATORS)
    def placement_step(self, i, step, who):
        placement = pick(Placement.objects.all(), i)
        if placement is None:
            return
        services = {
            "accept": (placements.placement_accept, {}),
            "decline": (placements.placement_decline, {"note": NOTE}),
            "activate": (placements.placement_activate, {"on": self.today}),
            "end": (
                placements.placement_end,
                {"reason": Placement.EndReason.AUTONOMY, "on": self.today},
            ),
        }
        service, kwargs = services[step]
        self.attempt(service, actor=self.user(who), placement=placement, **kwargs)

    # --- leases and rent ------------------------------------------------------------------

    @rule(i=INDEX, d=INDEX, offset=st.integers(min_value=-2, max_value=1), placed=st.booleans())
    def lease_create(self, i, d, offset, placed):
        """A lease that follows a placement, or (sometimes) one for any household and dwelling,
        which the service refuses unless that household holds a place there."""
        start = lw.add_months(self.month, offset)
        placement = pick(Placement.objects.filter(status__in=Placement.HOLDING_STATES), i)
        if placed and placement is not None:
            self.attempt(lambda: lw.lease_make(self.world, placement=placement, start=start))
            return
        household = pick(Household.objects.all(), i)
        dwelling = pick(placement_dwellings(), d)
        self.attempt(
            lambda: lw.lease_make(self.world, household=household, dwelling=dwelling, start=start)
        )

    @rule(
        i=INDEX,
        step=st.sampled_from(["activate", "withdraw", "end", "terminate", "record_eviction"]),
        who=OPERATORS,
    )
    def lease_step(self, i, step, who):
        lease = pick(Lease.objects.all(), i)
        actor = self.user(who)
        if step == "activate":
            self.attempt(leases.lease_activate, actor=actor, lease=lease, today=self.today)
            return
        if step == "withdraw":
            self.attempt(leases.lease_withdraw, actor=actor, lease=lease, note=NOTE)
            return
        service = {
            "end": leases.lease_end,
            "terminate": leases.lease_terminate,
            "record_eviction": leases.lease_record_eviction,
        }[step]
        self.attempt(service, actor=actor, lease=lease, on=self.today, note=NOTE)

    @rule(
        i=INDEX,
        months=st.sampled_from([Decimal("1"), Decimal("0.5"), Decimal("2")]),
        reference=st.sampled_from(["", "", "CRO-0001"]),
    )
    def pay_rent(self, i, months, reference):
        lease = pick(Lease.objects.all(), i)
        self.attempt(
            payment_record,
            actor=self.user("operator"),
            lease=lease,
            amount=eur(lease.monthly_due.amount * months),
            paid_on=self.today,
            method=Payment.Method.BANK_TRANSFER,
            payer=Payment.Payer.HOUSEHOLD,
            bank_reference=reference,
        )

    # --- arrears --------------------------------------------------------------------------

    @rule(i=INDEX, step=st.sampled_from(["contact", "plan", "escalate"]), who=OPERATORS)
    def arrears_step(self, i, step, who):
        case = pick(ArrearsCase.objects.all(), i)
        if case is None:
            return
        actor = self.user(who)
        if step == "contact":
            self.attempt(arrears.arrears_case_contact, actor=actor, case=case, note=NOTE)
        elif step == "plan":
            self.attempt(
                arrears.arrears_plan_agree,
                actor=actor,
                case=case,
                instalments=3,
                first_due=self.today + timedelta(days=10),
                today=self.today,
            )
        else:
            self.attempt(
                arrears.arrears_case_escalate, actor=actor, case=case, note=NOTE, on=self.today
            )

    @rule(i=INDEX)
    def landlord_reports_unpaid_rent(self, i):
        lease = pick(Lease.objects.all(), i)
        self.attempt(
            arrears.arrears_report_by_landlord,
            actor=self.user("landlord"),
            lease=lease,
            months=[self.month],
        )

    # --- the fund -------------------------------------------------------------------------

    @rule(amount=st.sampled_from(["500.00", "2500.00"]))
    def contribute(self, amount):
        self.attempt(
            contribution_book,
            actor=self.user("admin1"),
            fund=self.world.fund,
            funder="Comune di Montichiari",
            kind=Contribution.Kind.MUNICIPALITY,
            amount=eur(amount),
            date=self.today,
        )

    @rule(i=INDEX)
    def reverse_a_posting(self, i):
        # Not a guarantee's postings (its exposure): the ledger lets them be reversed and the
        # guarantee's exposure no longer matches (a known bug, the strict xfail below).
        posting = pick(Transaction.objects.exclude(reference_type__in=guarantee_types()), i)
        self.attempt(
            transaction_reverse,
            actor=self.user("admin2"),
            transaction=posting,
            reason=NOTE,
            date=self.today,
        )

    @rule(i=INDEX, who=OPERATORS)
    def guarantee_request(self, i, who):
        lease = pick(Lease.objects.all(), i)
        self.attempt(
            guarantees.guarantee_request, actor=self.user(who), fund=self.world.fund, lease=lease
        )

    @rule(
        i=INDEX,
        step=st.sampled_from(["approve", "activate", "release", "expire", "cancel"]),
        who=ADMINS,
    )
    def guarantee_step(self, i, step, who):
        guarantee = pick(Guarantee.objects.all(), i)
        service = getattr(guarantees, f"guarantee_{step}")
        self.attempt(service, actor=self.user(who), guarantee=guarantee, note=NOTE)

    @rule(
        i=INDEX,
        months=st.integers(min_value=1, max_value=3),
        who=st.sampled_from(["landlord", "operator", "admin1"]),
    )
    def claim_submit(self, i, months, who):
        guarantee = pick(Guarantee.objects.all(), i)
        dues = [due.pk for due in claimable_dues(lease=guarantee.lease, today=self.today)]
        dues = dues[:months]
        if not dues:  # a month that is not claimable: the service must say no
            dues = list(
                RentDue.objects.filter(lease=guarantee.lease).values_list("pk", flat=True)[:1]
            )
        self.attempt(
            claims.claim_submit,
            actor=self.user(who),
            guarantee=guarantee,
            due_ids=dues,
            today=self.today,
        )

    @rule(
        i=INDEX,
        step=st.sampled_from(["review", "approve", "send", "statement", "recall", "reject"]),
        who=ADMINS,
    )
    def claim_step(self, i, step, who):
        claim = pick(Claim.objects.all(), i)
        if claim is None:
            return
        actor = self.user(who)
        if step in ("reject", "recall"):
            self.attempt(getattr(claims, f"claim_{step}"), actor=actor, claim=claim, note=NOTE)
        elif step == "send":
            # The payout in a SEPA file of its own (four eyes: never its submitter, reviewer
            # or approver).
            fund_bank_account_ready(fund=claim.guarantee.fund, actor=self.world.admin)
            self.attempt(
                payouts.payout_batch_create,
                actor=actor,
                fund=claim.guarantee.fund,
                claims=[claim],
                execution_date=self.today,
            )
        elif step == "statement":
            # The fund's statement shows the debit (if the payout was sent): it confirms it.
            content = payout_statement_csv(
                claims=[claim], booked_on=self.today, opening=f"{claim.pk}-{claim.status}"
            )
            self.attempt(
                fund_bank.fund_statement_upload,
                actor=actor,
                fund=claim.guarantee.fund,
                file_name="estratto.csv",
                content=content,
            )
        else:
            self.attempt(getattr(claims, f"claim_{step}"), actor=actor, claim=claim)

    @rule(
        i=INDEX,
        step=st.sampled_from(["activate", "repay", "repay_all", "hours", "propose_waiver"]),
        who=ADMINS,
    )
    def recovery_step(self, i, step, who):
        plan = pick(RecoveryPlan.objects.all(), i)
        if plan is None:
            return
        actor = self.user(who)
        if step == "activate":
            self.attempt(
                recovery.recovery_plan_activate,
                actor=actor,
                plan=plan,
                instalment_count=4,
                first_due_on=self.today + timedelta(days=30),
            )
        elif step in ("repay", "repay_all"):
            amount = plan.amount if step == "repay_all" else eur("100.00")
            self.attempt(
                recovery.recovery_payment_record,
                actor=actor,
                plan=plan,
                amount=amount,
                paid_on=self.today,
            )
        elif step == "hours":
            self.attempt(
                waivers.community_hours_log,
                actor=actor,
                plan=plan,
                date=self.today,
                hours=Decimal("4"),
                activity="Cura del giardino condominiale",
            )
        else:
            self.attempt(
                waivers.waiver_propose,
                actor=actor,
                plan=plan,
                kind=RecoveryWaiver.Kind.HARDSHIP,
                reason=NOTE,
            )

    @rule(i=INDEX, approve=st.booleans(), who=ADMINS)
    def waiver_decide(self, i, approve, who):
        waiver = pick(RecoveryWaiver.objects.all(), i)
        if waiver is None:
            return
        service = waivers.waiver_approve if approve else waivers.waiver_reject
        self.attempt(service, actor=self.user(who), waiver=waiver, note=NOTE)

    # --- eviction prevention --------------------------------------------------------------

    @rule(i=INDEX, summons=st.booleans(), from_arrears=st.booleans())
    def eviction_open(self, i, summons, from_arrears):
        lease = pick(Lease.objects.all(), i)
        escalated = ArrearsCase.objects.filter(lease=lease, status=ArrearsCase.Status.ESCALATED)
        dates = (
            {"served_on": self.today, "hearing_on": self.today + timedelta(days=25)}
            if summons
            else {}
        )
        self.attempt(
            eviction.eviction_case_open,
            actor=self.user("operator"),
            lease=lease,
            on=self.today,
            cause=Cause.UNEMPLOYMENT,
            arrears_case=escalated.first() if from_arrears else None,
            **dates,
        )

    @rule(
        i=INDEX,
        step=st.sampled_from(
            [
                "summons",
                "mediation",
                "settle",
                "hearing",
                "grace",
                "cure",
                "validate",
                "precetto",
                "access",
                "evict",
                "close_prevented",
                "rehouse",
                "withdraw",
            ]
        ),
        who=OPERATORS,
    )
    def eviction_step(self, i, step, who):
        case = pick(EvictionCase.objects.all(), i)
        if case is None:
            return
        actor, today = self.user(who), self.today
        later = today + timedelta(days=25)
        calls = {
            "summons": (
                eviction.eviction_summons_record,
                {"served_on": today, "hearing_on": later},
            ),
            "mediation": (eviction.eviction_mediation_start, {}),
            "settle": (
                eviction.eviction_settlement_record,
                {
                    "on": today,
                    "fund_cover": eur("300.00"),
                    "household_repays": eur("200.00"),
                    "instalments": 4,
                    "terms": NOTE,
                },
            ),
            "hearing": (eviction.eviction_hearing_hold, {"on": today}),
            "grace": (
                eviction.eviction_grace_grant,
                {"granted_on": today, "days": 60, "new_hearing_on": today + timedelta(days=70)},
            ),
            "cure": (eviction.eviction_cure, {"on": today}),
            "validate": (eviction.eviction_validate, {"on": today, "execution_from": later}),
            "precetto": (eviction.eviction_precetto_serve, {"on": today}),
            "access": (
                eviction.eviction_access_notice,
                {"notice_served_on": today, "access_on": today + timedelta(days=12)},
            ),
            "evict": (eviction.eviction_evict, {"on": today, "note": NOTE}),
        }
        if step in calls:
            service, kwargs = calls[step]
            self.attempt(service, actor=actor, case=case, **kwargs)
        else:
            self.attempt(
                eviction.eviction_close,
                actor=actor,
                case=case,
                transition=step,
                on=today,
                note=NOTE,
            )

    # --- pacts and the caretaker's alerts: duties of their own --------------------------

    @rule(
        i=INDEX,
        step=st.sampled_from(["draft", "sign", "review", "resume", "complete"]),
        who=OPERATORS,
    )
    def pact_step(self, i, step, who):
        actor, today = self.user(who), self.today
        if step == "draft":
            self.attempt(self._pact_draft, actor=actor, household=pick(Household.objects, i))
            return
        pact = pick(SupportPact.objects.all(), i)
        if pact is None:
            return
        if step == "sign":
            self.attempt(
                pacts.pact_sign,
                actor=actor,
                pact=pact,
                place="Montichiari",
                household_signatory="Anna",
                on=today,
            )
        elif step == "review":
            self.attempt(pacts.pact_start_review, actor=actor, pact=pact)
        else:
            service = pacts.pact_resume if step == "resume" else pacts.pact_complete
            self.attempt(
                service, actor=actor, pact=pact, held_on=today, outcome="on_track", note=NOTE
            )

    def _pact_draft(self, *, actor, household):
        with transaction.atomic():
            pact = pacts.pact_create(
                actor=actor,
                household=household,
                goal="Lavoro stabile",
                starts_on=self.today,
                ends_on=self.today + timedelta(days=365),
                review_every_months=3,
            )
            for party in (PactCommitment.Party.HOUSEHOLD, PactCommitment.Party.PROGRAMME):
                pacts.commitment_add(actor=actor, pact=pact, party=party, description=NOTE)
            return pact

    @rule(i=INDEX, handle=st.booleans(), who=OPERATORS)
    def caretaker_alert(self, i, handle, who):
        if handle:
            alert = pick(CaretakerNote.objects.filter(kind=CaretakerNote.Kind.ALERT), i)
            if alert is not None:
                self.attempt(caretaker_alert_handle, actor=self.user(who), note=alert)
            return
        condominium = SocialCondominium.objects.filter(programme=self.world.programme).first()
        if condominium is None:
            condominium = CondominiumFactory(programme=self.world.programme)
        self.attempt(
            caretaker_note_create,
            actor=self.user("caretaker"),
            condominium=condominium,
            text=NOTE,
            happened_on=self.today,
            kind=CaretakerNote.Kind.ALERT,
        )

    # --- the inbox: people close and move tasks; the duties still decide what is open ------

    @rule(i=INDEX, step=st.sampled_from(["done", "dismiss", "reassign"]), who=OPERATORS)
    def task_step(self, i, step, who):
        task = pick(Task.objects.all(), i)
        if task is None:
            return
        actor = self.user(who)
        if step == "done":
            self.attempt(duties.task_complete, actor=actor, task=task)
        elif step == "dismiss":
            self.attempt(duties.task_dismiss, actor=actor, task=task, reason=NOTE)
        else:
            self.attempt(duties.task_reassign, actor=actor, task=task, owner=self.user("operator2"))


def guarantee_types():
    from django.contrib.contenttypes.models import ContentType

    return [ContentType.objects.get_for_model(Guarantee)]


def placement_dwellings():
    from housing.models import Dwelling

    return Dwelling.objects.all()


@pytest.mark.django_db
def test_lifecycle_holds_together():
    Lifecycle.world = lw.world_build()
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            # Shrinking a 25-step failure took >5 minutes here; the raw sequence is readable.
            # LIFECYCLE_SHRINK=1 turns it back on when a failure needs a minimal example.
            phases=PHASES,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


@pytest.mark.django_db
def test_a_guarantee_s_posting_is_changed_through_the_guarantee_not_the_ledger():
    world = lw.world_build()
    guarantee = Guarantee.objects.get(fund=world.fund)
    reservation = Transaction.objects.get(
        kind=Transaction.Kind.EXPOSURE_RESERVE, reference_id=str(guarantee.pk)
    )
    with lw.clock_at(lw.START):
        with contextlib.suppress(DomainError):  # refusing is right; so is nothing broken
            transaction_reverse(
                actor=world.user("admin2"), transaction=reservation, reason=NOTE, date=lw.START
            )
        violations = integrity_run()
    assert violations == [], [(v.check, v.label, v.message) for v in violations]
