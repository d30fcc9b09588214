from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Programmes, staff and audit")

    def ready(self):
        # charts: imports pygal once and tidies its import hook; middleware: starts the
        # session clock at each login.
        # duties: registers the tasks' integrity check; task_notifications: their kinds.
        from common import charts, duties, middleware, task_notifications  # noqa: F401

        task_notifications.register()
