from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from common.roles import ROLE_HOME_URL, Role
        from reporting import integrity  # noqa: F401 - registers the checks

        # Nothing knows reporting: it names itself the monitor's starting page, so the arrow
        # stays one-way (common.roles keeps the one table of homes).
        ROLE_HOME_URL[Role.MONITOR] = "reporting:monitor"
