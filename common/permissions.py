"""Who may open a view. Objects themselves are scoped by selectors (another programme's
object is a 404); these checks decide whether the page is for the user's role at all."""

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from common.middleware import membership_is_set


def has_role(request, roles) -> bool:
    return membership_is_set(request.membership) and request.membership.role in roles


class RoleRequiredMixin(LoginRequiredMixin):
    """Only users whose role in the current programme is one of `allowed_roles`."""

    allowed_roles: frozenset = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request, self.allowed_roles):
            raise PermissionDenied
        self.programme = request.programme
        self.membership = request.membership
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles):
    """Function-view twin of RoleRequiredMixin."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
