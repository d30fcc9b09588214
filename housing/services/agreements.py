"""Writes about landlords' agreements (convenzioni) with the fund."""

from django.db import transaction
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from common.fsm import transition_run
from common.uploads import (
    PDF,
    upload_check,
    upload_delete_after_commit,
    upload_discard,
    upload_store,
)
from housing.models import Landlord, LandlordAgreement
from housing.services._base import apply_changes, audit_write, clean_or_refuse

AGREEMENT_TERMS = {
    "cover_months",
    "cap_per_lease",
    "lease_types",
    "max_monthly_rent",
    "signed_on",
    "valid_from",
    "valid_until",
    "notes",
}
TRANSITIONS = ("activate", "suspend", "resume", "terminate")


def agreement_create(*, actor, landlord: Landlord, document=None, **terms) -> LandlordAgreement:
    """Draft an agreement for `landlord` with its terms; it takes effect only once activated."""
    with transaction.atomic():
        landlord = Landlord.objects.select_for_update().get(pk=landlord.pk)
        agreement = LandlordAgreement(landlord=landlord)
        apply_changes(agreement, terms, AGREEMENT_TERMS)
        clean_or_refuse(agreement, exclude=["status", "document"])
        if document:
            _store_signed_document(agreement, document)
        try:
            agreement.save()
        except Exception:
            upload_discard(agreement.document.storage, agreement.document.name)
            raise
        audit_write(actor=actor, obj=agreement, verb="created")
        return agreement


def _store_signed_document(agreement: LandlordAgreement, document) -> None:
    # The one upload policy: a real PDF by its content, within the size limit, a random name.
    upload_check(document, types=(PDF,), field="document")
    upload_store(agreement.document, document, file_type=PDF)


def agreement_update(*, actor, agreement: LandlordAgreement, **terms) -> LandlordAgreement:
    """Change the terms of a draft agreement; signed terms change only by a new agreement."""
    with transaction.atomic():
        agreement = LandlordAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != LandlordAgreement.Status.DRAFT:
            raise DomainError(
                _("Only a draft agreement can be changed; terminate it and draft a new one.")
            )
        changes = apply_changes(agreement, terms, AGREEMENT_TERMS)
        if not changes:
            return agreement
        clean_or_refuse(agreement, exclude=["status"])
        agreement.save(update_fields=[name.split("__")[0] for name in _money_aware(changes)])
        audit_write(actor=actor, obj=agreement, verb="updated", data={"changes": changes})
        return agreement


def _money_aware(changes: dict) -> list[str]:
    # A MoneyField is stored in two columns: the amount and `<name>_currency`.
    fields = []
    for name in changes:
        fields.append(name)
        if name in {"cap_per_lease", "max_monthly_rent"}:
            fields.append(f"{name}_currency")
    return fields


def agreement_attach_document(
    *, actor, agreement: LandlordAgreement, document
) -> LandlordAgreement:
    """Attach (or replace) the signed document of an agreement that is not terminated."""
    with transaction.atomic():
        agreement = LandlordAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status == LandlordAgreement.Status.TERMINATED:
            raise DomainError(_("A terminated agreement can no longer be changed."))
        replaced = agreement.document.name
        _store_signed_document(agreement, document)
        try:
            agreement.save(update_fields=["document"])
            audit_write(
                actor=actor,
                obj=agreement,
                verb="document_attached",
                data={"file": agreement.document.name, "replaced": replaced},
            )
        except Exception:
            upload_discard(agreement.document.storage, agreement.document.name)
            raise
        # The replaced file goes only once the new one is committed.
        upload_delete_after_commit(agreement.document.storage, replaced)
        return agreement


def agreement_transition(
    *, actor, agreement: LandlordAgreement, transition: str, note: str = ""
) -> LandlordAgreement:
    """Move an agreement along its life (activate, suspend, resume, terminate), audited."""
    if transition not in TRANSITIONS:
        raise DomainError(_("Unknown action."))
    if _needs_note(agreement, transition) and not note.strip():
        raise DomainError(_("Please say why in the note."), field="note")
    with transaction.atomic():
        # The parent first: two agreements of one landlord must not both come into force.
        landlord = Landlord.objects.select_for_update().get(pk=agreement.landlord_id)
        current = LandlordAgreement.objects.get(pk=agreement.pk)
        if transition in ("activate", "resume"):
            _check_can_be_in_force(current, landlord)
        return transition_run(
            queryset=LandlordAgreement.objects.select_related("landlord"),
            pk=agreement.pk,
            transition=transition,
            actor=actor,
            note=note,
        )


def _needs_note(agreement, transition) -> bool:
    for meta in agreement.get_all_status_transitions():
        if meta.name == transition and meta.custom.get("needs_note"):
            return True
    return False


def _check_can_be_in_force(agreement: LandlordAgreement, landlord: Landlord) -> None:
    if agreement.status == LandlordAgreement.Status.DRAFT:
        missing = [
            str(LandlordAgreement._meta.get_field(name).verbose_name)
            for name in ("signed_on", "valid_from", "lease_types")
            if not getattr(agreement, name)
        ]
        if missing:
            raise DomainError(
                _("The agreement cannot be activated yet: fill in %(fields)s.")
                % {"fields": ", ".join(missing)}
            )
    if not agreement.not_expired():
        raise DomainError(_("The agreement's validity has ended: draft a new one."))
    other = (
        LandlordAgreement.objects.filter(landlord=landlord, status__in=LandlordAgreement.IN_FORCE)
        .exclude(pk=agreement.pk)
        .first()
    )
    if other is not None:
        raise DomainError(
            _("%(landlord)s already has an agreement in force (%(agreement)s).")
            % {"landlord": landlord, "agreement": other}
        )


def agreement_activate(*, actor, agreement: LandlordAgreement, note: str = ""):
    """Sign an agreement into force: from now on the fund may guarantee this landlord's leases."""
    return agreement_transition(actor=actor, agreement=agreement, transition="activate", note=note)


def agreement_suspend(*, actor, agreement: LandlordAgreement, note: str):
    """Pause an active agreement: no new guarantees until it is resumed."""
    return agreement_transition(actor=actor, agreement=agreement, transition="suspend", note=note)


def agreement_resume(*, actor, agreement: LandlordAgreement, note: str = ""):
    """Bring a suspended agreement back into force."""
    return agreement_transition(actor=actor, agreement=agreement, transition="resume", note=note)


def agreement_terminate(*, actor, agreement: LandlordAgreement, note: str):
    """End an agreement for good; existing guarantees are the fund's business."""
    return agreement_transition(actor=actor, agreement=agreement, transition="terminate", note=note)
