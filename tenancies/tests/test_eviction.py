"""Eviction prevention services: the procedure's moves, its guards and the tasks it leaves."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.models import AuditEvent
from tenancies import legal_clock
from tenancies.models import ArrearsCase, EvictionCase, GraceUse, Lease, Payment
from tenancies.services import eviction as services
from tenancies.services.arrears import (
    arrears_case_contact,
    arrears_case_escalate,
    arrears_case_open,
)
from tenancies.tests.eviction_factories import (
    active_lease,
    case_at_hearing,
    case_with_summons,
    pay_up,
    placement_for,
)

pytestmark = pytest.mark.django_db

TODAY = localdate()


def days(n):
    return TODAY + timedelta(days=n)


@pytest.fixture(autouse=True)
def english():
    """Service messages are checked in English here; the pages' tests read the Italian."""
    with translation.override("en"):
        yield


@pytest.fixture
def lease(programme, operator):
    return active_lease(programme=programme, operator=operator)


def tasks(case):
    return [(t.kind, t.due_on) for t in case.tasks.order_by("due_on")]


def test_opened_with_a_summons_has_the_hearing_as_its_deadline(lease, operator):
    case = case_with_summons(lease=lease, operator=operator, hearing_in=25)
    assert case.status == EvictionCase.Status.SUMMONS_SERVED
    assert tasks(case) == [("hearing", days(25))]
    assert case.owner == operator
    events = AuditEvent.objects.filter(target_id=str(case.pk), target_type__model="evictioncase")
    assert {e.verb for e in events} == {"opened", "serve_summons"}
    assert all(e.context_id == str(lease.household_id) for e in events)


def test_opened_from_an_escalated_arrears_case_links_it(lease, operator):
    arrears = arrears_case_open(actor=operator, lease=lease, on=TODAY, origin="operator")
    arrears_case_contact(actor=operator, case=arrears, note="Chiamata")
    arrears_case_escalate(actor=operator, case=arrears, note="Intimazione in arrivo")
    case = services.eviction_case_open(
        actor=operator, lease=lease, on=TODAY, cause="illness", arrears_case=arrears
    )
    assert case.status == EvictionCase.Status.AT_RISK
    assert ArrearsCase.objects.get(pk=arrears.pk).eviction_case == case
    assert tasks(case) == []


def test_an_arrears_case_not_escalated_is_refused(lease, operator):
    arrears = arrears_case_open(actor=operator, lease=lease, on=TODAY, origin="operator")
    with pytest.raises(DomainError, match="escalated"):
        services.eviction_case_open(
            actor=operator, lease=lease, on=TODAY, cause="other", arrears_case=arrears
        )
    assert not EvictionCase.objects.exists()


def test_one_open_case_per_lease(lease, operator):
    case_with_summons(lease=lease, operator=operator)
    with pytest.raises(DomainError, match="already has an open"):
        services.eviction_case_open(actor=operator, lease=lease, on=TODAY, cause="other")
    assert EvictionCase.objects.count() == 1


def test_summons_needs_a_hearing_after_it(lease, operator):
    with pytest.raises(DomainError, match="after the summons"):
        services.eviction_case_open(
            actor=operator, lease=lease, on=TODAY, cause="other", served_on=TODAY, hearing_on=TODAY
        )
    assert not EvictionCase.objects.exists()


def test_enforcement_before_validation_is_refused_and_nothing_changes(lease, operator):
    case = case_at_hearing(lease=lease, operator=operator)
    before = list(AuditEvent.objects.values_list("pk", flat=True))
    with pytest.raises(DomainError) as error:
        services.eviction_precetto_serve(actor=operator, case=case, on=TODAY)
    assert "Precetto served" in error.value.message
    case.refresh_from_db()
    assert case.status == "hearing" and case.precetto_served_on is None
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == before


def test_grace_period_sets_its_deadlines_and_is_counted(lease, operator):
    case = case_at_hearing(lease=lease, operator=operator)
    case = services.eviction_grace_grant(
        actor=operator, case=case, granted_on=case.hearing_on, days=60, new_hearing_on=days(65)
    )
    assert case.status == "grace_period"
    # 60 days from the hearing, moved off a Sunday or holiday (c.p.c. art. 155)
    ends = legal_clock.grace_ends_on(case.hearing_on, 60)
    assert days(59) <= ends <= days(62)
    assert case.grace_ends_on == ends
    assert tasks(case) == [("grace_ends", ends), ("new_hearing", days(65))]
    assert GraceUse.objects.filter(household=lease.household, case=case).count() == 1
    pay_up(case=case, operator=operator)
    case = services.eviction_cure(actor=operator, case=case, on=TODAY, note="Pagato tutto")
    assert (case.status, case.outcome, case.closed_on) == ("cured", "cured_at_hearing", TODAY)
    assert tasks(case) == []


def test_grace_refused_with_a_warning_when_the_right_is_exhausted(lease, operator):
    case = case_at_hearing(lease=lease, operator=operator, cause="separation")
    for years_ago in (1, 2, 3):
        services.eviction_past_grace_record(
            actor=operator, case=case, granted_on=TODAY - timedelta(days=365 * years_ago - 10)
        )
    with pytest.raises(DomainError, match="exhausted: 3 granted"):
        services.eviction_grace_grant(
            actor=operator, case=case, granted_on=TODAY, days=30, new_hearing_on=days(35)
        )
    case.refresh_from_db()
    assert case.status == "hearing" and case.grace_ends_on is None
    assert GraceUse.objects.count() == 3


def test_job_loss_after_signing_allows_a_fourth_grace_of_120_days(lease, operator):
    case = case_at_hearing(
        lease=lease,
        operator=operator,
        cause="unemployment",
        cause_arose_on=date(2025, 6, 1),
        lease_signed_on=date(2024, 12, 1),
        arrears_amount="1100",
    )
    for years_ago in (1, 2, 3):
        services.eviction_past_grace_record(
            actor=operator, case=case, granted_on=TODAY - timedelta(days=365 * years_ago - 10)
        )
    case = services.eviction_grace_grant(
        actor=operator, case=case, granted_on=TODAY, days=120, new_hearing_on=days(125)
    )
    assert case.grace_exceptional and case.grace_days == 120


def test_grace_longer_than_the_law_allows_is_refused(lease, operator):
    case = case_at_hearing(lease=lease, operator=operator, cause="separation")
    with pytest.raises(DomainError) as error:
        services.eviction_grace_grant(
            actor=operator, case=case, granted_on=TODAY, days=100, new_hearing_on=days(105)
        )
    assert error.value.field == "days"
    latest = legal_clock.grace_new_hearing_latest(legal_clock.grace_ends_on(TODAY, 90))
    with pytest.raises(DomainError) as error:
        services.eviction_grace_grant(
            actor=operator,
            case=case,
            granted_on=TODAY,
            days=90,
            new_hearing_on=latest + timedelta(days=1),
        )
    assert error.value.field == "new_hearing_on"


def test_validation_precetto_access_and_eviction_end_the_lease(lease, operator):
    case = case_at_hearing(lease=lease, operator=operator, served_days_ago=120, hearing_in=-95)
    case = services.eviction_validate(actor=operator, case=case, on=days(-95))
    case = services.eviction_precetto_serve(actor=operator, case=case, on=days(-60))
    # 10 and 90 days, moved off a holiday (and the 90 off a Saturday): c.p.c. art. 155
    assert tasks(case) == [
        ("precetto_term", legal_clock.precetto_term_ends(days(-60))),
        ("precetto_lapse", legal_clock.precetto_lapses_on(days(-60))),
    ]
    with pytest.raises(DomainError) as error:
        services.eviction_access_notice(
            actor=operator, case=case, notice_served_on=days(-20), access_on=days(-15)
        )
    assert error.value.field == "access_on"
    # 10 days' notice; no access on a Sunday or holiday
    access_on = legal_clock.access_earliest(
        notice_served_on=days(-20), precetto_served_on=days(-60)
    )
    case = services.eviction_access_notice(
        actor=operator, case=case, notice_served_on=days(-20), access_on=access_on
    )
    assert tasks(case) == [("access", access_on)]
    case = services.eviction_access_postpone(
        actor=operator, case=case, access_on=days(0), note="Primo accesso rinviato"
    )
    assert case.access_postponements == 1
    case = services.eviction_evict(actor=operator, case=case, on=TODAY, note="Rilascio eseguito")
    assert (case.status, case.outcome) == ("evicted", "evicted")
    lease.refresh_from_db()
    assert (lease.status, lease.ended_on) == (Lease.Status.EVICTED, TODAY)


def test_a_lapsed_precetto_refuses_the_notice(lease, operator):
    case = case_at_hearing(lease=lease, operator=operator, served_days_ago=200, hearing_in=-170)
    case = services.eviction_validate(actor=operator, case=case, on=days(-170))
    case = services.eviction_precetto_serve(actor=operator, case=case, on=days(-100))
    with pytest.raises(DomainError, match="lapsed"):
        services.eviction_access_notice(
            actor=operator, case=case, notice_served_on=TODAY, access_on=days(15)
        )


def test_settlement_then_closed_prevented(lease, operator):
    case = case_with_summons(lease=lease, operator=operator, hearing_in=20)
    case = services.eviction_mediation_start(actor=operator, case=case)
    services.eviction_meeting_record(
        actor=operator, case=case, held_on=TODAY, result="agreement", note="Accordo"
    )
    case = services.eviction_settlement_record(
        actor=operator,
        case=case,
        on=TODAY,
        fund_cover="1200",
        household_repays="600",
        instalments=6,
        terms="Il proprietario rinuncia all'intimazione.",
    )
    assert case.status == "settled" and str(case.settlement_fund_cover.amount) == "1200.00"
    case = services.eviction_close(
        actor=operator, case=case, transition="close_prevented", on=TODAY, note="Rinuncia"
    )
    assert case.outcome == "prevented_settlement"


def test_withdrawn_and_rehoused_record_their_outcome(programme, operator, lease):
    case = case_with_summons(lease=lease, operator=operator)
    case = services.eviction_close(
        actor=operator, case=case, transition="withdraw", on=TODAY, note="Ritirato"
    )
    assert case.outcome == "withdrawn"
    other = active_lease(programme=programme, operator=operator)
    case = case_with_summons(lease=other, operator=operator)
    placement = placement_for(other.household)
    case = services.eviction_close(
        actor=operator,
        case=case,
        transition="rehouse",
        on=TODAY,
        note="Coabitazione via Roma",
        placement=placement,
    )
    assert (case.outcome, case.rehousing_note) == ("rehoused", "Coabitazione via Roma")
    assert case.rehousing_placement == placement
    with pytest.raises(DomainError, match="note"):
        services.eviction_close(actor=operator, case=case, transition="withdraw", on=TODAY, note="")


def test_public_fund_money_becomes_a_municipal_payment(lease, operator):
    case = case_with_summons(lease=lease, operator=operator)
    with pytest.raises(DomainError, match="at most"):
        services.fund_application_create(
            actor=operator, case=case, applied_on=TODAY, amount_requested="12000.01"
        )
    application = services.fund_application_create(
        actor=operator, case=case, applied_on=TODAY, amount_requested="3000"
    )
    with pytest.raises(DomainError):
        services.fund_application_receive(actor=operator, application=application, on=TODAY)
    application = services.fund_application_decide(
        actor=operator, application=application, granted=True, on=TODAY, amount="2500"
    )
    application = services.fund_application_receive(
        actor=operator, application=application, on=TODAY, bank_reference="FMI-1"
    )
    assert application.status == "received"
    payment = Payment.objects.get(pk=application.payment_id)
    assert (payment.payer, payment.method, str(payment.amount.amount)) == (
        "municipality",
        "public_contribution",
        "2500.00",
    )


def test_refusal_needs_a_reason(lease, operator):
    case = case_with_summons(lease=lease, operator=operator)
    application = services.fund_application_create(
        actor=operator, case=case, applied_on=TODAY, amount_requested="3000"
    )
    with pytest.raises(DomainError, match="refused"):
        services.fund_application_decide(
            actor=operator, application=application, granted=False, on=TODAY
        )


def test_only_operators_move_a_case(lease, operator, member):
    case = case_at_hearing(lease=lease, operator=operator)
    admin = member("fund_admin", username="fa")
    pay_up(case=case, operator=operator)
    with pytest.raises(DomainError, match="not allowed"):
        services.eviction_cure(actor=admin, case=case, on=TODAY)
    case.refresh_from_db()
    assert case.status == "hearing"
