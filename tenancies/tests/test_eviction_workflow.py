"""The eviction case on the step registry: the page offers what the services do; a settlement
says what it does; a closed case never blocks a new one; cases only for enrolled households."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.workflows import next_steps
from tenancies.models import EvictionCase
from tenancies.services import eviction as services
from tenancies.services.arrears import arrears_case_open
from tenancies.tests.eviction_factories import (
    active_lease,
    case_at_hearing,
    case_with_summons,
    pay_up,
    placement_for,
)

pytestmark = pytest.mark.django_db

TODAY = localdate()


def step_url(case, step):
    return reverse("common:step", args=["eviction", case.pk, step])


@pytest.fixture
def lease(programme, operator):
    return active_lease(programme=programme, operator=operator)


def test_the_page_lists_the_steps_the_procedure_allows(client, operator, fund_admin, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    offered = [step["name"] for step in next_steps(case, operator)]
    # Unpaid arrears cannot be cured (art. 55); no placement to have rehoused the household.
    assert offered == ["settle", "adjourn", "grant_grace", "validate", "oppose", "withdraw"]
    pay_up(case=case, operator=operator)
    placement_for(lease.household)
    offered = [step["name"] for step in next_steps(case, operator)]
    assert offered == [
        "settle",
        "adjourn",
        "grant_grace",
        "cure",
        "validate",
        "oppose",
        "rehouse",
        "withdraw",
    ]
    assert next_steps(case, fund_admin) == []
    client.force_login(operator)
    page = client.get(case.get_absolute_url()).content.decode()
    for name in offered:
        assert step_url(case, name) in page
    assert step_url(case, "serve_precetto") not in page


def test_a_step_runs_its_service_and_a_closing_note_is_required(client, operator, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    client.force_login(operator)
    refused = client.post(step_url(case, "withdraw"), {"on": TODAY.isoformat()})
    assert refused.status_code == 200 and refused.context["form"].errors["note"]
    done = client.post(step_url(case, "withdraw"), {"on": TODAY.isoformat(), "note": "Rinuncia"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == EvictionCase.Status.WITHDRAWN
    assert case.outcome == EvictionCase.Outcome.WITHDRAWN and case.closed_on == TODAY
    page = client.get(case.get_absolute_url()).content.decode()
    assert "La pratica è chiusa" in page
    assert next_steps(case, operator) == []


def test_the_settlement_says_what_it_records_and_what_the_operator_does_next(
    client, operator, lease
):
    case = case_with_summons(lease=lease, operator=operator, hearing_in=10)
    client.force_login(operator)
    form_page = client.get(step_url(case, "settle")).content.decode()
    assert 'id="settlement-next"' in form_page
    assert "Presenta una richiesta per il locatore" in form_page
    assert lease.get_absolute_url() in form_page
    response = client.post(
        step_url(case, "settle"),
        {
            "on": TODAY.isoformat(),
            "fund_cover": "600",
            "household_repays": "400",
            "instalments": 4,
            "terms": "Il proprietario rinuncia all'intimazione.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == EvictionCase.Status.SETTLED
    assert case.settlement_instalments == 4
    # Nothing but the case changed: no repayment plan appeared on the lease.
    assert not lease.arrears_cases.exists()
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="settlement-next"' in page and lease.get_absolute_url() in page


def test_the_settlement_points_to_the_arrears_case_where_a_plan_can_be_agreed(
    client, operator, lease
):
    arrears = arrears_case_open(actor=operator, lease=lease, on=TODAY, origin="operator")
    case = case_with_summons(lease=lease, operator=operator, hearing_in=10)
    client.force_login(operator)
    page = client.get(step_url(case, "settle")).content.decode()
    assert arrears.get_absolute_url() in page


def test_actions_besides_steps_are_offered_only_when_the_service_takes_them(
    client, operator, lease
):
    case = case_at_hearing(lease=lease, operator=operator)
    application = services.fund_application_create(
        actor=operator, case=case, applied_on=TODAY, amount_requested="1000"
    )
    client.force_login(operator)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("tenancies:eviction_access", args=[case.pk]) not in page
    assert reverse("tenancies:eviction_meeting", args=[case.pk]) in page
    decide = reverse("tenancies:eviction_fund_decide", args=[case.pk, application.pk])
    receive = reverse("tenancies:eviction_fund_receive", args=[case.pk, application.pk])
    assert decide in page and receive not in page
    services.fund_application_decide(
        actor=operator, application=application, granted=False, on=TODAY, note="Fuori tempo"
    )
    pay_up(case=case, operator=operator)
    services.eviction_cure(actor=operator, case=case, on=TODAY)
    page = client.get(case.get_absolute_url()).content.decode()
    assert decide not in page and receive not in page
    for name in ("eviction_meeting", "eviction_fund", "eviction_past_grace"):
        assert reverse(f"tenancies:{name}", args=[case.pk]) not in page
    with pytest.raises(DomainError):
        services.eviction_past_grace_record(
            actor=operator, case=case, granted_on=TODAY - timedelta(days=400)
        )


@pytest.mark.parametrize("close", ["withdraw", "rehouse", "cure"])
def test_a_closed_case_never_blocks_a_new_procedure(operator, lease, close):
    first = case_at_hearing(lease=lease, operator=operator)
    if close == "cure":
        pay_up(case=first, operator=operator)
        services.eviction_cure(actor=operator, case=first, on=TODAY)
    else:
        placement = placement_for(lease.household) if close == "rehouse" else None
        services.eviction_close(
            actor=operator, case=first, transition=close, on=TODAY, note="x", placement=placement
        )
    second = services.eviction_case_open(actor=operator, lease=lease, on=TODAY, cause="illness")
    assert second.pk != first.pk and second.status == EvictionCase.Status.AT_RISK
    assert list(EvictionCase.objects.open().filter(lease=lease)) == [second]


def test_the_open_form_offers_only_leases_a_case_may_be_opened_on(
    client, programme, operator, lease
):
    referred_only = active_lease(programme=programme, operator=operator, enrolled=False)
    busy = active_lease(programme=programme, operator=operator)
    case_with_summons(lease=busy, operator=operator)
    client.force_login(operator)
    form = client.get(reverse("tenancies:eviction_open")).context["form"]
    assert list(form.fields["lease"].queryset) == [lease]
    assert referred_only not in form.fields["lease"].queryset


def test_a_household_never_enrolled_gets_no_case(programme, operator):
    lease = active_lease(programme=programme, operator=operator, enrolled=False)
    with pytest.raises(DomainError, match="iscritt|enrolled"):
        services.eviction_case_open(actor=operator, lease=lease, on=TODAY, cause="illness")
    assert not EvictionCase.objects.exists()


def test_an_exited_household_keeps_eviction_prevention(operator, lease):
    lease.household.enrollments.update(status="exited", exited_on=TODAY, exit_reason="autonomy")
    case = services.eviction_case_open(actor=operator, lease=lease, on=TODAY, cause="illness")
    assert case.status == EvictionCase.Status.AT_RISK
