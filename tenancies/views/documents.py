from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from tenancies.forms import DocumentForm
from tenancies.models import HouseholdAccess
from tenancies.privacy.access import access_record
from tenancies.services.documents import document_upload
from tenancies.views.common import form_error, household_for, operator_required


@operator_required
def document_upload_view(request, pk):
    household = household_for(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            document_upload(
                actor=request.user,
                household=household,
                kind=d["kind"],
                title=d["title"],
                upload=d["upload"],
                valid_until=d["valid_until"],
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("tenancies:household_detail", pk=household.pk)
    return render(
        request,
        "tenancies/form_page.html",
        {
            "form": form,
            "household": household,
            "title": _("Upload a document"),
            "multipart": True,
        },
    )


@operator_required
def document_download_view(request, pk, document_pk):
    """The file, only to someone who may see the household (never from a public URL)."""
    household = household_for(request, pk)
    document = get_object_or_404(household.documents.all(), pk=document_pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    access_record(
        request=request,
        household=household,
        what=HouseholdAccess.What.DOCUMENT,
        object_id=document.pk,
    )
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=True,
        filename=f"{document.get_kind_display()}-{document.pk}.{document.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
