from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.middleware import SESSION_KEY, membership_is_set
from common.roles import ROLE_HOME_URL, Role
from common.selectors import (
    audit_events_for_programme,
    memberships_for_user,
    programme_staff_counts,
)


@login_required
def home(request):
    """Send each user to the starting page of their role in the current programme."""
    if membership_is_set(request.membership):
        return redirect(ROLE_HOME_URL[request.membership.role])
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "common/no_programme.html", status=403)


@login_required
def dashboard(request):
    """The role's overview of the current programme."""
    if not membership_is_set(request.membership):
        return redirect("home")
    programme = request.programme
    role = request.membership.role
    context = {"programme": programme, "staff_counts": programme_staff_counts(programme=programme)}
    if role in (Role.OPERATOR, Role.FUND_ADMIN):
        context["events"] = audit_events_for_programme(programme=programme)
    if role == Role.LANDLORD:
        context["landlords"] = request.user.landlords.filter(programme=programme)
    return render(request, f"common/dashboard_{role}.html", context)


@require_POST
@login_required
def programme_switch(request):
    """Work in another of the user's programmes."""
    try:
        programme_id = int(request.POST.get("programme", ""))
    except ValueError:
        programme_id = None
    membership = memberships_for_user(user=request.user).filter(programme_id=programme_id).first()
    if membership is None:
        messages.error(request, _("You are not a member of that programme."))
    else:
        request.session[SESSION_KEY] = membership.programme_id
        messages.success(
            request,
            _("You are now working in %(programme)s.") % {"programme": membership.programme},
        )
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    return HttpResponseRedirect(next_url)
