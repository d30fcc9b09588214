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


# The (programme id, role) pairs ProgrammeMiddleware read for the request's user: a role found
# there needs no query (a page asks `holds_role` once per workflow step it may offer).
HELD_ROLES_ATTRIBUTE = "_held_roles"


def holds_role(user, programme_id, role) -> bool:
    """Whether `user` holds `role` in the programme (False for anonymous users)."""
    if user is None or not user.is_authenticated:
        return False
    if (programme_id, role) in getattr(user, HELD_ROLES_ATTRIBUTE, ()):
        return True
    return user.memberships.filter(programme_id=programme_id, role=role).exists()


def is_programme_operator(instance, user) -> bool:
    """FSM transition permission: an operator of the object's programme."""
    return holds_role(user, instance.programme_for_audit().pk, Role.OPERATOR)


def is_programme_fund_admin(instance, user) -> bool:
    """FSM transition permission: a fund administrator of the object's programme."""
    return holds_role(user, instance.programme_for_audit().pk, Role.FUND_ADMIN)
