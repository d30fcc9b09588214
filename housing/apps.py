from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = _("Housing stock")

    def ready(self):
        from housing import workflows  # noqa: F401 - registers the agreement's steps
