"""The inbox and the preferences: every signed-in user's own, whatever their role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.middleware import SESSION_KEY
from common.notifications import selectors, services
from common.notifications.forms import PreferencesForm
from common.notifications.kinds import kinds_for_roles
from common.pagination import paginate


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.inbox_for_user(user=request.user, unread_only=unread_only)
    page = paginate(request, rows)
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
def notification_open(request, pk):
    """Mark the notification read and go to what it is about, in its programme."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.programme_id and request.session.get(SESSION_KEY) != notification.programme_id:
        request.session[SESSION_KEY] = notification.programme_id
    link = notification.link
    if not link or not url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        link = reverse("notifications:inbox")
    return HttpResponseRedirect(link)


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notifications:inbox")


@login_required
def notification_mark_read(request, pk):
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.notification_mark_read(user=request.user, notification=notification)
    return _back(request)


@login_required
@require_POST
def notifications_mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return _back(request)


@login_required
def preferences(request):
    kinds = kinds_for_roles(m.role for m in request.memberships)
    current = selectors.settings_for_user(user=request.user)
    initial = PreferencesForm.initial_for(
        current=current, preferences=selectors.preferences_for_user(user=request.user), kinds=kinds
    )
    form = PreferencesForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_save(
            user=request.user,
            language=form.cleaned_data["language"],
            email_frequency=form.cleaned_data["email_frequency"],
            choices=form.choices(),
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
