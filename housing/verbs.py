"""How the housing stock's events read on timelines (registered in HousingConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from housing.models import LandlordAgreement

VERB_LABELS = {
    "login_linked": _("login linked"),
    "document_attached": _("document attached"),
    "noted": _("note written"),
    "alert_raised": _("alert raised"),
    "alert_handled": _("alert handled"),
    "costs_split": _("shared costs split"),
}
# Transitions, past tense, for their own model only.
MODEL_VERB_LABELS = {
    LandlordAgreement: {
        "activate": _("agreement activated"),
        "suspend": _("agreement suspended"),
        "resume": _("agreement resumed"),
        "terminate": _("agreement terminated"),
    },
}
