from tenancies.models.arrears import ArrearsCase, ArrearsPolicy, Instalment, RepaymentPlan
from tenancies.models.arrears_history import ArrearsMonthEnd
from tenancies.models.bank import BankStatement, StatementLine, StatementUploadJob
from tenancies.models.documents import HouseholdDocument
from tenancies.models.enrollment import Assessment, EligibilityPolicy, Enrollment
from tenancies.models.eviction import (
    CalendarToken,
    EvictionCase,
    EvictionPolicy,
    EvictionTask,
    FundApplication,
    GraceUse,
    MediationMeeting,
)
from tenancies.models.households import (
    Household,
    IncomeSource,
    Member,
    ReferralSource,
    VulnerabilityFactor,
)
from tenancies.models.imports import ImportKind, ImportRow, ImportRun, Outcome
from tenancies.models.leases import Allocation, Lease, Payment, RentDue
from tenancies.models.pacts import PactCommitment, PactReview, SupportPact
from tenancies.models.placements import Placement
from tenancies.models.privacy import HouseholdAccess
from tenancies.models.risk import LeaseRisk
from tenancies.models.unpaid_reports import UnpaidRentReport

__all__ = [
    "ImportKind",
    "ImportRow",
    "ImportRun",
    "Outcome",
    "BankStatement",
    "StatementLine",
    "StatementUploadJob",
    "CalendarToken",
    "EvictionCase",
    "EvictionPolicy",
    "EvictionTask",
    "FundApplication",
    "GraceUse",
    "MediationMeeting",
    "Allocation",
    "ArrearsCase",
    "ArrearsPolicy",
    "Instalment",
    "Lease",
    "LeaseRisk",
    "ArrearsMonthEnd",
    "Payment",
    "RentDue",
    "RepaymentPlan",
    "Assessment",
    "EligibilityPolicy",
    "Enrollment",
    "Household",
    "HouseholdDocument",
    "HouseholdAccess",
    "IncomeSource",
    "Member",
    "PactCommitment",
    "PactReview",
    "Placement",
    "ReferralSource",
    "SupportPact",
    "UnpaidRentReport",
    "VulnerabilityFactor",
]
