from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Guarantee fund")

    def ready(self):
        from fund import integrity, workflows  # noqa: F401 - register checks and steps
