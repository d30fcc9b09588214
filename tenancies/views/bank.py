"""Operator pages for bank statements: upload, the matching queue, match by hand, confirm."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from common.exceptions import DomainError
from common.forms import form_error
from common.jobs import file_job_status, statement_file_is_large
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from tenancies.forms.bank import StatementUploadForm
from tenancies.models import BankStatement, Lease, StatementLine, StatementUploadJob
from tenancies.services.bank import (
    statement_confirm,
    statement_counts_message,
    statement_line_ignore,
    statement_line_match,
    statement_upload,
)
from tenancies.services.bank_jobs import PROGRESS, statement_job_create

LINE_FILTERS = {
    "waiting": Q(status__in=StatementLine.WAITING),
    "matched": Q(status=StatementLine.Status.MATCHED),
    "booked": Q(status=StatementLine.Status.BOOKED),
    "ignored": Q(status=StatementLine.Status.IGNORED),
}


def _statements(request):
    return BankStatement.objects.in_programme(request.programme)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def statement_list_view(request):
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if statement_file_is_large(upload):
            try:
                job = statement_job_create(
                    actor=request.user,
                    programme=request.programme,
                    account=form.cleaned_data["account"],
                    upload=upload,
                )
            except DomainError as error:
                form_error(form, error)
            else:
                return redirect(job.get_absolute_url())
        else:
            try:
                statement, counts = statement_upload(
                    actor=request.user,
                    programme=request.programme,
                    account=form.cleaned_data["account"],
                    file_name=upload.name,
                    content=upload.read(),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, statement_counts_message(counts))
                return redirect("tenancies:statement_detail", pk=statement.pk)
    statements = (
        _statements(request)
        .annotate(
            line_count=Count("lines"),
            waiting=Count("lines", filter=Q(lines__status__in=StatementLine.WAITING)),
            matched=Count("lines", filter=Q(lines__status=StatementLine.Status.MATCHED)),
        )
        .order_by("-uploaded_at", "-pk")
    )
    page = paginate(request, statements)
    # Long files still being read, and those refused in the last two days.
    jobs = (
        StatementUploadJob.objects.in_programme(request.programme)
        .exclude(status=StatementUploadJob.Status.DONE)
        .filter(created_at__gte=timezone.now() - timedelta(days=2))
        .select_related("created_by")[:10]
    )
    return render(
        request,
        "tenancies/bank/statement_list.html",
        {"form": form, "page": page, "jobs": jobs},
    )


def _job_status(job: StatementUploadJob) -> dict:
    return file_job_status(job, folder=PROGRESS, redirect=job.get_absolute_url())


@role_required(Role.OPERATOR)
def statement_job_view(request, pk):
    """A long statement being read: its progress bar; once read, the statement itself."""
    job = get_object_or_404(
        StatementUploadJob.objects.in_programme(request.programme).select_related("created_by"),
        pk=pk,
    )
    if job.status == StatementUploadJob.Status.DONE:
        messages.success(request, statement_counts_message(job.counts))
        return redirect("tenancies:statement_detail", pk=job.statement_id)
    return render(
        request,
        "tenancies/bank/statement_job.html",
        {"job": job, "progress": _job_status(job)},
    )


@role_required(Role.OPERATOR)
def statement_job_status_view(request, pk):
    job = get_object_or_404(StatementUploadJob.objects.in_programme(request.programme), pk=pk)
    return JsonResponse(_job_status(job))


@role_required(Role.OPERATOR)
def statement_detail_view(request, pk):
    statement = get_object_or_404(_statements(request), pk=pk)
    show = request.GET.get("show", "waiting")
    if show not in LINE_FILTERS:
        show = "waiting"
    counts = statement.lines.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in LINE_FILTERS.items()}
    )
    lines = statement.lines.filter(LINE_FILTERS[show]).select_related("lease__household")
    page = paginate(request, lines)
    return render(
        request,
        "tenancies/bank/statement_detail.html",
        {"statement": statement, "page": page, "show": show, "counts": counts},
    )


@role_required(Role.OPERATOR)
@require_POST
def statement_confirm_view(request, pk):
    statement = get_object_or_404(_statements(request), pk=pk)
    try:
        booked = statement_confirm(actor=request.user, statement=statement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s payment booked from the statement.",
                "%(count)s payments booked from the statement.",
                booked,
            )
            % {"count": booked},
        )
    return redirect("tenancies:statement_detail", pk=statement.pk)


def _lease_search(request, line, query):
    """Active leases an operator may mean: by household name, a member's codice fiscale or
    surname; with no words typed, those whose monthly rent and charges are the amount."""
    leases = Lease.objects.in_programme(request.programme).active()
    if query:
        leases = leases.filter(
            Q(household__name__icontains=query)
            | Q(household__members__codice_fiscale__icontains=query)
            | Q(household__members__last_name__icontains=query)
        ).distinct()
    else:
        leases = [
            lease
            for lease in leases.select_related("household", "dwelling")
            .filter(rent__lte=line.amount.amount)
            .order_by("household__name")[:200]
            if lease.rent + lease.service_charges == line.amount
        ]
        return leases[:20]
    return leases.select_related("household", "dwelling").order_by("household__name")[:20]


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def statement_line_view(request, pk):
    line = get_object_or_404(
        StatementLine.objects.filter(programme=request.programme).select_related(
            "statement", "lease__household"
        ),
        pk=pk,
    )
    if request.method == "POST":
        try:
            if "ignore" in request.POST:
                statement_line_ignore(actor=request.user, line=line)
                messages.success(request, _("Line set aside: it will not be booked."))
            else:
                lease_id = request.POST.get("lease", "")
                lease = (
                    Lease.objects.in_programme(request.programme).filter(pk=lease_id).first()
                    if lease_id.isdigit() and len(lease_id) < 12
                    else None
                )
                if lease is None:
                    raise DomainError(_("Choose an active lease of the programme."))
                statement_line_match(actor=request.user, line=line, lease=lease)
                messages.success(request, _("Line matched to the lease: confirm to book it."))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("tenancies:statement_line", pk=line.pk)
        return redirect("tenancies:statement_detail", pk=line.statement_id)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "tenancies/bank/statement_line.html",
        {"line": line, "q": query, "leases": _lease_search(request, line, query)},
    )
