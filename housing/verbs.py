"""How the housing stock's events read on timelines (registered in HousingConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from housing.models import LandlordAgreement, PayeeChange

VERB_LABELS = {
    "login_linked": _("login linked"),
    "document_attached": _("document attached"),
    "noted": _("note written"),
    "alert_raised": _("alert raised"),
    "alert_handled": _("alert handled"),
    "costs_split": _("shared costs split"),
    "iban_changed": _("IBAN changed (approved by a second person)"),
}
# Transitions, past tense, for their own model only.
MODEL_VERB_LABELS = {
    LandlordAgreement: {
        "activate": _("agreement activated"),
        "suspend": _("agreement suspended"),
        "resume": _("agreement resumed"),
        "terminate": _("agreement terminated"),
    },
    PayeeChange: {
        "approve": _("new IBAN approved"),
        "reject": _("new IBAN rejected"),
    },
}
