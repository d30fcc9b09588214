"""Factories that build fund data through the services, so ledgers always balance."""

from decimal import Decimal

from django.utils import timezone

from common.money import eur
from fund.models import Contribution
from fund.services.funds import contribution_book, fund_create


def make_fund(*, programme, actor=None, leverage="1.00", name="Fondo di garanzia", **fields):
    return fund_create(
        actor=actor, programme=programme, name=name, leverage=Decimal(leverage), **fields
    )


def make_contribution(
    *, fund, amount="1000.00", actor=None, funder="Fondazione Cariplo", day=None, kind=None
):
    return contribution_book(
        actor=actor,
        fund=fund,
        funder=funder,
        kind=kind or Contribution.Kind.FOUNDATION,
        amount=eur(amount),
        date=day or timezone.localdate(),
    )
