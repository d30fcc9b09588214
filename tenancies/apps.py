from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenanciesConfig(AppConfig):
    name = "tenancies"
    verbose_name = _("Households and tenancies")

    def ready(self):
        from common.audit import register_verbs
        from tenancies.selectors.timeline import VERB_LABELS

        register_verbs(VERB_LABELS)
