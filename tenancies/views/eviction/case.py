"""The eviction case page: its step line, deadlines, and the actions taken on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.fsm import transitions_available
from common.money import money_format
from tenancies import legal_clock
from tenancies.forms import eviction as forms
from tenancies.models import EvictionCase, FundApplication
from tenancies.selectors import eviction as selectors
from tenancies.selectors.rent import lease_balance
from tenancies.services import eviction as services
from tenancies.services.documents import document_upload
from tenancies.views.common import form_error, operator_required


def _case(request, pk) -> EvictionCase:
    return get_object_or_404(selectors.eviction_case_list(programme=request.programme), pk=pk)


def _rules(request):
    return services.eviction_rules_for(programme_id=request.programme.pk)


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
            "nominal_on": t.nominal_on,
            "moved_because": t.moved_because,
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
            "allowance": allowance,
            "exceptional": exceptional,
            "grace_uses": selectors.grace_uses_for(case=case),
            "plan_case": selectors.settlement_plan_case(case=case)
            if case.settled_on and not case.is_closed
            else None,
            "hints": [(hint_labels[code], ok) for code, ok in hints],
            "meetings": meetings,
            "applications": _applications(case, request.user),
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
            **_precetto_facts(case),
        },
    )


def _precetto_facts(case) -> dict:
    """c.p.c. artt. 481-482, 608: when the notice of access may be served and when the precetto
    lapses (moved by an opposition, none while it is pending)."""
    if case.precetto_served_on is None:
        return {}
    return {
        "access_notice_from": case.access_notice_earliest(),
        "precetto_lapse": case.precetto_lapse_day(),
        "precetto_void": case.precetto_void,
    }


def _applications(case, user) -> list[FundApplication]:
    """The case's fund applications, each with the decisions the user may record now
    (`may_decide`, `may_receive`): the same transitions the services run."""
    applications = list(case.applications.select_related("payment", "case__programme"))
    for application in applications:
        names = {t["name"] for t in transitions_available(application, user)}
        application.may_decide = bool(names & {"grant", "refuse"})
        application.may_receive = "receive" in names
    return applications


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
        lambda d: services.eviction_meeting_record(actor=request.user, case=case, **d),
        _("Meeting recorded."),
    )


@_case_post
def eviction_access_view(request, case):
    return _post_action(
        request,
        case,
        forms.AccessNoticeForm(request.POST),
        lambda d: services.eviction_access_notice(actor=request.user, case=case, **d),
        _("Notice of access recorded."),
    )


@_case_post
def eviction_postpone_view(request, case):
    return _post_action(
        request,
        case,
        forms.AccessPostponeForm(request.POST),
        lambda d: services.eviction_access_postpone(actor=request.user, case=case, **d),
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
        lambda d: services.fund_application_create(actor=request.user, case=case, **d),
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
        lambda d: services.fund_application_decide(
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
        lambda d: services.fund_application_receive(
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
