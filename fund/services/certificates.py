"""Guarantee certificates: issued when a guarantee starts covering its lease, reissued on
demand by a fund administrator (a new version voids the old one).

The facts are saved first, in the transaction that activates the guarantee, so a certificate
exists exactly when the activation commits; the PDF is rendered from those facts after the
commit (fund.tasks), outside the locks, and again on first download if that has not run.
"""

from django.db import IntegrityError
from django.db import transaction as db_transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import row_lock
from fund.models import Guarantee, GuaranteeCertificate
from fund.models.certificates import (
    certificate_code_grouped,
    certificate_code_new,
    certificate_verification_url,
)
from fund.pdf import certificate_pdf_render
from housing.models import LeaseType


def certificate_facts(*, guarantee: Guarantee, code: str, version: int, issued_at) -> dict:
    """What the certificate declares, as JSON: who guarantees whom, for what, until when."""
    lease = guarantee.lease
    landlord = lease.landlord
    dwelling = lease.dwelling
    issued_on = timezone.localdate(issued_at)
    with translation.override("it"):
        lease_type = str(LeaseType(lease.lease_type).label)
    return {
        "version": version,
        "code": certificate_code_grouped(code),
        "verification_url": certificate_verification_url(code),
        "issued_on": issued_on.isoformat(),
        "programme": guarantee.fund.programme.name,
        "lead_organisation": guarantee.fund.programme.lead_organisation,
        "fund": guarantee.fund.name,
        "guarantee_number": guarantee.pk,
        "landlord": landlord.name,
        "landlord_tax_code": landlord.tax_code,
        "dwelling_address": dwelling.address,
        "dwelling_unit": dwelling.unit,
        "municipality": dwelling.municipality,
        "tenant": lease.household.name,
        "lease_type": lease_type,
        "lease_start": lease.start_date.isoformat(),
        "lease_end": lease.end_date.isoformat(),
        "rent": str(lease.rent.amount),
        "amount": str(guarantee.amount.amount),
        "cover_months": guarantee.cover_months,
        # Cover runs from the later of the lease's start and the guarantee's first certificate
        # (its activation) to the lease's end, unless the guarantee stops earlier: the
        # verification page says so live.
        "valid_from": max(lease.start_date, _first_issued_on(guarantee, issued_on)).isoformat(),
        "valid_until": lease.end_date.isoformat(),
    }


def _first_issued_on(guarantee: Guarantee, default):
    first = guarantee.certificates.order_by("version").values_list("issued_at", flat=True).first()
    return timezone.localdate(first) if first is not None else default


def _issue(*, actor, guarantee: Guarantee, note: str, verb: str) -> GuaranteeCertificate:
    """Inside the caller's transaction, with the guarantee locked: void the current version,
    save the next one's facts and code, audit, and render the PDF after the commit."""
    now = timezone.now()
    current = guarantee.certificates.current().first()
    version = (current.version if current else 0) + 1
    if current is not None:
        GuaranteeCertificate.objects.filter(pk=current.pk).update(
            voided_at=now, voided_by=actor if actor is not None else None
        )
    code = certificate_code_new()
    certificate = GuaranteeCertificate(
        guarantee=guarantee,
        version=version,
        code=code,
        facts=certificate_facts(guarantee=guarantee, code=code, version=version, issued_at=now),
        issued_at=now,
        issued_by=actor,
    )
    certificate.full_clean(exclude=["pdf"], validate_constraints=False)
    try:
        with db_transaction.atomic():
            certificate.save()
    except IntegrityError as error:  # two issues raced past the lock: SQLite only
        raise DomainError(_("A certificate was just issued: reload the page.")) from error
    audit_record(
        actor=actor,
        programme=guarantee.fund.programme,
        target=guarantee,
        verb=verb,
        note=note,
        context=guarantee.lease.household,
        data={
            "version": version,
            "code": certificate.code_grouped,
            "voided": current.code_grouped if current else "",
        },
    )
    db_transaction.on_commit(lambda: _render_later(certificate.pk))
    return certificate


def _render_later(certificate_id: int) -> None:
    from fund.tasks import certificate_render_task

    certificate_render_task.enqueue(certificate_id)


def certificate_issue_on_activation(*, actor, guarantee: Guarantee) -> GuaranteeCertificate:
    """The first certificate of a guarantee that just became active, in the activation's
    transaction; a guarantee that already has a current one keeps it."""
    current = guarantee.certificates.current().first()
    if current is not None:
        return current
    return _issue(actor=actor, guarantee=guarantee, note="", verb="certificate_issued")


def certificate_reissue(*, actor, guarantee: Guarantee, note: str) -> GuaranteeCertificate:
    """A fund administrator issues a new version of an active guarantee's certificate (facts
    read again: a corrected name or address); the previous version is void from now on."""
    from common.roles import is_programme_fund_admin

    if not is_programme_fund_admin(guarantee, actor):
        raise DomainError(_("Only the fund's administrators issue certificates."))
    if not (note or "").strip():
        raise DomainError(_("Say why the certificate is issued again."), field="note")
    with db_transaction.atomic():
        locked = row_lock(
            Guarantee.objects.select_related(
                "fund__programme", "lease__landlord", "lease__dwelling", "lease__household"
            ),
            guarantee.pk,
        )
        if locked.status != Guarantee.Status.ACTIVE:
            raise DomainError(_("Only a guarantee in force has a certificate to issue."))
        had_one = locked.certificates.exists()
        return _issue(
            actor=actor,
            guarantee=locked,
            note=note,
            verb="certificate_reissued" if had_one else "certificate_issued",
        )


def certificate_pdf_ensure(*, certificate: GuaranteeCertificate) -> bytes:
    """The certificate's PDF, rendered from its saved facts the first time it is needed; the
    bytes are written once and never replaced."""
    if certificate.pdf:
        return bytes(certificate.pdf)
    pdf = certificate_pdf_render(certificate.facts)
    GuaranteeCertificate.objects.filter(pk=certificate.pk, pdf=b"").update(pdf=pdf)
    stored = GuaranteeCertificate.objects.filter(pk=certificate.pk).values_list("pdf", flat=True)
    return bytes(stored.get())
