"""Guarantee certificates: issued on activation, reissued by an administrator, downloaded by
the lease's landlord and the staff only, checked publicly without any personal data."""

import io
import re

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.money import money_format
from common.roles import Role
from fund.models import GuaranteeCertificate
from fund.models.certificates import CODE_ALPHABET
from fund.services.certificates import certificate_pdf_ensure, certificate_reissue
from fund.services.guarantees import guarantee_expire, guarantee_release
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from tenancies.services.leases import lease_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarantee(fund, programme, operator, fund_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator, rent="640")
    return active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)


@pytest.fixture
def landlord_user(member, guarantee):
    user = member(Role.LANDLORD, username="proprietario")
    guarantee.lease.landlord.users.add(user)
    return user


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks as spaces: where a line wraps depends on the names."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def flat(text: str) -> str:
    return " ".join(text.split())


def current(guarantee) -> GuaranteeCertificate:
    return guarantee.certificates.get(voided_at=None)


def test_activation_issues_a_certificate_with_a_readable_unguessable_code(guarantee):
    certificate = current(guarantee)
    assert certificate.version == 1
    assert len(certificate.code) == 16 and set(certificate.code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(certificate.code)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", certificate.code_grouped)
    assert certificate.facts["amount"] == str(guarantee.amount.amount)
    assert certificate.facts["tenant"] == guarantee.lease.household.name
    assert certificate.facts["verification_url"].startswith("http")
    assert certificate.facts["verification_url"].endswith(f"/verifica/{certificate.code_grouped}/")


def test_the_certificate_reads_back_with_its_amounts_and_code(guarantee):
    certificate = current(guarantee)
    text = pdf_text(certificate_pdf_ensure(certificate=certificate))
    assert "Lettera di garanzia" in text
    assert certificate.code_grouped in text
    assert flat(money_format(guarantee.amount)) in text
    assert flat(money_format(guarantee.lease.rent)) in text
    assert f"{guarantee.cover_months} mensilità" in text
    assert guarantee.lease.household.name in text
    assert guarantee.lease.landlord.name in text
    assert guarantee.lease.dwelling.municipality in text
    assert "/verifica/" in text


def test_the_qr_code_encodes_the_verification_address_sharply(guarantee):
    """The QR code is a bitmap of one pixel per module (fast to embed), so it must be drawn
    without smoothing, and read back module for module as the verification address."""
    certificate = current(guarantee)
    page = PdfReader(io.BytesIO(certificate_pdf_ensure(certificate=certificate))).pages[0]
    (image,) = page.images
    drawn = image.image.convert("L")
    expected = segno.make(certificate.facts["verification_url"], error="m", micro=False)
    modules = [list(row) for row in expected.matrix_iter(scale=1, border=2)]
    assert drawn.size == (len(modules), len(modules))
    assert [
        [drawn.getpixel((x, y)) < 128 for x in range(drawn.width)] for y in range(drawn.height)
    ] == modules
    xobjects = page["/Resources"]["/XObject"].values()
    smoothing = [str(xobject.get_object().get("/Interpolate")) for xobject in xobjects]
    assert smoothing == ["False"]  # pypdf's BooleanObject(False) is truthy


def test_the_certificate_embeds_only_its_own_faces(guarantee):
    """Every face costs a subset and an embedding: the text's and the code's, nothing else
    (the page footer once fell back to a serif face of its own)."""
    page = PdfReader(io.BytesIO(certificate_pdf_ensure(certificate=current(guarantee)))).pages[0]
    faces = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for font in page["/Resources"]["/Font"].values()
    }
    assert faces <= {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Mono", "DejaVu-Sans-Mono-Bold"}


def test_the_pdf_is_written_once_and_then_served_as_stored(guarantee):
    certificate = current(guarantee)
    first = certificate_pdf_ensure(certificate=certificate)
    certificate.refresh_from_db()
    assert bytes(certificate.pdf) == first
    assert certificate_pdf_ensure(certificate=certificate) == first


def test_the_pdf_is_rendered_after_the_activation_commits(
    fund, programme, operator, fund_admin, django_capture_on_commit_callbacks
):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    with django_capture_on_commit_callbacks(execute=True):
        guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    assert bytes(current(guarantee).pdf).startswith(b"%PDF-")


def test_reissue_voids_the_old_version_and_is_audited(guarantee, fund_admin):
    old = current(guarantee)
    new = certificate_reissue(actor=fund_admin, guarantee=guarantee, note="Nome corretto")
    old.refresh_from_db()
    assert old.voided_at is not None and old.voided_by == fund_admin
    assert new.version == 2 and new.code != old.code and new.voided_at is None
    verbs = list(audit_timeline(guarantee).values_list("verb", "note"))
    assert ("certificate_reissued", "Nome corretto") in verbs


def test_reissue_is_for_fund_admins_with_a_reason_on_a_guarantee_in_force(
    guarantee, operator, fund_admin
):
    with pytest.raises(DomainError):
        certificate_reissue(actor=operator, guarantee=guarantee, note="perché")
    with pytest.raises(DomainError):
        certificate_reissue(actor=fund_admin, guarantee=guarantee, note=" ")
    guarantee_expire(actor=fund_admin, guarantee=guarantee, note="Termine")
    with pytest.raises(DomainError):
        certificate_reissue(actor=fund_admin, guarantee=guarantee, note="perché")
    assert guarantee.certificates.count() == 1


# Downloads


def test_landlord_of_the_lease_downloads_it(client_of, landlord_user, guarantee):
    response = client_of(landlord_user).get(reverse("fund:certificate", args=[guarantee.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert current(guarantee).code_grouped in pdf_text(response.content)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.FUND_ADMIN])
def test_staff_download_it(role, member, client_of, guarantee):
    response = client_of(member(role)).get(reverse("fund:certificate", args=[guarantee.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("role", [Role.CARETAKER, Role.MONITOR])
def test_other_roles_may_not(role, member, client_of, guarantee):
    response = client_of(member(role)).get(reverse("fund:certificate", args=[guarantee.pk]))
    assert response.status_code == 403


def test_another_landlord_gets_404(member, client_of, guarantee):
    stranger = member(Role.LANDLORD, username="altro")
    response = client_of(stranger).get(reverse("fund:certificate", args=[guarantee.pk]))
    assert response.status_code == 404


def test_another_programmes_admin_gets_404(
    other_programme, other_fund, member, client_of, guarantee
):
    admin = member(Role.FUND_ADMIN, programme=other_programme, username="altro-admin")
    response = client_of(admin).get(reverse("fund:certificate", args=[guarantee.pk]))
    assert response.status_code == 404


def test_the_pages_link_to_the_certificate(client_of, landlord_user, fund_admin, guarantee):
    url = reverse("fund:certificate", args=[guarantee.pk])
    assert url in client_of(landlord_user).get(reverse("fund:my_guarantees")).text
    detail = client_of(fund_admin).get(guarantee.get_absolute_url()).text
    assert url in detail
    assert reverse("fund:certificate_reissue", args=[guarantee.pk]) in detail


def test_fund_admin_reissues_from_the_page(client_of, fund_admin, guarantee):
    old = current(guarantee)
    url = reverse("fund:certificate_reissue", args=[guarantee.pk])
    client = client_of(fund_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": ""}).status_code == 200  # reason required
    response = client.post(url, {"note": "Indirizzo corretto"})
    assert response.status_code == 302
    assert current(guarantee).version == 2 and current(guarantee).code != old.code


def test_operator_may_not_reissue(client_of, operator, guarantee):
    url = reverse("fund:certificate_reissue", args=[guarantee.pk])
    assert client_of(operator).post(url, {"note": "x"}).status_code == 403


# Public verification


def verify(client, code):
    return client.get(reverse("verify:certificate", args=[code]))


def test_a_certificate_in_force_verifies(client, guarantee):
    certificate = current(guarantee)
    response = verify(client, certificate.code_grouped)
    assert response.status_code == 200
    assert "Autentica e in vigore" in response.text
    assert money_format(guarantee.amount) in response.text
    assert guarantee.lease.dwelling.municipality in response.text


def test_the_code_is_accepted_as_people_type_it(client, guarantee):
    code = current(guarantee).code
    assert verify(client, code.lower()).status_code == 200
    response = client.get(reverse("verify:form"), {"codice": f" {code[:8].lower()} {code[8:]} "})
    assert response.status_code == 302
    assert response.url == reverse("verify:certificate", args=[current(guarantee).code_grouped])


def test_after_release_it_is_no_longer_in_force(client, guarantee, operator, fund_admin):
    code = current(guarantee).code_grouped
    assert "Autentica e in vigore" in verify(client, code).text
    lease = guarantee.lease
    lease_end(actor=operator, lease=lease, on=lease.start_date.replace(month=6))
    guarantee.refresh_from_db()
    guarantee_release(actor=fund_admin, guarantee=guarantee, note="Contratto finito")
    response = verify(client, code)
    assert response.status_code == 200
    assert "non più in vigore" in response.text
    assert "svincolata" in response.text
    assert "Autentica e in vigore" not in response.text


def test_a_voided_version_says_void(client, guarantee, fund_admin):
    old = current(guarantee)
    certificate_reissue(actor=fund_admin, guarantee=guarantee, note="Nome corretto")
    response = verify(client, old.code_grouped)
    assert response.status_code == 200
    assert "annullata" in response.text.lower()
    assert "Autentica e in vigore" not in response.text
    assert "Autentica e in vigore" in verify(client, current(guarantee).code_grouped).text


def _answer(response) -> str:
    """The page's verdict without the code echoed back."""
    main = response.text.split('id="main"', 1)[1]
    return re.sub(r'value="[^"]*"', "", main)


def test_unknown_and_malformed_codes_answer_alike(client, guarantee):
    unknown = verify(client, "ABCD-EFGH-JKMN-PQRS")
    malformed = verify(client, "not a code!")
    assert unknown.status_code == malformed.status_code == 404
    assert _answer(unknown) == _answer(malformed)
    assert "Non è una lettera del fondo" in unknown.text


def test_the_verification_shows_nothing_personal(client, guarantee):
    lease = guarantee.lease
    text = verify(client, current(guarantee).code_grouped).text
    for secret in (
        lease.household.name,
        lease.landlord.name,
        lease.dwelling.address,
        *lease.household.members.values_list("codice_fiscale", flat=True),
        *lease.household.members.values_list("first_name", flat=True),
    ):
        if secret:
            assert secret not in text


def test_the_check_is_rate_limited_per_client(client, guarantee, settings):
    settings.CERTIFICATE_VERIFY_RATE = 3
    code = current(guarantee).code_grouped
    assert [verify(client, code).status_code for _ in range(3)] == [200, 200, 200]
    limited = verify(client, code)
    assert limited.status_code == 429
    assert "Troppe verifiche" in limited.text
    assert limited["Retry-After"] == "60"
    # Another address keeps its own allowance.
    other = client.get(reverse("verify:certificate", args=[code]), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_verification_form_opens_without_login(client):
    response = client.get(reverse("verify:form"))
    assert response.status_code == 200
    assert 'name="codice"' in response.text


@pytest.mark.parametrize(
    ("site_url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost", True),
        ("https://fondo.example.org", False),
    ],
)
def test_deploy_check_warns_of_a_local_site_url(site_url, warned, settings):
    from fund.checks import site_url_is_public

    settings.SITE_URL = site_url
    assert [w.id for w in site_url_is_public(None)] == (["fund.W001"] if warned else [])
