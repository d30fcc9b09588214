from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from common.exceptions import DomainError
from common.forms import TOTPCodeForm, form_error
from common.fsm import state_label
from common.middleware import SESSION_KEY, membership_is_set
from common.permissions import role_required
from common.roles import ROLE_HOME_URL, STAFF_ROLES, Role
from common.search import QUERY_MAX_LENGTH, search_run, search_terms
from common.selectors import (
    audit_events_for_programme,
    memberships_for_user,
    programme_staff_counts,
    totp_device_confirmed,
)
from common.services import totp_device_confirm, totp_device_for_setup, totp_verify
from common.workflows import workflow_get


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
    if role == Role.MONITOR and ROLE_HOME_URL[role] != "common:dashboard":
        # The monitor's overview is the programme's indicators, which an app (reporting)
        # registers as the monitor's home: this page would only repeat staff counts.
        return redirect(ROLE_HOME_URL[role])
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


@login_required
@require_http_methods(["GET", "POST"])
def step_view(request, workflow, pk, step):
    """Confirm and run one step of any registered workflow (common.workflows).

    The object comes from the workflow's scoped getter (another programme's is a 404); the step
    is offered only when its transition's conditions and permission allow it to this user now,
    and the service decides again under lock, so what the page offers is what the service does.
    """
    flow = workflow_get(workflow)
    if flow is None or flow.step(step) is None:
        raise Http404
    obj = flow.get_object(request, pk)
    back = flow.back_url(request, obj)
    meta = flow.available(obj, request.user).get(step)
    if meta is None:
        messages.error(request, _("That step is not possible now."))
        return redirect(back)
    definition = flow.step(step)
    form = definition.form(request.POST or None, obj=obj, note_required=meta["needs_note"])
    if request.method == "POST" and form.is_valid():
        try:
            flow.run(definition, actor=request.user, obj=obj, data=form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": meta["label"]})
            return redirect(back)
    context = {
        "object": obj,
        "step": meta,
        "transition_label": meta["label"],
        "state_label": state_label(obj, flow.field_name),
        "form": form,
        "cancel_url": back,
        "danger": meta["danger"],
    }
    if definition.context is not None:
        context.update(definition.context(obj, request.user))
    return render(request, definition.template, context)


def _next_url(request) -> str:
    """Where to go after the code: the page that asked for it, if it is one of ours."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """A fund administrator without an authenticator sets one up: the page shows a fresh
    secret as a QR code and as text, and a code from the app confirms it and this session."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if totp_device_confirmed(user=request.user) is not None:
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    form = TOTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = totp_device_confirm(user=request.user, token=form.cleaned_data["code"])
        except DomainError as error:
            form_error(form, error)
        else:
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request))
    device = totp_device_for_setup(user=request.user)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            # Inline SVG: no image request, no data: URL for the CSP to allow.
            "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """After the password, a fund administrator types the code of their authenticator."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if totp_device_confirmed(user=request.user) is None:
        return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
    form = TOTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = totp_verify(user=request.user, token=form.cleaned_data["code"])
        except DomainError as error:
            form_error(form, error)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@role_required(*STAFF_ROLES)
def search_view(request):
    """The header's search box: what the user's role may find in the programme, by kind."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    groups = search_run(programme=request.programme, role=request.membership.role, query=query)
    return render(
        request,
        "common/search.html",
        {
            "query": query,
            "groups": groups,
            "too_short": bool(query) and not search_terms(query),
        },
    )
