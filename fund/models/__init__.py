from fund.models.funds import Contribution, Fund
from fund.models.ledger import Account, AccountCode, Entry, Transaction

__all__ = ["Account", "AccountCode", "Contribution", "Entry", "Fund", "Transaction"]
