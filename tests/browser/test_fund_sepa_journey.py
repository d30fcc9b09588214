"""A fund administrator who took no part in two approved claims puts their payouts in a SEPA
file, downloads it (pain.001, valid against the XSD), and after the bank has executed it
uploads the fund's statement, which confirms both payouts."""

from pathlib import Path

import pytest
import xmlschema
from playwright.sync_api import expect

from common.roles import Role
from common.tests.two_factor import browser_log_in
from fund.models import Claim, PayoutBatch
from fund.services.payouts import fund_bank_account_set
from fund.statement_samples import payout_statement_csv
from fund.tests.factories import make_contribution, make_fund
from fund.tests.guarantee_factories import active_guarantee, approved_claim, guaranteed_lease
from fund.tests.payouts import FUND_BIC, FUND_IBAN
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSD = Path(__file__).resolve().parents[2] / "fund" / "tests" / "pain.001.001.03.xsd"


def send_and_confirm(page, live_server, claims, tmp_path):
    """On the pages, as a logged-in fund administrator allowed to send `claims`: make the
    SEPA file, download it, upload the statement that shows the debits. Returns the file."""
    menu_go(page, "Bonifici SEPA")
    for claim in claims:
        page.get_by_label(f"Richiesta n. {claim.pk}", exact=False).check()
    page.get_by_role("button", name="Prepara il file SEPA").click()
    expect(page.locator(".message-success")).to_contain_text("File SEPA pronto")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Scarica il file SEPA (pain.001)").click()
    xml = Path(download_info.value.path()).read_text(encoding="utf-8")
    # What the bank shows on the fund's statement once it has executed the file.
    batch = PayoutBatch.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
    sent = list(batch.claims.select_related("guarantee__lease__landlord").order_by("pk"))
    statement = tmp_path / "estratto-conto-fondo.csv"
    statement.write_bytes(payout_statement_csv(claims=sent, booked_on=batch.execution_date))
    page.get_by_role("link", name="Estratti conto del fondo").first.click()
    page.get_by_label("File dell'estratto conto").set_input_files(str(statement))
    page.get_by_role("button", name="Carica e abbina").click()
    expect(page.locator(".message-success")).to_contain_text(f"{len(claims)} pagamenti confermati")
    page.goto(f"{live_server.url}{batch.get_absolute_url()}")
    expect(page.locator("td.payout-status", has_text="Pagato")).to_have_count(len(claims))
    return xml


def test_fund_admin_sends_two_payouts_and_the_statement_confirms_them(
    live_server, page, member, programme, tmp_path
):
    operator = member(Role.OPERATOR, username="giulia")
    reviewer = member(Role.FUND_ADMIN, username="paola")
    approver = member(Role.FUND_ADMIN, username="stefano")
    member(Role.FUND_ADMIN, username="marta")
    fund = make_fund(programme=programme)
    make_contribution(fund=fund, amount="20000.00")
    fund_bank_account_set(
        actor=reviewer, fund=fund, account_holder="Fondo di garanzia", iban=FUND_IBAN, bic=FUND_BIC
    )
    claims = []
    for _ in range(2):
        lease = guaranteed_lease(programme=programme, operator=operator)
        guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=reviewer)
        claims.append(
            approved_claim(
                guarantee=guarantee, submitter=operator, reviewer=reviewer, approver=approver
            )
        )

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "marta")
    xml = send_and_confirm(page, live_server, claims, tmp_path)
    xmlschema.XMLSchema(str(XSD)).validate(xml)
    assert all(c.payout_reference in xml for c in Claim.objects.all())
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.PAID}
