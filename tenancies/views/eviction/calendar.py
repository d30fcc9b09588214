"""The operator's eviction deadlines as a calendar feed, and the page that issues its address."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from common.models import Programme
from tenancies.models import CalendarToken
from tenancies.selectors import eviction as selectors
from tenancies.services import eviction as services
from tenancies.views.common import operator_required


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_calendar_view(request):
    feed_url = ""
    if request.method == "POST" and request.POST.get("action") == "revoke":
        if services.calendar_token_revoke(user=request.user, programme=request.programme):
            messages.success(request, _("Your calendar address no longer works."))
        return redirect("tenancies:eviction_calendar")
    if request.method == "POST":
        token = services.calendar_token_issue(user=request.user, programme=request.programme)
        feed_url = request.build_absolute_uri(reverse("tenancies:eviction_feed", args=[token]))
    has_token = CalendarToken.objects.filter(
        user=request.user, programme=request.programme
    ).exists()
    return render(
        request,
        "tenancies/eviction_calendar.html",
        {"feed_url": feed_url, "has_token": has_token},
    )


def eviction_feed_view(request, token):
    """The operator's deadlines as iCalendar; the secret in the address is the login, so
    calendar apps can subscribe. Events name the case, not the household."""
    entry = (
        CalendarToken.objects.filter(token_hash=services.calendar_token_hash(token))
        .select_related("user", "programme")
        .first()
    )
    if (
        entry is None
        or not entry.user.is_active
        or not entry.user.memberships.filter(programme=entry.programme, role="operator").exists()
    ):
        raise Http404
    programme: Programme = entry.programme
    calendar = Calendar()
    calendar.add("prodid", "-//Fondo di garanzia//Sfratti//IT")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Eviction deadlines"))
    stamp = timezone.now()
    for task in selectors.calendar_tasks_for(user=entry.user, programme=programme):
        event = Event()
        event.add("uid", f"eviction-{task.case_id}-{task.kind}@{programme.slug}")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.due_on)
        event.add(
            "summary",
            _("%(task)s · case %(case)s")
            % {"task": selectors.task_label(task.kind), "case": task.case_id},
        )
        event.add("description", task.source)
        event.add(
            "url",
            request.build_absolute_uri(reverse("tenancies:eviction_case", args=[task.case_id])),
        )
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
