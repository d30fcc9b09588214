"""A guarantee approved by one fund administrator; a claim the landlord submitted, reviewed by
that administrator, approved by a second one, its payout sent in a SEPA file by a third and
confirmed by the fund's statement; the payout on the lease and the bank."""

import pytest
from playwright.sync_api import expect

from common.roles import Role
from common.tests.two_factor import browser_log_in
from fund.models import Claim
from fund.services.guarantees import guarantee_request
from fund.services.payouts import fund_bank_account_set
from fund.tests.factories import make_contribution, make_fund
from fund.tests.guarantee_factories import guaranteed_lease
from fund.tests.payouts import FUND_BIC, FUND_IBAN
from tests.browser.menu import menu_go
from tests.browser.test_fund_sepa_journey import send_and_confirm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    browser_log_in(page, username)


def _log_out(page):
    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_role("heading", name="Accedi")).to_be_visible()


def _confirm(page, action):
    page.get_by_role("button", name=f"Conferma: {action}").click()
    expect(page.locator(".message-success")).to_contain_text(action)


def test_guarantee_claim_four_eyes_and_payout(live_server, page, member, programme, tmp_path):
    operator = member(Role.OPERATOR, username="giulia")
    paola = member(Role.FUND_ADMIN, username="paola")
    member(Role.FUND_ADMIN, username="stefano")
    member(Role.FUND_ADMIN, username="marta")
    landlord_user = member(Role.LANDLORD, username="franco")
    fund = make_fund(programme=programme)
    make_contribution(fund=fund, amount="20000.00")
    fund_bank_account_set(
        actor=paola, fund=fund, account_holder="Fondo di garanzia", iban=FUND_IBAN, bic=FUND_BIC
    )
    lease = guaranteed_lease(programme=programme, operator=operator)
    lease.landlord.users.add(landlord_user)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)

    # The first fund administrator approves the guarantee from the queue and activates it.
    _log_in(page, live_server, "paola")
    menu_go(page, "Garanzie")
    page.get_by_role("link", name=f"#{guarantee.pk}").click()
    page.get_by_role("link", name="Approva").click()
    # The decision page shows the lease's arrears and the fund's capacity before and after.
    expect(page.get_by_role("main")).to_contain_text("Capacità dopo l'approvazione")
    _confirm(page, "Approva")
    page.get_by_role("link", name="Attiva").click()
    _confirm(page, "Attiva")
    expect(page.get_by_role("main")).to_contain_text("Attiva")
    _log_out(page)

    # The landlord claims the oldest unpaid month from their own page.
    _log_in(page, live_server, "franco")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Le mie garanzie")
    page.get_by_role("link", name="Chiedi il rimborso dei canoni non pagati").click()
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Presenta la richiesta").click()
    expect(page.locator(".message-success")).to_contain_text("Richiesta presentata")
    _log_out(page)
    claim = Claim.objects.get()

    # The first administrator reviews it; she cannot approve what she reviewed.
    _log_in(page, live_server, "paola")
    page.goto(f"{live_server.url}/fondo/richieste/{claim.pk}/")
    page.get_by_role("link", name="Prendi in istruttoria").click()
    _confirm(page, "Prendi in istruttoria")
    # Four eyes are the transition's permission: the reviewer is not even offered "Approva".
    expect(page.get_by_role("link", name="Approva")).to_have_count(0)
    _log_out(page)

    # A second administrator approves; the page offers no payment step.
    _log_in(page, live_server, "stefano")
    menu_go(page, "Richieste di rimborso")
    page.get_by_role("link", name=f"#{claim.pk}").click()
    page.get_by_role("link", name="Approva").click()
    _confirm(page, "Approva")
    expect(page.get_by_role("link", name="Paga")).to_have_count(0)
    _log_out(page)

    # A third sends the payout to the bank; the fund's statement confirms it.
    _log_in(page, live_server, "marta")
    send_and_confirm(page, live_server, [claim], tmp_path)
    page.goto(f"{live_server.url}/fondo/richieste/{claim.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Confermata dall'estratto conto da")
    page.goto(f"{live_server.url}/fondo/conti/bank/")
    expect(page.get_by_role("main")).to_contain_text(f"Liquidazione della richiesta n. {claim.pk}")
    _log_out(page)

    # The payout shows on the lease's rent ledger.
    _log_in(page, live_server, "giulia")
    page.goto(f"{live_server.url}/nuclei/contratti/{lease.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Pagamento del fondo di garanzia")
