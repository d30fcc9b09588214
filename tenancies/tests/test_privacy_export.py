"""A household's data export (GDPR access request): a ZIP of JSON and its documents, asked
for with a POST by the programme's operator, and recorded as an export."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.models import AuditEvent
from tenancies.models import HouseholdAccess
from tenancies.services.documents import document_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

pytestmark = pytest.mark.django_db


def upload(household, operator, name, content, kind="identity"):
    return document_upload(
        actor=operator,
        household=household,
        kind=kind,
        title="Documento",
        upload=SimpleUploadedFile(name, content),
    )


def export(client, household):
    response = client.post(reverse("tenancies:household_export", args=[household.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_export_holds_members_and_documents_byte_identical(enrolled, operator, client_of):
    first = upload(enrolled, operator, "carta.pdf", PDF)
    second = upload(enrolled, operator, "foto.png", PNG, kind="other")
    archive = export(client_of(operator), enrolled)

    data = json.loads(archive.read("dati.json"))
    assert data["nucleo"]["name"] == enrolled.name
    assert {(m["last_name"], m["first_name"], m["codice_fiscale"]) for m in data["componenti"]} == {
        ("Rossi", "Mario", "RSSMRA85T10A562S")
    }
    assert data["consenso"]["versione_modulo"] == "1.0"
    assert len(data["patti"]) == 1 and len(data["impegni_del_patto"]) == 2
    assert {d["id"] for d in data["documenti"]} == {first.pk, second.pk}
    # The fund adds its own sections without tenancies knowing it.
    assert data["garanzie"] == [] and data["piani_di_recupero"] == []
    assert any(event["azione"] == "referred" for event in data["eventi"])

    assert archive.read(f"documenti/{first.pk}-identity.pdf") == PDF
    assert archive.read(f"documenti/{second.pk}-other.png") == PNG


def test_the_export_is_audited_and_logged_as_an_access(enrolled, operator, client_of):
    export(client_of(operator), enrolled)
    event = AuditEvent.objects.get(verb="exported")
    assert event.actor == operator
    assert event.target == enrolled
    assert event.data["documents"] == 0
    access = HouseholdAccess.objects.get(what=HouseholdAccess.What.EXPORT)
    assert (access.user, access.household) == (operator, enrolled)


def test_the_export_is_a_post_only(enrolled, operator, client_of):
    response = client_of(operator).get(reverse("tenancies:household_export", args=[enrolled.pk]))
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(verb="exported").exists()


def test_another_programme_or_another_role_gets_nothing(
    enrolled, member, other_programme, fund_admin, client_of
):
    url = reverse("tenancies:household_export", args=[enrolled.pk])
    stranger = member("operator", programme=other_programme, username="altro")
    assert client_of(stranger).post(url).status_code == 404
    assert client_of(fund_admin).post(url).status_code == 403
    assert not AuditEvent.objects.filter(verb="exported").exists()


def test_the_household_page_offers_the_export(enrolled, operator, client_of):
    response = client_of(operator).get(reverse("tenancies:household_detail", args=[enrolled.pk]))
    assert reverse("tenancies:household_export", args=[enrolled.pk]) in response.text
