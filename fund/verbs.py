"""How the fund's events read on timelines (registered in FundConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from fund.models import (
    Claim,
    ContributionProposal,
    Guarantee,
    PayoutBatch,
    ReconciliationPeriod,
    RecoveryPlan,
    RecoveryWaiver,
)

VERB_LABELS = {
    "settings_changed": _("fund settings changed"),
    "contribution_booked": _("contribution booked"),
    "ledger_posted": _("transaction posted to the ledger"),
    "certificate_issued": _("guarantee certificate issued"),
    "certificate_reissued": _("new version of the guarantee certificate issued"),
    "api_token_created": _("API key created"),
    "api_token_revoked": _("API key revoked"),
    "bank_account_changed": _("fund's bank account changed"),
}
# Transitions, past tense, for their own model only: several models "approve" or "activate".
MODEL_VERB_LABELS = {
    Guarantee: {
        "approve": _("guarantee approved"),
        "activate": _("guarantee activated"),
        "release": _("guarantee released"),
        "expire": _("guarantee expired"),
        "cancel": _("guarantee cancelled"),
        "exhaust": _("guarantee cover used up"),
    },
    Claim: {
        "document_added": _("document added to the claim"),
        "review": _("claim taken under review"),
        "request_documents": _("documents requested from the landlord"),
        "provide_documents": _("requested documents sent"),
        "approve": _("claim approved"),
        "reject": _("claim rejected"),
        "letter_issued": _("decision letter issued"),
        "payout_order_issued": _("payout order issued"),
        "payout_order_superseded": _("payout order superseded"),
        "send": _("payout sent to the bank"),
        "recall": _("payout recalled from the bank"),
        "pay": _("payout confirmed by the fund's statement"),
    },
    PayoutBatch: {
        "cancel": _("SEPA batch cancelled"),
        "complete": _("SEPA batch confirmed by the statement"),
    },
    ReconciliationPeriod: {
        "close": _("reconciliation period closed"),
    },
    RecoveryPlan: {
        "activate": _("recovery plan started"),
        "reschedule": _("recovery plan rescheduled"),
        "mark_repaid": _("fully repaid"),
        "waive": _("remaining debt waived"),
    },
    RecoveryWaiver: {
        "approve": _("waiver approved"),
        "reject": _("waiver rejected"),
    },
    ContributionProposal: {
        "approve": _("contribution approved and booked"),
        "reject": _("contribution rejected"),
    },
}
