"""Writes about household documents: checked uploads, stored under MEDIA_ROOT."""

import secrets
from datetime import date

from django.db import transaction

from common.audit import audit_record
from common.duties import task_sync
from common.uploads import DOCUMENT_TYPES, MAX_UPLOAD_BYTES, upload_check, upload_discard
from tenancies.models import Household, HouseholdDocument

MAX_DOCUMENT_BYTES = MAX_UPLOAD_BYTES


def document_check_file(upload) -> tuple[str, str]:
    """The extension and content type of an acceptable upload (the one upload policy,
    `common.uploads`); DomainError otherwise."""
    file_type = upload_check(upload, types=DOCUMENT_TYPES)
    return file_type.extension, file_type.content_type


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
            upload_discard(document.file.storage, document.file.name)
            raise
        # A newer document of the kind takes over: the older one's renewal is no longer due.
        for same_kind in HouseholdDocument.objects.filter(
            household=household, kind=kind, valid_until__isnull=False
        ).select_related("household"):
            task_sync(record=same_kind, actor=actor)
        return document
