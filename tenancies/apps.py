from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenanciesConfig(AppConfig):
    name = "tenancies"
    verbose_name = _("Households and tenancies")
