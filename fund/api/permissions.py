"""Who may use the API: a key's user who is a landlord in the key's programme, now."""

from rest_framework.permissions import BasePermission

from common.roles import Role, holds_role
from fund.models.api_tokens import ApiToken


def request_programme(request):
    """The programme the request's key belongs to (the API's answer to the session's choice)."""
    return request.auth.programme


class IsProgrammeLandlord(BasePermission):
    """A valid key whose user still holds the landlord role in its programme; other roles,
    and landlords who lost the role, are refused (403), anonymous requests 401."""

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return False
        return holds_role(request.user, request.auth.programme_id, Role.LANDLORD)
