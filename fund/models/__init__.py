from fund.models.api_tokens import ApiToken
from fund.models.certificates import GuaranteeCertificate
from fund.models.claim_documents import ClaimDocument
from fund.models.claims import Claim, ClaimMonth
from fund.models.contribution_proposals import ContributionProposal
from fund.models.funds import Contribution, Fund, LeverageChange
from fund.models.guarantees import Guarantee
from fund.models.ledger import Account, AccountCode, Entry, Transaction
from fund.models.letters import ClaimLetter
from fund.models.payouts import (
    FundStatement,
    FundStatementLine,
    FundStatementUploadJob,
    PayoutBatch,
    ReconciliationPeriod,
)
from fund.models.recovery import RecoveryInstalment, RecoveryPayment, RecoveryPlan
from fund.models.stress import StressRun
from fund.models.waivers import CommunityHours, RecoveryWaiver

__all__ = [
    "Account",
    "AccountCode",
    "ApiToken",
    "Claim",
    "ClaimDocument",
    "ClaimLetter",
    "ClaimMonth",
    "CommunityHours",
    "Contribution",
    "ContributionProposal",
    "Entry",
    "Fund",
    "FundStatement",
    "FundStatementLine",
    "FundStatementUploadJob",
    "Guarantee",
    "GuaranteeCertificate",
    "LeverageChange",
    "PayoutBatch",
    "ReconciliationPeriod",
    "RecoveryInstalment",
    "RecoveryPayment",
    "RecoveryPlan",
    "RecoveryWaiver",
    "StressRun",
    "Transaction",
]
