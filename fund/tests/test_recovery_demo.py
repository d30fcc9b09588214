from datetime import timedelta
from random import Random

from django.urls import reverse
from django.utils import timezone

from common.demo import DemoProgramme
from common.roles import Role
from fund import demo as fund_demo
from fund.models import RecoveryPlan, RecoveryWaiver
from fund.selectors.ledger import fund_figures
from tenancies.models import SupportPact
from tenancies.tests.factories import HouseholdFactory


def test_demo_has_plans_in_every_state(programme, member, client_of):
    admins = [member(Role.FUND_ADMIN), member(Role.FUND_ADMIN)]
    households = [HouseholdFactory(programme=programme) for _ in range(6)]
    today = timezone.localdate()
    SupportPact.objects.create(
        household=households[2],
        goal="Restare nella casa",
        starts_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=200),
    )
    demo = DemoProgramme(programme=programme, users={Role.FUND_ADMIN: admins}, rng=Random(3))
    fund_demo.seed(demo)
    states = set(RecoveryPlan.objects.values_list("status", flat=True))
    assert states == set(RecoveryPlan.Status.values)
    waived = RecoveryPlan.objects.get(status="waived")
    assert waived.household == households[2]
    assert waived.community_hours.count() == 4
    waiver = waived.waivers.get(status=RecoveryWaiver.Status.APPROVED)
    assert waiver.kind == "community_pact" and waiver.decided_by != waiver.proposed_by
    figures = fund_figures(fund=programme.fund)
    assert figures.recoveries.amount > 0 and figures.write_offs.amount > 0
    client = client_of(admins[1])
    assert client.get(reverse("fund:recoveries")).status_code == 200
    for plan in RecoveryPlan.objects.all():
        assert client.get(reverse("fund:recovery", args=[plan.pk])).status_code == 200
