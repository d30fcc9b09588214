from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localdate

from common.models import AuditEvent
from tenancies.models import Enrollment, Household, HouseholdDocument, SupportPact


def referral_post(operator, **overrides):
    data = {
        "ref_last_name": "Esposito",
        "ref_first_name": "Giuseppe",
        "ref_codice_fiscale": "SPSGPP80A01B157V",
        "ref_birth_date": "1980-01-01",
        "ref_employment": "unemployed",
        "municipality": "Montichiari",
        "isee": "8000.00",
        "isee_expires_on": (localdate() + timedelta(days=100)).isoformat(),
        "vulnerability_factors": ["job_loss"],
        "income_sources": ["unemployment"],
        "referral_source": "parish",
        "operator": operator.pk,
        "consent_given_on": localdate().isoformat(),
        "consent_version": "2.1",
    }
    data.update(overrides)
    return data


def test_operator_home_is_the_caseload(client_of, operator):
    response = client_of(operator).get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("tenancies:caseload")
    assert "Scrivania dell'operatore" in response.content.decode()


def test_referral_form_saves_and_shows_the_household(client_of, operator):
    from tenancies.codicefiscale import codice_fiscale_build

    code = codice_fiscale_build(
        first_name="Giuseppe",
        last_name="Esposito",
        birth_date=date(1980, 1, 1),
        female=False,
        place_code="B157",
    )
    client = client_of(operator)
    response = client.post(
        reverse("tenancies:household_refer"), referral_post(operator, ref_codice_fiscale=code)
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert household.consent_version == "2.1"
    page = client.get(reverse("tenancies:household_detail", args=[household.pk])).content.decode()
    assert "Esposito Giuseppe" in page
    assert "Segnalato" in page


def test_referral_with_a_bad_codice_fiscale_shows_an_italian_error(client_of, operator):
    response = client_of(operator).post(
        reverse("tenancies:household_refer"),
        referral_post(operator, ref_codice_fiscale="SPSGPP80A01B157X"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "carattere di controllo" in page
    assert not Household.objects.exists()


def test_referral_of_a_known_person_warns_until_confirmed(client_of, operator, refer):
    from tenancies.tests.factories import make_codice_fiscale

    refer()
    client = client_of(operator)
    # Same name and birth date, born elsewhere: maybe the same person, maybe not.
    data = referral_post(
        operator,
        ref_last_name="Rossi",
        ref_first_name="Mario",
        ref_codice_fiscale=make_codice_fiscale("Mario", "Rossi", date(1985, 12, 10)),
        ref_birth_date="1985-12-10",
    )
    response = client.post(reverse("tenancies:household_refer"), data)
    assert response.status_code == 200
    assert "Possibile doppione" in response.content.decode()
    assert Household.objects.count() == 1
    response = client.post(
        reverse("tenancies:household_refer"), {**data, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_override_through_the_page_needs_a_reason(client_of, operator, refer):
    from common.money import eur
    from tenancies.services import enrollment as services

    household = refer(isee=eur("50000"))
    enrollment = household.enrollments.get()
    services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
    services.enrollment_assess(actor=operator, enrollment=enrollment)
    client = client_of(operator)
    url = reverse("common:step", args=["enrollment", enrollment.pk, "override"])
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.INELIGIBLE
    response = client.post(url, {"note": "Reddito crollato dopo l'ISEE"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ELIGIBLE
    page = client.get(reverse("tenancies:household_detail", args=[household.pk])).content.decode()
    assert "Reddito crollato" in page


def test_an_illegal_step_is_a_message_not_an_error(client_of, operator, refer):
    household = refer()
    enrollment = household.enrollments.get()
    response = client_of(operator).post(
        reverse("common:step", args=["enrollment", enrollment.pk, "enrol"]),
        follow=True,
    )
    assert response.status_code == 200
    # The generic step view's message (common's catalogue translates it).
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.REFERRED


def test_pact_editor_sign_and_pdf(client_of, operator, enrolled):
    client = client_of(operator)
    pact = enrolled.pacts.get()
    detail = reverse("tenancies:pact_detail", args=[enrolled.pk, pact.pk])
    client.post(
        detail,
        {
            "action": "commitment",
            "party": "household",
            "description": "Dieci ore al Punto di Comunità",
            "hours": "10",
        },
    )
    assert pact.commitments.count() == 3
    response = client.post(
        reverse("common:step", args=["pact", pact.pk, "sign"]),
        {
            "place": "Calcinato",
            "household_signatory": "Mario Rossi",
            "on": localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.SIGNED
    response = client.get(reverse("tenancies:pact_pdf", args=[enrolled.pk, pact.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_document_upload_page_refuses_a_disguised_file(client_of, operator, refer):
    household = refer()
    client = client_of(operator)
    url = reverse("tenancies:document_upload", args=[household.pk])
    response = client.post(
        url,
        {"kind": "isee", "title": "ISEE", "upload": SimpleUploadedFile("isee.pdf", b"GIF89a...")},
    )
    assert response.status_code == 200
    assert "non è un PDF" in response.content.decode()
    assert not HouseholdDocument.objects.exists()
    response = client.post(
        url,
        {"kind": "isee", "title": "ISEE", "upload": SimpleUploadedFile("isee.pdf", b"%PDF-1.4 ok")},
    )
    assert response.status_code == 302
    document = HouseholdDocument.objects.get()
    download = client.get(reverse("tenancies:document_download", args=[household.pk, document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ok"


def test_timeline_filters_by_kind(client_of, operator, enrolled):
    client = client_of(operator)
    url = reverse("tenancies:timeline", args=[enrolled.pk])
    everything = client.get(url).content.decode()
    pacts_only = client.get(url, {"kind": "pact"}).content.decode()
    # One timeline template for every page: verbs start with a capital.
    assert "Preso in carico" in everything and "Patto redatto" in everything
    assert "Patto redatto" in pacts_only and "Preso in carico" not in pacts_only
    assert AuditEvent.objects.filter(context_id=str(enrolled.pk)).count() >= 6


def test_editing_the_household_is_audited(client_of, operator, refer):
    household = refer()
    data = referral_post(operator, isee="12000.50", vulnerability_factors=["illness"])
    response = client_of(operator).post(
        reverse("tenancies:household_edit", args=[household.pk]), data
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert str(household.isee.amount) == "12000.50"
    assert household.vulnerability_factors == ["illness"]
    event = AuditEvent.objects.get(verb="household_updated")
    assert "isee" in event.data["fields"] and event.actor == operator


def test_adding_a_member_with_a_wrong_code_names_the_field(client_of, operator, refer):
    household = refer()
    response = client_of(operator).post(
        reverse("tenancies:member_add", args=[household.pk]),
        {
            "last_name": "Rossi",
            "first_name": "Luca",
            "codice_fiscale": "RSSLCU10A01B157Z",
            "birth_date": "2010-01-01",
            "relation": "child",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il codice fiscale" in page and "carattere di controllo" in page
    assert household.members.count() == 1


def test_exit_asks_for_the_reason(client_of, operator, enrolled):
    enrollment = enrolled.enrollments.get()
    client = client_of(operator)
    url = reverse("common:step", args=["enrollment", enrollment.pk, "exit"])
    on = localdate().isoformat()
    assert client.post(url, {"reason": "", "on": on, "note": "x"}).status_code == 200
    response = client.post(url, {"reason": "autonomy", "on": on, "note": "Ha trovato casa da sola"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.exit_reason == "autonomy"
