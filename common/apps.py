from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Programmes, staff and audit")

    def ready(self):
        from common import charts  # noqa: F401 - imports pygal once and tidies its import hook
