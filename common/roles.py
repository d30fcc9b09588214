"""The roles a user can hold in a programme, and where each one starts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Housing operator")
    FUND_ADMIN = "fund_admin", _("Fund administrator")
    CARETAKER = "caretaker", _("Social caretaker")
    MONITOR = "monitor", _("Monitor")
    LANDLORD = "landlord", _("Landlord")


# The page each role lands on after login. One place, so an app that builds a better
# starting page for a role changes one line here.
ROLE_HOME_URL = {
    Role.OPERATOR: "tenancies:caseload",
    Role.FUND_ADMIN: "fund:dashboard",
    Role.CARETAKER: "housing:caretaker_home",
    Role.MONITOR: "common:dashboard",
    Role.LANDLORD: "fund:my_guarantees",
}

# Roles that work on personal data of households (the back office).
STAFF_ROLES = frozenset({Role.OPERATOR, Role.FUND_ADMIN})
