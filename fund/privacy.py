"""The fund's part of a household's privacy work (tenancies.privacy): its rows in a data
export, its reasons to keep the data, and its free text to blank on pseudonymisation."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from fund.models import (
    Claim,
    ClaimLetter,
    ClaimMonth,
    CommunityHours,
    Guarantee,
    RecoveryInstalment,
    RecoveryPayment,
    RecoveryPlan,
    RecoveryWaiver,
)
from tenancies.privacy.export import rows
from tenancies.privacy.registry import (
    register_export_section,
    register_pseudonymiser,
    register_retention_blocker,
)

GUARANTEE_OPEN = (
    Guarantee.Status.REQUESTED,
    Guarantee.Status.APPROVED,
    Guarantee.Status.ACTIVE,
)
CLAIM_OPEN = Claim.PENDING
RECOVERY_OPEN = (RecoveryPlan.Status.PROPOSED, RecoveryPlan.Status.ACTIVE)


def _guarantees(household):
    return Guarantee.objects.filter(lease__household=household)


def _claims(household):
    return Claim.objects.filter(guarantee__lease__household=household)


def _plans(household):
    return RecoveryPlan.objects.filter(household=household)


def retention_reasons(household):
    if _guarantees(household).filter(status__in=GUARANTEE_OPEN).exists():
        yield _("A guarantee on one of the household's leases is still in force.")
    if _claims(household).filter(status__in=CLAIM_OPEN).exists():
        yield _("A claim on the household's guarantee is still open.")
    if _plans(household).filter(status__in=RECOVERY_OPEN).exists():
        yield _("The fund is still recovering a payout from the household.")


def retention_exclude(households):
    household = OuterRef("pk")
    return households.exclude(
        Exists(Guarantee.objects.filter(lease__household=household, status__in=GUARANTEE_OPEN))
        | Exists(Claim.objects.filter(guarantee__lease__household=household, status__in=CLAIM_OPEN))
        | Exists(RecoveryPlan.objects.filter(household=household, status__in=RECOVERY_OPEN))
    )


def pseudonymise(household):
    """Blank the free text the fund wrote about the household; amounts and dates stay."""
    claims = _claims(household)
    claims.update(note="")
    plans = _plans(household)
    RecoveryPayment.objects.filter(plan__in=plans).update(note="")


def register():
    register_export_section("garanzie", lambda h: rows(_guarantees(h)))
    register_export_section("richieste_di_escussione", lambda h: rows(_claims(h)))
    register_export_section(
        "mensilita_richieste", lambda h: rows(ClaimMonth.objects.filter(claim__in=_claims(h)))
    )
    register_export_section(
        "lettere_sulle_richieste", lambda h: rows(ClaimLetter.objects.filter(claim__in=_claims(h)))
    )
    register_export_section("piani_di_recupero", lambda h: rows(_plans(h)))
    register_export_section(
        "rate_di_recupero",
        lambda h: rows(RecoveryInstalment.objects.filter(plan__in=_plans(h))),
    )
    register_export_section(
        "rimborsi_al_fondo", lambda h: rows(RecoveryPayment.objects.filter(plan__in=_plans(h)))
    )
    register_export_section(
        "ore_di_attivita_comunitaria",
        lambda h: rows(CommunityHours.objects.filter(plan__in=_plans(h))),
    )
    register_export_section(
        "rinunce_al_recupero", lambda h: rows(RecoveryWaiver.objects.filter(plan__in=_plans(h)))
    )
    register_retention_blocker(reasons=retention_reasons, exclude=retention_exclude)
    register_pseudonymiser(pseudonymise)
