from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Guarantee fund")

    def ready(self):
        from common.audit import register_verbs
        from fund import checks, integrity, search, workflows  # noqa: F401 - register checks, search, steps
        from fund.verbs import MODEL_VERB_LABELS, VERB_LABELS

        register_verbs(VERB_LABELS)
        for model, labels in MODEL_VERB_LABELS.items():
            register_verbs(labels, model=model)

        from fund import notifications, privacy

        # The fund's kinds of notification (common.notifications knows no domain).
        notifications.register()

        # tenancies does not know the fund: we add our rows to a household's data export and
        # our reasons to keep its data (an open guarantee, claim or recovery).
        privacy.register()
