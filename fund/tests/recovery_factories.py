"""Recovery test data built through the services: a payout the fund made, then its plan."""

from common.money import eur
from fund.models import AccountCode, Transaction
from fund.services.ledger import transaction_post
from fund.services.recovery import recovery_plan_create
from fund.tests.factories import make_contribution


def make_payout(*, fund, amount="1200.00", actor=None, day=None):
    """A payout to a landlord (PAYOUTS debit / BANK credit), after enough contributions."""
    make_contribution(fund=fund, amount=amount, actor=actor, day=day)
    return transaction_post(
        fund=fund,
        lines=[(AccountCode.PAYOUTS, eur(amount)), (AccountCode.BANK, -eur(amount))],
        actor=actor,
        description="Pagamento al proprietario",
        kind=Transaction.Kind.PAYOUT,
        date=day,
    )


def make_plan(*, fund, household, actor, amount="1200.00", payout=None):
    payout = payout or make_payout(fund=fund, amount=amount, actor=actor)
    return recovery_plan_create(
        actor=actor, fund=fund, household=household, amount=eur(amount), payout_transaction=payout
    )
