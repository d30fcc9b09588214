"""The documents of a claim: checked by content and stored privately (the one upload policy,
common.uploads), by the landlord who claims, an operator or a fund administrator."""

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.roles import is_programme_fund_admin
from common.uploads import DOCUMENT_TYPES, upload_check, upload_discard, upload_store
from fund.models import Claim, ClaimDocument


def claim_documents_check(documents) -> list[tuple[str, object, object]]:
    """(kind, upload, file type) for each (kind, upload) pair, read before any lock is taken;
    DomainError naming the file that is refused."""
    checked = []
    kinds = set(ClaimDocument.Kind.values)
    for kind, upload in documents:
        if kind not in kinds:
            raise DomainError(_("Choose the type of each document."), field="documents")
        file_type = upload_check(upload, types=DOCUMENT_TYPES, field="documents")
        checked.append((kind, upload, file_type))
    return checked


def claim_may_add_documents(claim: Claim, user) -> bool:
    """The landlord's users, the programme's operators and its fund administrators."""
    lease = claim.guarantee.lease
    if lease.landlord.users.filter(pk=user.pk).exists():
        return True
    if user.memberships.filter(programme_id=lease.programme_id, role="operator").exists():
        return True
    return is_programme_fund_admin(claim, user)


def claim_documents_store(*, actor, claim: Claim, checked) -> list[ClaimDocument]:
    """Store already checked documents for `claim`, inside the caller's transaction and after
    its checks: a file whose row fails to save is deleted at once."""
    stored = []
    try:
        for kind, upload, file_type in checked:
            document = ClaimDocument(
                claim=claim,
                kind=kind,
                content_type=file_type.content_type,
                size=upload.size,
                uploaded_by=actor,
            )
            upload_store(document.file, upload, file_type=file_type)
            stored.append(document)
            document.full_clean()
            document.save()
            audit_record(
                actor=actor,
                programme=claim.guarantee.fund.programme,
                target=claim,
                verb="document_added",
                context=claim.guarantee.lease.household,
                data={"kind": kind},
            )
    except Exception:
        for document in stored:
            upload_discard(document.file.storage, document.file.name)
        raise
    return stored


def claim_document_add(*, actor, claim: Claim, kind: str, upload) -> ClaimDocument:
    """Add one document to a claim that is not yet decided (paid or rejected claims are closed)."""
    checked = claim_documents_check([(kind, upload)])
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("guarantee__fund__programme", "guarantee__lease__landlord")
            .get(pk=claim.pk)
        )
        if not claim_may_add_documents(claim, actor):
            raise DomainError(_("You may not add documents to this claim."))
        if claim.status not in Claim.PENDING:
            raise DomainError(_("The claim is closed: documents can no longer be added."))
        (document,) = claim_documents_store(actor=actor, claim=claim, checked=checked)
        return document
