"""An operator records a late payment, sees the arrears case open, agrees a repayment plan and
sees the case cured when the household pays, in a real browser."""

import re
from datetime import timedelta

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect

from common.tests.two_factor import browser_log_in
from tenancies.rent.arrears import add_months, month_start
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_late_payment_case_plan_and_cure(live_server, page, programme, member):
    operator = member("operator", username="giulia", first_name="Giulia", last_name="Ferrari")
    today = localdate()
    lease = LeaseFactory(
        household__programme=programme,
        household__operator=operator,
        household__name="Benali Fatima",
        start_date=add_months(month_start(today), -2),
        due_day=1,
    )
    active_agreement_for(lease.landlord, valid_from=today - timedelta(days=400))
    lease_activate(actor=operator, lease=lease, today=today)  # three months due, none paid

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")

    # A late payment for the first month only.
    menu_go(page, "Contratti")
    page.get_by_role("link", name="Benali Fatima").click()
    page.get_by_role("link", name="Registra un pagamento").click()
    page.get_by_label("Importo").fill("550")
    page.get_by_label("Riferimento bancario").fill("TRN-2026-001")
    page.get_by_role("button", name="Registra il pagamento").click()
    expect(page.locator(".messages")).to_contain_text("Pagamento registrato")

    # The monthly run finds the rest late past the threshold and opens a case.
    run_monthly(month=month_start(today), today=today)
    menu_go(page, "Morosità")
    page.get_by_role("link", name="Benali Fatima").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Caso di morosità")
    expect(page.locator(".status").first).to_have_text("Aperto")

    # Contact, then a plan whose instalments add up to what is overdue: each a step of the case.
    page.get_by_role("link", name="Nucleo contattato").click()
    page.get_by_label("Cosa ci si è detti").fill("Ha perso il lavoro, può rientrare in due rate.")
    page.get_by_role("button", name="Conferma: Nucleo contattato").click()
    expect(page.locator(".status").first).to_have_text("Nucleo contattato")
    page.get_by_role("link", name="Concorda un piano di rientro").click()
    page.get_by_label("Numero di rate mensili").fill("2")
    page.get_by_label("Prima rata in scadenza il").fill(today.isoformat())
    page.get_by_role("button", name="Conferma: Concorda un piano di rientro").click()
    expect(page.locator(".status").first).to_have_text("Piano di rientro concordato")
    expect(page.get_by_text("0,00 € rimborsati su 1.100,00 €")).to_be_visible()

    # The household pays everything overdue: the case is cured.
    page.get_by_role("link", name="Benali Fatima").click()
    overdue = page.locator("dt:has-text('Scaduto') + dd").inner_text()
    page.get_by_role("link", name="Registra un pagamento").click()
    amount = overdue.replace("€", "").replace(".", "").replace(",", ".").strip()  # 1.100,00 €
    page.get_by_label("Importo").fill(amount)
    page.get_by_role("button", name="Registra il pagamento").click()
    page.get_by_role("link", name=re.compile("Caso di morosità")).click()
    expect(page.locator(".status").first).to_have_text("Sanato")
    expect(page.locator(".timeline")).to_contain_text("Tutto lo scaduto è stato pagato.")
