"""A landlord on a phone (390×844): opens a guarantee, downloads its certificate and checks it on
the public verification page, reports unpaid rent, files a claim for two months with a PDF;
two fund administrators review and approve it, a third sends the payout and the
fund's statement confirms it; the landlord sees it paid, with the date."""

import io
import re

import pytest
from django.core import mail
from django.utils.timezone import localdate
from playwright.sync_api import expect
from pypdf import PdfReader

from common.roles import Role
from common.tests.two_factor import browser_log_in
from fund.models import Claim
from fund.tests.factories import make_contribution, make_fund
from fund.tests.guarantee_factories import active_guarantee, guaranteed_lease
from fund.tests.payouts import claim_pay
from tenancies.models import ArrearsCase, UnpaidRentReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    browser_log_in(page, username)


def _log_out(page):
    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_role("heading", name="Accedi")).to_be_visible()


def _confirm(page, action):
    page.get_by_role("button", name=f"Conferma: {action}").click()
    expect(page.locator(".message-success")).to_contain_text(action)


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def test_landlord_portal_on_a_phone(live_server, page, member, programme):
    page.set_viewport_size({"width": 390, "height": 844})
    operator = member(Role.OPERATOR, username="giulia")
    paola = member(Role.FUND_ADMIN, username="paola")
    member(Role.FUND_ADMIN, username="stefano")
    landlord_user = member(Role.LANDLORD, username="franco")
    fund = make_fund(programme=programme)
    make_contribution(fund=fund, amount="20000.00")
    lease = guaranteed_lease(programme=programme, operator=operator)
    lease.landlord.users.add(landlord_user)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=paola)
    certificate = guarantee.certificates.current().get()

    # The landlord opens the guarantee from the home page.
    _log_in(page, live_server, "franco")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Le mie garanzie")
    expect(page.get_by_role("main")).to_contain_text("Da guardare")
    page.get_by_role("link", name=re.compile(lease.household.name)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Garanzia n. {guarantee.pk}")
    expect(page.get_by_role("main")).to_contain_text("Copertura residua")
    _no_sideways_scroll(page)

    # The certificate: a PDF carrying the code printed on the page.
    href = page.get_by_role("link", name="Lettera di garanzia (PDF)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert certificate.code_grouped in text

    # Its verification link: genuine and in force.
    page.get_by_role("link", name="Pagina di verifica").click()
    expect(page.locator(".verdict-title")).to_have_text("Autentica e in vigore")
    page.go_back()

    # Unpaid rent reported: the arrears case opens for the operators.
    page.get_by_role("link", name="Segnala canoni non pagati").click()
    page.get_by_role("checkbox").nth(0).check()
    page.get_by_role("checkbox").nth(1).check()
    page.get_by_label("Nota per gli operatori").fill("Nessun pagamento da due mesi")
    page.get_by_role("button", name="Segnala i mesi non pagati").click()
    expect(page.locator(".message-success")).to_contain_text("Canoni non pagati segnalati")
    assert UnpaidRentReport.objects.filter(lease=lease).count() == 2
    assert ArrearsCase.objects.open().filter(lease=lease).exists()

    # A claim for the two oldest claimable months, with the payment demand as a PDF.
    page.get_by_role("link", name="Chiedi il rimborso dei canoni non pagati").click()
    page.get_by_role("checkbox").nth(0).check()
    page.get_by_role("checkbox").nth(1).check()
    page.get_by_label("Diffida di pagamento").set_input_files(
        {"name": "diffida.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Presenta la richiesta").click()
    expect(page.locator(".message-success")).to_contain_text("Richiesta presentata")
    claim = Claim.objects.get()
    assert claim.months.count() == 2
    assert claim.documents.get().kind == "payment_demand"
    expect(page.get_by_role("main")).to_contain_text("Diffida di pagamento")
    _log_out(page)

    # One administrator reviews, a second approves and pays (four eyes).
    _log_in(page, live_server, "paola")
    page.goto(f"{live_server.url}/fondo/richieste/{claim.pk}/")
    page.get_by_role("link", name="Prendi in istruttoria").click()
    _confirm(page, "Prendi in istruttoria")
    _log_out(page)
    _log_in(page, live_server, "stefano")
    page.goto(f"{live_server.url}/fondo/richieste/{claim.pk}/")
    page.get_by_role("link", name="Approva").click()
    _confirm(page, "Approva")
    _log_out(page)
    # A third administrator sends the payout to the bank; the fund's statement confirms it
    # (the SEPA journey has its own browser test).
    claim_pay(actor=paola, claim=claim)

    # The landlord sees the payout on the home page and the claim paid, with its date.
    _log_in(page, live_server, "franco")
    expect(page.get_by_role("main")).to_contain_text("Rimborsi pagati")
    page.get_by_role("link", name=f"Richiesta n. {claim.pk}").first.click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Pagato")
    expect(main).to_contain_text(localdate().strftime("%d/%m/%Y"))
    expect(main).to_contain_text("Pagato il")
    _no_sideways_scroll(page)

    # Every step was told after its commit: the claim's arrival to the administrators who did
    # not file it, each of its steps to the landlord, in Italian; the landlord's inbox has them.
    landlord_mail = [
        m.subject for m in mail.outbox if m.to == [landlord_user.email] and "richiesta" in m.subject
    ]
    assert [subject.split(":")[0] for subject in landlord_mail] == [
        f"La richiesta n. {claim.pk} è in esame",
        f"La richiesta n. {claim.pk} è approvata",
        f"La richiesta n. {claim.pk} è stata pagata",
    ], landlord_mail
    arrivals = [m for m in mail.outbox if m.subject.startswith(f"Nuova richiesta n. {claim.pk}")]
    assert sorted(tuple(m.to) for m in arrivals) == [
        ("paola@example.org",),
        ("stefano@example.org",),
    ]
    page.goto(f"{live_server.url}/notifiche/")
    expect(page.get_by_role("main")).to_contain_text(f"La richiesta n. {claim.pk} è stata pagata")
