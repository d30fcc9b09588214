"""Writes about household documents: checked uploads, stored under MEDIA_ROOT."""

import secrets
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from tenancies.models import Household, HouseholdDocument

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# What the first bytes of an accepted file look like, by extension (the name alone proves nothing).
ACCEPTED_TYPES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}


def document_check_file(upload) -> tuple[str, str]:
    """The extension and content type of an acceptable upload; DomainError otherwise."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in ACCEPTED_TYPES:
        raise DomainError(_("Upload a PDF, JPEG or PNG file."), field="file")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise DomainError(
            _("The file is too large (%(size)s MB): the limit is 5 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
            field="file",
        )
    if upload.size == 0:
        raise DomainError(_("The file is empty."), field="file")
    magic, content_type = ACCEPTED_TYPES[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise DomainError(
            _("The file's content is not a %(type)s, whatever its name says.")
            % {"type": extension.upper()},
            field="file",
        )
    return ("jpg" if extension == "jpeg" else extension), content_type


def document_upload(
    *,
    actor,
    household: Household,
    kind: str,
    title: str,
    upload,
    valid_until: date | None = None,
) -> HouseholdDocument:
    """Store a checked file for a household and record it on the timeline."""
    extension, content_type = document_check_file(upload)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        document = HouseholdDocument(
            household=household,
            kind=kind,
            title=title,
            token=secrets.token_hex(12),
            extension=extension,
            content_type=content_type,
            size=upload.size,
            valid_until=valid_until,
            uploaded_by=actor,
        )
        document.file.save("upload", upload, save=False)
        try:
            document.full_clean()
            document.save()
            audit_record(
                actor=actor,
                programme=household.programme,
                target=document,
                verb="document_uploaded",
                context=household,
                data={"kind": kind},
            )
        except Exception:
            document.file.delete(save=False)
            raise
        return document
