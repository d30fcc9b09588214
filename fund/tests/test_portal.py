"""The landlord's portal: what needs attention, a guarantee's and a claim's pages, reporting
unpaid rent, filing a claim with documents and answering a request for documents; never the
household's private data, never another landlord's objects."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localdate
from djmoney.money import Money

from common.exceptions import DomainError
from fund.models import Claim, ClaimDocument
from fund.services.claim_documents import claim_document_add
from fund.services.claims import (
    claim_approve,
    claim_provide_documents,
    claim_request_documents,
    claim_review,
    claim_submit,
)
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from fund.tests.payouts import claim_pay
from tenancies.models import ArrearsCase, Lease, Member, UnpaidRentReport
from tenancies.selectors.unpaid_reports import unpaid_reportable_months
from tenancies.services.unpaid_reports import unpaid_rent_report

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
CODICE_FISCALE = "RSSMRA80A01H501U"
PRIVATE = {
    "ISEE": "7654,32",
    "household notes": "Nota riservata del servizio sociale",
    "vulnerability": "Disabilità grave del figlio",
    "document": "Certificato medico Rossi",
    "codice fiscale": CODICE_FISCALE,
    "phone": "+39 333 9876543",
}


def pdf(name="Diffida.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def step_url(claim, step):
    return reverse("common:step", args=["claim", claim.pk, step])


@pytest.fixture
def guarantee(fund, programme, operator, fund_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    return active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)


@pytest.fixture
def landlord_user(guarantee, member):
    user = member("landlord", username="proprietaria")
    guarantee.lease.landlord.users.add(user)
    return user


@pytest.fixture
def other_landlord(member):
    return member("landlord", username="altro.proprietario")


@pytest.fixture
def admins(member):
    return member("fund_admin", username="amm2"), member("fund_admin", username="amm3")


def _dues(guarantee, n=2):
    return [d.pk for d in guarantee.lease.dues.order_by("month")[:n]]


def _private_household(guarantee, operator):
    """Give the household every kind of private data a landlord must never read."""
    from tenancies.services.documents import document_upload

    household = guarantee.lease.household
    household.isee = Money("7654.32", "EUR")
    household.referral_note = PRIVATE["household notes"]
    household.vulnerability_factors = [PRIVATE["vulnerability"]]
    household.phone = PRIVATE["phone"]
    household.save()
    Member.objects.filter(household=household).update(codice_fiscale=CODICE_FISCALE)
    if not Member.objects.filter(household=household).exists():
        from tenancies.tests.factories import MemberFactory

        MemberFactory(household=household, codice_fiscale=CODICE_FISCALE)
    document_upload(
        actor=operator,
        household=household,
        kind="other",
        title=PRIVATE["document"],
        upload=pdf("certificato.pdf"),
    )


def _portal_urls(guarantee, claim):
    return [
        reverse("fund:my_guarantees"),
        reverse("fund:my_guarantee", args=[guarantee.pk]),
        reverse("fund:my_claim_create", args=[guarantee.pk]),
        reverse("fund:my_claim", args=[claim.pk]),
        reverse("fund:my_unpaid_report", args=[guarantee.lease.pk]),
        reverse("fund:my_agreements"),
    ]


def test_home_says_what_needs_attention(guarantee, landlord_user, fund_admin, admins, client_of):
    lease = guarantee.lease
    Lease.objects.filter(pk=lease.pk).update(end_date=localdate() + timedelta(days=30))
    waiting = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    claim_request_documents(actor=fund_admin, claim=waiting, note="Manca la diffida")
    paid = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_dues(guarantee, 3)[1:])
    claim_review(actor=fund_admin, claim=paid)
    claim_approve(actor=admins[0], claim=paid)
    claim_pay(actor=admins[0], claim=paid)

    page = client_of(landlord_user).get(reverse("fund:my_guarantees")).text
    assert "Manca la diffida" in page
    assert reverse("fund:my_claim", args=[waiting.pk]) in page
    assert "Garanzie in scadenza entro 60 giorni" in page
    assert "Rimborsi pagati" in page
    assert localdate().strftime("%d/%m/%Y") in page


def test_guarantee_page_shows_cover_months_paid_and_certificate(
    guarantee, landlord_user, fund_admin, admins, client_of
):
    claim = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_dues(guarantee, 2))
    claim_review(actor=fund_admin, claim=claim)
    claim_approve(actor=admins[0], claim=claim)
    claim_pay(actor=admins[0], claim=claim)
    page = client_of(landlord_user).get(reverse("fund:my_guarantee", args=[guarantee.pk])).text
    certificate = guarantee.certificates.current().first()
    assert certificate.code_grouped in page
    assert reverse("fund:certificate", args=[guarantee.pk]) in page
    assert reverse("verify:certificate", args=[certificate.code_grouped]) in page
    first = guarantee.lease.dues.order_by("month").first()
    assert "Mesi pagati dal fondo" in page
    assert f"{claim}" in page
    remaining = guarantee.amount - claim.amount
    assert f"{remaining.amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in page
    assert first.due_date.strftime("%d/%m/%Y") in page


def test_claim_filed_from_the_portal_with_documents(guarantee, landlord_user, client_of):
    client = client_of(landlord_user)
    url = reverse("fund:my_claim_create", args=[guarantee.pk])
    response = client.post(
        url,
        {"dues": _dues(guarantee, 2), "note": "", "document_payment_demand": pdf()},
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fund:my_claim", args=[claim.pk])
    assert claim.months.count() == 2
    assert list(claim.documents.values_list("kind", flat=True)) == ["payment_demand"]
    page = client.get(response["Location"]).text
    assert "Intimazione di pagamento" in page or "Diffida" in page or "pagamento" in page


def test_a_refused_file_refuses_the_claim(guarantee, landlord_user, client_of):
    url = reverse("fund:my_claim_create", args=[guarantee.pk])
    fake = SimpleUploadedFile("diffida.pdf", b"MZ not a pdf at all")
    response = client_of(landlord_user).post(
        url, {"dues": _dues(guarantee, 1), "document_lease": fake}
    )
    assert response.status_code == 200
    assert not Claim.objects.exists()


def test_request_for_documents_answered_from_the_portal(
    guarantee, landlord_user, fund_admin, admins, client_of
):
    claim = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    admin = client_of(fund_admin)
    assert step_url(claim, "request_documents") in admin.get(claim.get_absolute_url()).text
    assert admin.post(step_url(claim, "request_documents"), {"note": ""}).status_code == 200
    admin.post(step_url(claim, "request_documents"), {"note": "Copia del contratto"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DOCUMENTS_REQUESTED
    assert claim.reviewed_by == fund_admin

    client = client_of(landlord_user)
    page_url = reverse("fund:my_claim", args=[claim.pk])
    page = client.get(page_url).text
    assert "Copia del contratto" in page
    # Nothing new yet: sending back is not offered, and refused if posted.
    assert step_url(claim, "provide_documents") not in page
    client.post(step_url(claim, "provide_documents"), {"note": ""})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DOCUMENTS_REQUESTED

    response = client.post(
        reverse("fund:my_claim_document", args=[claim.pk]), {"kind": "lease", "file": pdf()}
    )
    assert response.status_code == 302
    page = client.get(page_url).text
    assert step_url(claim, "provide_documents") in page
    response = client.post(step_url(claim, "provide_documents"), {"note": ""})
    assert response["Location"] == page_url
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNDER_REVIEW
    page = client.get(page_url).text
    assert "Documenti richiesti al proprietario" in page or "Copia del contratto" in page

    # Who asked for the documents reviewed the claim: a second administrator approves it.
    with pytest.raises(DomainError):
        claim_approve(actor=fund_admin, claim=claim)
    assert claim_approve(actor=admins[0], claim=claim).status == Claim.Status.APPROVED


def test_provide_documents_needs_a_new_document(guarantee, landlord_user, fund_admin):
    claim = claim_submit(
        actor=landlord_user,
        guarantee=guarantee,
        due_ids=_dues(guarantee, 1),
        documents=[("lease", pdf())],
    )
    claim_request_documents(actor=fund_admin, claim=claim, note="Diffida")
    with pytest.raises(DomainError):
        claim_provide_documents(actor=landlord_user, claim=claim)
    claim_document_add(actor=landlord_user, claim=claim, kind="payment_demand", upload=pdf())
    assert claim_provide_documents(actor=landlord_user, claim=claim).status == "under_review"
    assert ClaimDocument.objects.filter(claim=claim).count() == 2


def test_request_documents_needs_a_note(guarantee, landlord_user, fund_admin):
    claim = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    with pytest.raises(DomainError):
        claim_request_documents(actor=fund_admin, claim=claim, note="  ")


def test_rejected_claim_shows_its_reason(guarantee, landlord_user, fund_admin, client_of):
    from fund.services.claims import claim_reject

    claim = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    claim_reject(actor=fund_admin, claim=claim, note="Contratto non registrato")
    page = client_of(landlord_user).get(reverse("fund:my_claim", args=[claim.pk])).text
    assert "Contratto non registrato" in page
    assert "Respinta" in page


def test_unpaid_rent_report_feeds_the_arrears_case(guarantee, landlord_user, operator, client_of):
    lease = guarantee.lease
    months = unpaid_reportable_months(lease=lease)[:2]
    url = reverse("fund:my_unpaid_report", args=[lease.pk])
    client = client_of(landlord_user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"months": [m.isoformat() for m in months], "note": "Non paga"})
    assert response.status_code == 302
    reports = UnpaidRentReport.objects.filter(lease=lease)
    assert reports.count() == 2
    case = ArrearsCase.objects.get(lease=lease)
    assert case.origin == ArrearsCase.Origin.LANDLORD_REPORT
    assert {r.arrears_case_id for r in reports} == {case.pk}
    # The same month twice is refused.
    with pytest.raises(DomainError):
        unpaid_rent_report(actor=landlord_user, lease=lease, months=months[:1])
    # A month not yet due is refused.
    with pytest.raises(DomainError):
        unpaid_rent_report(
            actor=landlord_user, lease=lease, months=[date(localdate().year + 1, 12, 1)]
        )
    # The household's operators see it on the lease and on the arrears case.
    staff = client_of(operator)
    label = "Canoni non pagati segnalati dal proprietario"
    assert label in staff.get(reverse("tenancies:lease_detail", args=[lease.pk])).text
    assert label in staff.get(case.get_absolute_url()).text


def test_only_the_lease_landlord_reports(guarantee, other_landlord, operator):
    month = guarantee.lease.dues.order_by("month").first().month
    for actor in (other_landlord, operator):
        with pytest.raises(DomainError):
            unpaid_rent_report(actor=actor, lease=guarantee.lease, months=[month])


def test_portal_never_shows_the_households_private_data(
    guarantee, landlord_user, operator, client_of
):
    _private_household(guarantee, operator)
    claim = claim_submit(
        actor=landlord_user,
        guarantee=guarantee,
        due_ids=_dues(guarantee, 1),
        documents=[("payment_demand", pdf())],
    )
    client = client_of(landlord_user)
    for url in _portal_urls(guarantee, claim):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert guarantee.lease.household.name in page or url.endswith("convenzioni/")
        for what, value in PRIVATE.items():
            assert value not in page, f"{what} on {url}"
        assert "ISEE" not in page, url


def test_another_landlords_objects_are_not_found(
    guarantee, landlord_user, other_landlord, client_of
):
    claim = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    client = client_of(other_landlord)
    for url in _portal_urls(guarantee, claim)[1:5]:
        assert client.get(url).status_code == 404, url
    document_url = reverse("fund:my_claim_document", args=[claim.pk])
    assert client.post(document_url, {"kind": "lease", "file": pdf()}).status_code == 404
    assert not ClaimDocument.objects.exists()
    assert client.get(step_url(claim, "provide_documents")).status_code == 404
    page = client.get(reverse("fund:my_guarantees")).text
    assert guarantee.lease.household.name not in page


def test_lease_page_offers_to_request_the_guarantee(
    fund, programme, operator, fund_admin, client_of
):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    client = client_of(operator)
    request_url = reverse("fund:guarantee_request", args=[lease.pk])
    assert request_url in client.get(lease.get_absolute_url()).text
    client.post(request_url)
    page = client.get(lease.get_absolute_url()).text
    assert request_url not in page
    assert "Garanzia n." in page or "Garanzia #" in page
