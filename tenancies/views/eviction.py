"""Eviction prevention pages: dashboard by next deadline, case with its step line and actions,
the operator's calendar feed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.fsm import transitions_available
from common.models import Programme
from common.money import money_format
from tenancies import legal_clock
from tenancies.forms import eviction as forms
from tenancies.models import ArrearsCase, CalendarToken, EvictionCase, FundApplication
from tenancies.selectors import eviction as selectors
from tenancies.selectors.rent import lease_balance
from tenancies.services import eviction as services
from tenancies.services import eviction_actions as actions
from tenancies.services.documents import document_upload
from tenancies.views.common import form_error, operator_required


def _case(request, pk) -> EvictionCase:
    return get_object_or_404(selectors.eviction_case_list(programme=request.programme), pk=pk)


def _rules(request):
    return services.eviction_rules_for(programme_id=request.programme.pk)


@operator_required
def eviction_dashboard_view(request):
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    if show not in ("open", "overdue", "soon", "closed"):
        show = "open"
    mine = request.GET.get("mine") == "1"
    rules = _rules(request)
    rows = selectors.eviction_dashboard(
        programme=request.programme,
        today=today,
        rules=rules,
        show=show,
        owner=request.user if mine else None,
    )
    counts = selectors.eviction_counts(
        rows=selectors.eviction_dashboard(programme=request.programme, today=today, rules=rules)
        if show != "open" or mine
        else rows
    )
    return render(
        request,
        "tenancies/eviction_dashboard.html",
        {"rows": rows[:300], "show": show, "mine": mine, "counts": counts, "today": today},
    )


def _open_form_page(request, form, title, intro=""):
    return render(
        request,
        "tenancies/eviction_form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "cancel_url": reverse("tenancies:eviction_dashboard"),
        },
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_open_view(request):
    form = forms.CaseOpenForm(request.POST or None, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.eviction_case_open(
                actor=request.user,
                lease=data["lease"],
                on=timezone.localdate(),
                cause=data["cause"],
                cause_arose_on=data["cause_arose_on"],
                served_on=data["served_on"],
                hearing_on=data["hearing_on"],
                note=data["note"],
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Eviction prevention case opened."))
            return redirect(case)
    return _open_form_page(
        request,
        form,
        _("Open an eviction prevention case"),
        _(
            "Give the summons' dates if the household brought one; "
            "otherwise the case starts at risk."
        ),
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_from_arrears_view(request, pk):
    arrears = get_object_or_404(
        ArrearsCase.objects.in_programme(request.programme).select_related("lease__household"),
        pk=pk,
    )
    existing = EvictionCase.objects.filter(arrears_case=arrears).first()
    if existing is not None:
        return redirect(existing)
    form = forms.FromArrearsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.eviction_case_open(
                actor=request.user,
                lease=arrears.lease,
                on=timezone.localdate(),
                arrears_case=arrears,
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Eviction prevention case opened."))
            return redirect(case)
    return _open_form_page(
        request,
        form,
        _("Open eviction prevention for %(household)s") % {"household": arrears.lease.household},
    )


@operator_required
def eviction_case_view(request, pk):
    case = _case(request, pk)
    today = timezone.localdate()
    rules = _rules(request)
    meetings = list(case.meetings.all())
    first_meeting = min((m.held_on for m in meetings), default=None)
    allowance, exceptional = services.eviction_grace_allowance(case=case, on=today)
    household = case.lease.household
    hints = legal_clock.fund_eligibility_hints(
        isee=household.isee.amount if household.isee else None,
        cause=case.cause,
        summons_served=case.summons_served_on is not None,
        lease_registered=bool(case.lease.registration_number),
        rules=rules,
    )
    hint_labels = {
        "isee": _("ISEE up to %(max)s") % {"max": money_format(rules.fund_isee_max)},
        "cause": _("Income lost for a cause the fund accepts"),
        "summons": _("Eviction summons served"),
        "registered": _("Lease registered"),
    }
    tasks = [
        {
            "label": selectors.task_label(t.kind),
            "due_on": t.due_on,
            "source": t.source,
            "urgency": legal_clock.deadline_urgency(t.due_on, today, rules),
        }
        for t in case.tasks.all()
    ]
    return render(
        request,
        "tenancies/eviction_case.html",
        {
            "case": case,
            "household": household,
            "balance": lease_balance(lease=case.lease, today=today),
            "steps": selectors.eviction_steps(case=case, first_meeting=first_meeting),
            "tasks": tasks,
            "warnings": selectors.eviction_warnings(case=case, today=today, rules=rules),
            "transitions": [
                t
                for t in transitions_available(case, request.user)
                if t["name"] in forms.TRANSITION_FORMS
            ],
            "can_settle": "settle"
            in {t["name"] for t in transitions_available(case, request.user)},
            "allowance": allowance,
            "exceptional": exceptional,
            "grace_uses": selectors.grace_uses_for(case=case),
            "hints": [(hint_labels[code], ok) for code, ok in hints],
            "meetings": meetings,
            "applications": list(case.applications.select_related("payment")),
            "documents": household.documents.filter(kind="court"),
            "meeting_form": forms.MeetingForm(),
            "access_form": forms.AccessNoticeForm(),
            "postpone_form": forms.AccessPostponeForm(),
            "past_grace_form": forms.PastGraceForm(),
            "fund_form": forms.FundApplicationForm(),
            "decision_form": forms.FundDecisionForm(),
            "receipt_form": forms.FundReceiptForm(),
            "paper_form": forms.CourtPaperForm(),
            "events": audit_timeline(case, household)[:50],
        },
    )


def _post_action(request, case, form, action, success):
    """Run `action(cleaned_data)` for a form posted from the case page; errors become messages
    and nothing is saved."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, success)
            return redirect(case)
    for field in form:
        for error in field.errors:
            messages.error(request, f"{field.label}: {error}")
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect(case)


TRANSITION_SERVICES = {
    "serve_summons": lambda a, c, d: services.eviction_summons_record(actor=a, case=c, **d),
    "start_mediation": lambda a, c, d: services.eviction_mediation_start(actor=a, case=c, **d),
    "hold_hearing": lambda a, c, d: services.eviction_hearing_hold(actor=a, case=c, **d),
    "grant_grace": lambda a, c, d: services.eviction_grace_grant(actor=a, case=c, **d),
    "cure": lambda a, c, d: services.eviction_cure(actor=a, case=c, **d),
    "validate": lambda a, c, d: services.eviction_validate(actor=a, case=c, **d),
    "serve_precetto": lambda a, c, d: services.eviction_precetto_serve(actor=a, case=c, **d),
    "evict": lambda a, c, d: services.eviction_evict(actor=a, case=c, **d),
    "close_prevented": lambda a, c, d: services.eviction_close(
        actor=a, case=c, transition="close_prevented", **d
    ),
    "rehouse": lambda a, c, d: services.eviction_close(actor=a, case=c, transition="rehouse", **d),
    "withdraw": lambda a, c, d: services.eviction_close(
        actor=a, case=c, transition="withdraw", **d
    ),
}


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_transition_view(request, pk, transition):
    case = _case(request, pk)
    if transition not in TRANSITION_SERVICES:
        raise Http404
    form_class = forms.TRANSITION_FORMS[transition]
    form = form_class(request.POST or None)
    label = next(
        (
            str(meta.custom.get("label"))
            for meta in getattr(EvictionCase, transition)._django_fsm.transitions.values()
        ),
        transition,
    )
    if request.method == "POST" and form.is_valid():
        try:
            TRANSITION_SERVICES[transition](request.user, case, form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            return redirect("tenancies:eviction_case", pk=case.pk)
    intro = ""
    if transition == "grant_grace":
        allowance, exceptional = services.eviction_grace_allowance(
            case=case, on=timezone.localdate()
        )
        intro = _(
            "Grace periods used in the last years: %(used)s of %(max)s; at most %(days)s days."
        ) % {
            "used": allowance.uses_in_window,
            "max": allowance.max_uses,
            "days": allowance.max_days,
        }
    return render(
        request,
        "tenancies/eviction_form.html",
        {
            "form": form,
            "title": label,
            "case": case,
            "intro": intro,
            "danger": transition in ("validate", "serve_precetto", "evict"),
            "cancel_url": case.get_absolute_url(),
        },
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_settlement_view(request, pk):
    case = _case(request, pk)
    form = forms.SettlementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.eviction_settlement_record(actor=request.user, case=case, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Settlement recorded."))
            return redirect(case)
    return render(
        request,
        "tenancies/eviction_form.html",
        {
            "form": form,
            "title": _("Record the settlement"),
            "case": case,
            "intro": _(
                "The fund's part becomes a guarantee claim the fund administrators review; "
                "the household's part is repaid in instalments."
            ),
            "cancel_url": case.get_absolute_url(),
        },
    )


def _case_post(view):
    @operator_required
    @require_http_methods(["POST"])
    def wrapped(request, pk, **kwargs):
        return view(request, _case(request, pk), **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_case_post
def eviction_meeting_view(request, case):
    return _post_action(
        request,
        case,
        forms.MeetingForm(request.POST),
        lambda d: actions.eviction_meeting_record(actor=request.user, case=case, **d),
        _("Meeting recorded."),
    )


@_case_post
def eviction_access_view(request, case):
    return _post_action(
        request,
        case,
        forms.AccessNoticeForm(request.POST),
        lambda d: actions.eviction_access_notice(actor=request.user, case=case, **d),
        _("Notice of access recorded."),
    )


@_case_post
def eviction_postpone_view(request, case):
    return _post_action(
        request,
        case,
        forms.AccessPostponeForm(request.POST),
        lambda d: actions.eviction_access_postpone(actor=request.user, case=case, **d),
        _("Access postponed."),
    )


@_case_post
def eviction_past_grace_view(request, case):
    return _post_action(
        request,
        case,
        forms.PastGraceForm(request.POST),
        lambda d: services.eviction_past_grace_record(actor=request.user, case=case, **d),
        _("Past grace period recorded."),
    )


@_case_post
def eviction_fund_view(request, case):
    return _post_action(
        request,
        case,
        forms.FundApplicationForm(request.POST),
        lambda d: actions.fund_application_create(actor=request.user, case=case, **d),
        _("Application recorded."),
    )


def _application(case, application_pk) -> FundApplication:
    return get_object_or_404(case.applications.all(), pk=application_pk)


@_case_post
def eviction_fund_decide_view(request, case, application_pk):
    application = _application(case, application_pk)
    return _post_action(
        request,
        case,
        forms.FundDecisionForm(request.POST),
        lambda d: actions.fund_application_decide(
            actor=request.user,
            application=application,
            granted=d["decision"] == "granted",
            on=d["on"],
            amount=d["amount"],
            note=d["note"],
        ),
        _("Decision recorded."),
    )


@_case_post
def eviction_fund_receive_view(request, case, application_pk):
    application = _application(case, application_pk)
    return _post_action(
        request,
        case,
        forms.FundReceiptForm(request.POST),
        lambda d: actions.fund_application_receive(
            actor=request.user, application=application, **d
        ),
        _("Money received and recorded as a payment on the lease."),
    )


@operator_required
@require_http_methods(["POST"])
def eviction_paper_view(request, pk):
    case = _case(request, pk)
    form = forms.CourtPaperForm(request.POST, request.FILES)
    return _post_action(
        request,
        case,
        form,
        lambda d: document_upload(
            actor=request.user,
            household=case.lease.household,
            kind="court",
            title=d["title"],
            upload=d["file"],
        ),
        _("Court paper added to the household's documents."),
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_policy_view(request):
    policy = services.eviction_policy_for(programme_id=request.programme.pk)
    form = forms.PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            actions.eviction_policy_update(
                actor=request.user, policy=policy, data=form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Legal clock settings saved."))
            return redirect("tenancies:eviction_dashboard")
    return _open_form_page(
        request,
        form,
        _("Legal clock settings"),
        _("The defaults are the numbers the law sets; change them only if the law changes."),
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_calendar_view(request):
    feed_url = ""
    if request.method == "POST":
        token = actions.calendar_token_issue(user=request.user, programme=request.programme)
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
        CalendarToken.objects.filter(token_hash=actions.calendar_token_hash(token))
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
