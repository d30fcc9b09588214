"""Integrity check of long statement files read in the background (see common.integrity)."""

from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from tenancies.models import StatementUploadJob


@integrity_check(
    "statement_upload_finished_keeps_no_file",
    _("A statement file read in the background is deleted once read (it holds names and IBANs)."),
)
def statement_upload_finished_keeps_no_file():
    leftovers = (
        StatementUploadJob.objects.exclude(status__in=StatementUploadJob.RUNNING)
        .exclude(file="")
        .order_by("pk")
    )
    for job in leftovers:
        yield Violation(
            job,
            _("Statement upload no. %(number)s is finished but its file is still stored.")
            % {"number": job.pk},
        )
