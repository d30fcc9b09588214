"""Reading guarantee certificates: the current version for a download, and what the public
verification page may say about a code (validity only, read live from the guarantee)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fund.models import Guarantee, GuaranteeCertificate
from fund.models.certificates import certificate_code_is_wellformed, certificate_code_normalise


def certificate_current(*, guarantee: Guarantee) -> GuaranteeCertificate | None:
    """The guarantee's certificate in use (not voided), if one was issued."""
    return guarantee.certificates.current().first()


@dataclass(frozen=True)
class Verification:
    """What anyone holding a code may learn: whether the certificate is genuine and in force,
    its amount and validity and the municipality. No person, no street, no claims."""

    found: bool
    state: str = "unknown"  # in_force | not_in_force | void | unknown
    reason: str = ""
    code: str = ""
    version: int = 0
    fund: str = ""
    municipality: str = ""
    amount: object = None
    valid_from: date | None = None
    valid_until: date | None = None
    issued_on: date | None = None
    voided_on: date | None = None

    @property
    def in_force(self) -> bool:
        return self.state == "in_force"


NOT_IN_FORCE_REASON = {
    Guarantee.Status.RELEASED: _("The guarantee was released: the lease has ended."),
    Guarantee.Status.EXPIRED: _("The guarantee has expired."),
    Guarantee.Status.EXHAUSTED: _("The guarantee's cover has been used up."),
    Guarantee.Status.CANCELLED: _("The guarantee was cancelled."),
}


def certificate_verify(*, raw_code: str, today: date | None = None) -> Verification:
    """The public answer for `raw_code` as a person typed it. Unknown and malformed codes get
    the same answer; the guarantee's status is read now, not from the certificate."""
    from decimal import Decimal

    from djmoney.money import Money

    code = certificate_code_normalise(raw_code)
    # Malformed codes still query, so the answer takes the same time as for an unknown one.
    lookup = code if certificate_code_is_wellformed(code) else ""
    certificate = (
        GuaranteeCertificate.objects.filter(code=lookup).select_related("guarantee__fund").first()
    )
    if certificate is None:
        return Verification(found=False)
    today = today or timezone.localdate()
    facts = certificate.facts
    guarantee = certificate.guarantee
    valid_from = date.fromisoformat(facts["valid_from"])
    valid_until = date.fromisoformat(facts["valid_until"])
    if certificate.is_void:
        state = "void"
        reason = _("This version was replaced by a newer certificate and is void.")
    elif guarantee.status in NOT_IN_FORCE_REASON:
        state, reason = "not_in_force", NOT_IN_FORCE_REASON[guarantee.status]
    elif guarantee.status != Guarantee.Status.ACTIVE:
        state, reason = "not_in_force", _("The guarantee is not in force.")
    elif today > valid_until:
        state, reason = "not_in_force", _("The certificate's validity has ended.")
    elif today < valid_from:
        state, reason = "not_in_force", _("The guarantee is not in force yet.")
    else:
        state, reason = "in_force", ""
    return Verification(
        found=True,
        state=state,
        reason=reason,
        code=certificate.code_grouped,
        version=certificate.version,
        fund=guarantee.fund.name,
        municipality=facts["municipality"],
        amount=Money(Decimal(facts["amount"]), "EUR"),
        valid_from=valid_from,
        valid_until=valid_until,
        issued_on=date.fromisoformat(facts["issued_on"]),
        voided_on=timezone.localdate(certificate.voided_at) if certificate.voided_at else None,
    )
