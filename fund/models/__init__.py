from fund.models.funds import Contribution, Fund
from fund.models.guarantees import Claim, ClaimMonth, Guarantee
from fund.models.ledger import Account, AccountCode, Entry, Transaction

__all__ = [
    "Account",
    "AccountCode",
    "Claim",
    "ClaimMonth",
    "Contribution",
    "Entry",
    "Fund",
    "Guarantee",
    "Transaction",
]
