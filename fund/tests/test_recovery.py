"""Recovery plans: the receivable, the schedule, repayments and waivers with four eyes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.db import transaction as db_transaction
from django.utils import timezone

from common.exceptions import DomainError
from common.models import AuditEvent
from common.money import eur
from fund.models import RecoveryPlan, RecoveryWaiver, Transaction
from fund.selectors.ledger import fund_figures
from fund.selectors.recovery import plan_progress, plans_with_amounts, recoveries_this_year
from fund.services.recovery import (
    recovery_payment_record,
    recovery_plan_activate,
    recovery_plan_create,
    recovery_plan_reschedule,
)
from fund.services.waivers import (
    community_hours_log,
    waiver_approve,
    waiver_propose,
    waiver_reject,
)
from fund.tests.recovery_factories import make_payout, make_plan

TODAY = timezone.localdate


def test_creating_a_plan_turns_the_payout_into_a_receivable(plan, fund, household):
    figures = fund_figures(fund=fund)
    assert plan.status == RecoveryPlan.Status.PROPOSED
    assert figures.receivable == eur("1200.00")
    assert figures.payouts == eur("0.00")
    assert AuditEvent.objects.filter(verb="created", target_id=str(plan.pk)).exists()


def test_a_payout_gets_one_plan_and_never_more_than_it_paid(fund, household, fund_admin):
    payout = make_payout(fund=fund, amount="500.00")
    with pytest.raises(DomainError):
        recovery_plan_create(
            actor=fund_admin,
            fund=fund,
            household=household,
            amount=eur("500.01"),
            payout_transaction=payout,
        )
    make_plan(fund=fund, household=household, actor=fund_admin, amount="500.00", payout=payout)
    with pytest.raises(DomainError):
        make_plan(fund=fund, household=household, actor=fund_admin, amount="1.00", payout=payout)


def test_activation_splits_the_amount_into_instalments_that_add_up(plan, fund_admin):
    first = TODAY() + timedelta(days=10)
    plan = recovery_plan_activate(
        actor=fund_admin, plan=plan, instalment_count=7, first_due_on=first
    )
    amounts = [i.amount.amount for i in plan.instalments.all()]
    assert len(amounts) == 7 and sum(amounts) == Decimal("1200.00")
    assert amounts[0] >= amounts[-1]
    assert plan.status == RecoveryPlan.Status.ACTIVE


def test_repayments_reduce_the_receivable_and_complete_the_plan(plan, fund, fund_admin):
    recovery_plan_activate(actor=fund_admin, plan=plan, instalment_count=3, first_due_on=TODAY())
    recovery_payment_record(
        actor=fund_admin, plan=plan, amount=eur("400.00"), paid_on=TODAY(), note="bonifico"
    )
    progress = plan_progress(plan=plan)
    assert progress.repaid == eur("400.00") and progress.outstanding == eur("800.00")
    assert [i.state for i in progress.instalments] == ["paid", "upcoming", "upcoming"]
    with pytest.raises(DomainError):
        recovery_payment_record(
            actor=fund_admin, plan=plan, amount=eur("800.01"), paid_on=TODAY(), note=""
        )
    recovery_payment_record(
        actor=fund_admin, plan=plan, amount=eur("800.00"), paid_on=TODAY(), note=""
    )
    plan.refresh_from_db()
    assert plan.status == RecoveryPlan.Status.REPAID
    figures = fund_figures(fund=fund)
    assert figures.receivable == eur("0.00")
    assert figures.recoveries == eur("1200.00")
    assert figures.payouts == eur("1200.00")
    assert recoveries_this_year(fund=fund) == eur("1200.00")


def test_late_instalments_are_the_past_due_unpaid_ones(plan, fund_admin):
    recovery_plan_activate(
        actor=fund_admin, plan=plan, instalment_count=4, first_due_on=TODAY() - timedelta(days=40)
    )
    states = [i.state for i in plan_progress(plan=plan).instalments]
    assert states[:2] == ["late", "late"] and states[2:] == ["upcoming", "upcoming"]


def test_reschedule_keeps_what_is_repaid_and_still_adds_up(plan, fund_admin):
    recovery_plan_activate(
        actor=fund_admin, plan=plan, instalment_count=4, first_due_on=TODAY() - timedelta(days=5)
    )
    recovery_payment_record(actor=fund_admin, plan=plan, amount=eur("350.00"), paid_on=TODAY())
    with pytest.raises(DomainError):
        recovery_plan_reschedule(
            actor=fund_admin, plan=plan, instalment_count=6, first_due_on=TODAY(), note=""
        )
    plan = recovery_plan_reschedule(
        actor=fund_admin,
        plan=plan,
        instalment_count=9,
        first_due_on=TODAY() + timedelta(days=30),
        note="Ha perso il lavoro: rate più piccole.",
    )
    instalments = list(plan.instalments.all())
    assert len(instalments) == 10
    assert sum(i.amount.amount for i in instalments) == Decimal("1200.00")
    event = AuditEvent.objects.filter(verb="reschedule").get()
    assert event.data["before"] and event.data["after"]


def test_waiver_needs_a_second_admin_superuser_included(plan, fund, fund_admin, member):
    superuser = member("fund_admin", username="root", is_superuser=True, is_staff=True)
    with pytest.raises(DomainError):
        waiver_propose(actor=fund_admin, plan=plan, kind="hardship", reason="  ")
    waiver = waiver_propose(
        actor=superuser, plan=plan, kind="hardship", reason="Invalidità sopravvenuta"
    )
    with pytest.raises(DomainError):
        waiver_approve(actor=superuser, waiver=waiver)
    waiver.refresh_from_db()
    assert waiver.status == RecoveryWaiver.Status.PROPOSED
    waiver_approve(actor=fund_admin, waiver=waiver, note="D'accordo")
    plan.refresh_from_db()
    assert plan.status == RecoveryPlan.Status.WAIVED
    figures = fund_figures(fund=fund)
    assert figures.receivable == eur("0.00") and figures.write_offs == eur("1200.00")


def test_operators_and_the_proposer_cannot_approve(plan, fund_admin, operator):
    waiver = waiver_propose(actor=fund_admin, plan=plan, kind="other", reason="Trasferita")
    for user in (fund_admin, operator):
        with pytest.raises(DomainError):
            waiver_approve(actor=user, waiver=waiver)
    with pytest.raises(DomainError):
        waiver_propose(actor=operator, plan=plan, kind="other", reason="x")


def test_the_database_refuses_self_approval(plan, fund_admin):
    waiver = waiver_propose(actor=fund_admin, plan=plan, kind="other", reason="Trasferita")
    with pytest.raises(IntegrityError), db_transaction.atomic():
        RecoveryWaiver.objects.filter(pk=waiver.pk).update(status="approved", decided_by=fund_admin)


def test_community_pact_waiver_needs_the_pact_and_hours(
    plan, household, fund, fund_admin, second_admin
):
    from tenancies.models import SupportPact

    pact = SupportPact.objects.create(
        household=household,
        goal="Restare nella casa",
        starts_on=TODAY() - timedelta(days=90),
        ends_on=TODAY() + timedelta(days=270),
    )
    recovery_plan_activate(actor=fund_admin, plan=plan, instalment_count=6, first_due_on=TODAY())
    recovery_payment_record(actor=fund_admin, plan=plan, amount=eur("200.00"), paid_on=TODAY())
    with pytest.raises(DomainError):
        waiver_propose(actor=fund_admin, plan=plan, kind="community_pact", reason="Ore", pact=pact)
    community_hours_log(
        actor=fund_admin,
        plan=plan,
        date=TODAY(),
        hours=Decimal("12.5"),
        activity="Doposcuola in parrocchia",
        pact=pact,
    )
    waiver = waiver_propose(
        actor=fund_admin, plan=plan, kind="community_pact", reason="40 ore previste", pact=pact
    )
    with pytest.raises(DomainError):
        waiver_propose(actor=second_admin, plan=plan, kind="hardship", reason="doppia")
    waiver_approve(actor=second_admin, waiver=waiver)
    progress = plan_progress(plan=RecoveryPlan.objects.get(pk=plan.pk))
    assert progress.repaid == eur("200.00") and progress.written_off == eur("1000.00")
    assert progress.outstanding == eur("0.00")
    write_off = waiver.plan.waivers.get().transaction
    assert write_off.kind == Transaction.Kind.WRITE_OFF


def test_rejected_waiver_leaves_the_plan_running(plan, fund_admin, second_admin):
    waiver = waiver_propose(actor=fund_admin, plan=plan, kind="other", reason="Trasferita")
    with pytest.raises(DomainError):
        waiver_reject(actor=second_admin, waiver=waiver, note="")
    waiver_reject(actor=second_admin, waiver=waiver, note="Può pagare")
    plan.refresh_from_db()
    assert plan.status == RecoveryPlan.Status.PROPOSED
    assert plans_with_amounts(fund=plan.fund)[0].outstanding == eur("1200.00")


def test_another_programmes_household_cannot_get_a_plan(fund, fund_admin, other_programme):
    from tenancies.tests.factories import HouseholdFactory

    theirs = HouseholdFactory(programme=other_programme)
    with pytest.raises(DomainError):
        make_plan(fund=fund, household=theirs, actor=fund_admin)


def test_a_plans_postings_cannot_be_reversed_from_the_ledger(plan, fund_admin):
    """Reversing the receivable after repayments would take it below zero; the plan's own
    steps (reschedule, waiver) are the way to change it."""
    from fund.selectors.ledger import is_reversible
    from fund.services.ledger import transaction_reverse

    posting = Transaction.objects.get(reference_id=str(plan.pk), kind=Transaction.Kind.RECEIVABLE)
    assert not is_reversible(posting)
    with pytest.raises(DomainError, match="appartiene"):
        transaction_reverse(actor=fund_admin, transaction=posting, reason="errore")
