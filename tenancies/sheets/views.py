"""Operator pages for spreadsheet imports: upload, preview with progress, confirm, templates."""

import io

from django import forms
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from common import progress
from common.exceptions import DomainError
from common.forms import form_error
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from tenancies.models import ImportKind, ImportRun, Outcome
from tenancies.sheets.kinds import KINDS
from tenancies.sheets.services import PROGRESS, import_confirm, import_upload


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (semicolons or commas, UTF-8 or Windows encoding) or XLSX, with the template's "
            "column names in the first row; at most 20 MB. Nothing changes until you confirm "
            "the preview."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _runs(request):
    return ImportRun.objects.in_programme(request.programme)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def import_list_view(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_upload(
                actor=request.user,
                programme=request.programme,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            return redirect(run.get_absolute_url())
    runs = _runs(request).select_related("created_by")
    page = paginate(request, runs)
    return render(
        request,
        "tenancies/imports/import_list.html",
        {"form": form, "page": page, "kinds": ImportKind.choices},
    )


def _status(run: ImportRun) -> dict:
    """What the progress bar shows: percentage, rows per second, errors so far."""
    live = progress.progress_read(PROGRESS, run.pk) if run.running else None
    if live:
        done, total, errors, elapsed = (
            live["done"],
            live["total"],
            live["errors"],
            live["elapsed"],
        )
    else:
        done = total = run.rows_total if not run.running else 0
        errors = run.error_count
        elapsed = (
            (run.finished_at - run.started_at).total_seconds()
            if run.finished_at and run.started_at
            else 0
        )
        if run.running:
            total = run.rows_total
    return {
        "status": run.status,
        "status_label": str(run.get_status_display()),
        **progress.progress_figures(
            running=run.running, done=done, total=total, errors=errors, elapsed=elapsed
        ),
    }


SHOW = {"all": None, **{value: value for value in Outcome.values}}


@role_required(Role.OPERATOR)
def import_detail_view(request, pk):
    run = get_object_or_404(_runs(request).select_related("created_by", "confirmed_by"), pk=pk)
    show = request.GET.get("show", "all")
    if show not in SHOW:
        show = "all"
    rows = run.rows.all()
    if SHOW[show]:
        rows = rows.filter(outcome=SHOW[show])
    page = paginate(request, rows, per_page=50)
    counts = [(value, label, (run.counts or {}).get(value, 0)) for value, label in Outcome.choices]
    return render(
        request,
        "tenancies/imports/import_detail.html",
        {
            "run": run,
            "page": page,
            "show": show,
            "counts": counts,
            "progress": _status(run),
            "confirmable": run.status == ImportRun.Status.PREVIEWED and not run.error_count,
        },
    )


@role_required(Role.OPERATOR)
def import_status_view(request, pk):
    run = get_object_or_404(_runs(request), pk=pk)
    return JsonResponse(_status(run))


@role_required(Role.OPERATOR)
@require_POST
def import_confirm_view(request, pk):
    run = get_object_or_404(_runs(request), pk=pk)
    try:
        run = import_confirm(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        run.refresh_from_db()
        if run.status == ImportRun.Status.DONE:
            messages.success(request, _("The file is imported."))
    return redirect(run.get_absolute_url())


@role_required(Role.OPERATOR)
def import_template_view(request, kind):
    """An empty XLSX with the kind's column names (the required ones in bold)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if kind not in KINDS:
        return HttpResponse(status=404)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = str(dict(ImportKind.choices)[kind])[:31]
    columns = KINDS[kind].columns
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=column.required)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column.header) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="modello-{kind}.xlsx"'
    return response
