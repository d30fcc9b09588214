"""A household's data export (GDPR art. 15 and 20): a ZIP of JSON and its documents."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from djmoney.models.fields import CurrencyField
from djmoney.money import Money

from common.audit import audit_record, audit_timeline
from tenancies.models import (
    Allocation,
    ArrearsCase,
    Assessment,
    Enrollment,
    EvictionCase,
    FundApplication,
    GraceUse,
    Household,
    Instalment,
    Lease,
    MediationMeeting,
    PactCommitment,
    PactReview,
    Payment,
    Placement,
    RentDue,
    RepaymentPlan,
    SupportPact,
)
from tenancies.privacy.registry import EXPORT_SECTIONS

EXPORT_FORMAT_VERSION = 1


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Money):
            return {"amount": str(o.amount), "currency": str(o.currency)}
        return super().default(o)


def row(obj: models.Model) -> dict:
    """Every stored field of `obj` by name (foreign keys as ids, money as amount and currency,
    files as their stored name)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, CurrencyField):
            continue  # djmoney's companion column: the amount already says its currency
        if field.is_relation:
            data[field.attname] = getattr(obj, field.attname)
            continue
        value = getattr(obj, field.name)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.name] = value
    return data


def rows(queryset) -> list[dict]:
    return [row(obj) for obj in queryset.order_by("pk")]


def household_export_data(*, household: Household) -> dict:
    """Everything the programme holds about the household, section by section."""
    leases = Lease.objects.filter(household=household)
    pacts = SupportPact.objects.filter(household=household)
    evictions = EvictionCase.objects.filter(lease__household=household)
    arrears = ArrearsCase.objects.filter(lease__household=household)
    data = {
        "formato": EXPORT_FORMAT_VERSION,
        "esportato_il": timezone.now(),
        "nucleo": row(household),
        "componenti": rows(household.members.all()),
        "consenso": {
            "dato_il": household.consent_given_on,
            "versione_modulo": household.consent_version,
        },
        "percorsi": rows(Enrollment.objects.filter(household=household)),
        "valutazioni": rows(Assessment.objects.filter(enrollment__household=household)),
        "patti": rows(pacts),
        "impegni_del_patto": rows(PactCommitment.objects.filter(pact__in=pacts)),
        "verifiche_del_patto": rows(PactReview.objects.filter(pact__in=pacts)),
        "sistemazioni": rows(Placement.objects.filter(household=household)),
        "contratti": rows(leases),
        "canoni_dovuti": rows(RentDue.objects.filter(lease__in=leases)),
        "pagamenti": rows(Payment.objects.filter(lease__in=leases)),
        "imputazioni_dei_pagamenti": rows(Allocation.objects.filter(payment__lease__in=leases)),
        "morosita": rows(arrears),
        "piani_di_rientro": rows(RepaymentPlan.objects.filter(case__in=arrears)),
        "rate_dei_piani": rows(Instalment.objects.filter(plan__case__in=arrears)),
        "sfratti": rows(evictions),
        "incontri_di_mediazione": rows(MediationMeeting.objects.filter(case__in=evictions)),
        "domande_ai_fondi_pubblici": rows(FundApplication.objects.filter(case__in=evictions)),
        "termini_di_grazia": rows(GraceUse.objects.filter(household=household)),
        "documenti": rows(household.documents.all()),
    }
    for name, section in EXPORT_SECTIONS.items():
        data[name] = section(household)
    data["eventi"] = [
        {
            "quando": event.created_at,
            "chi": event.actor.get_username() if event.actor else "",
            "oggetto": f"{event.target_type.model}:{event.target_id}",
            "descrizione_oggetto": event.target_repr,
            "azione": event.verb,
            "da": event.from_state,
            "a": event.to_state,
            "nota": event.note,
            "dettagli": event.data,
        }
        for event in audit_timeline(household).order_by("created_at", "pk")
    ]
    return data


def household_export(*, actor, household: Household) -> bytes:
    """The household's data as a ZIP (dati.json and documenti/…), recorded as an export."""
    with transaction.atomic():
        data = household_export_data(household=household)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "dati.json", json.dumps(data, cls=_Encoder, ensure_ascii=False, indent=2)
            )
            names = []
            for document in household.documents.order_by("pk"):
                name = f"documenti/{document.pk}-{document.kind}.{document.extension}"
                try:
                    with document.file.open("rb") as handle:
                        archive.writestr(name, handle.read())
                except FileNotFoundError:
                    continue  # listed in dati.json; the file itself is gone from storage
                names.append(name)
        audit_record(
            actor=actor,
            programme=household.programme,
            target=household,
            verb="exported",
            context=household,
            data={"documents": len(names), "sections": len(data)},
        )
    return buffer.getvalue()
