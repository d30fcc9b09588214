from fund.models.funds import Contribution, Fund
from fund.models.ledger import Account, AccountCode, Entry, Transaction
from fund.models.recovery import (
    CommunityHours,
    RecoveryInstalment,
    RecoveryPayment,
    RecoveryPlan,
    RecoveryWaiver,
)

__all__ = [
    "Account",
    "AccountCode",
    "CommunityHours",
    "Contribution",
    "Entry",
    "Fund",
    "RecoveryInstalment",
    "RecoveryPayment",
    "RecoveryPlan",
    "RecoveryWaiver",
    "Transaction",
]
