from random import Random

from django.urls import reverse

from common.demo import DemoProgramme
from common.money import eur
from common.roles import Role
from fund import demo as fund_demo
from fund.models import Contribution, Transaction
from fund.selectors.ledger import fund_figures


def test_demo_fund_has_the_promised_contributions(programme, member, client_of):
    admins = [member(Role.FUND_ADMIN), member(Role.FUND_ADMIN)]
    demo = DemoProgramme(programme=programme, users={Role.FUND_ADMIN: admins}, rng=Random(1))
    fund_demo.seed(demo)
    fund = programme.fund
    cariplo = Contribution.objects.get(funder="Fondazione Cariplo")
    assert cariplo.amount == eur("150000.00")
    municipal = Contribution.objects.filter(kind=Contribution.Kind.MUNICIPALITY)
    assert sum(c.amount.amount for c in municipal) == 50000
    assert Transaction.objects.filter(kind=Transaction.Kind.REVERSAL).count() == 1
    figures = fund_figures(fund=fund)
    donations = sum(
        c.amount.amount
        for c in Contribution.objects.filter(kind=Contribution.Kind.DONATION).exclude(
            transaction__reversed_by__isnull=False
        )
    )
    assert figures.cash.amount == 200000 + donations
    page = client_of(admins[0]).get(reverse("fund:dashboard"))
    assert page.status_code == 200
