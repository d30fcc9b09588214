"""A fund administrator books a contribution, sees it on the dashboard and reverses it."""

import pytest
from playwright.sync_api import expect

from common.roles import Role
from common.tests.two_factor import browser_log_in
from fund.tests.factories import make_fund
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_book_a_contribution_and_reverse_it(live_server, page, member, programme):
    member(Role.FUND_ADMIN, username="paola")
    make_fund(programme=programme)

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "paola")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amministrazione del fondo")

    page.get_by_role("link", name="Registra un contributo").first.click()
    page.get_by_label("Finanziatore").fill("Fondazione Cariplo")
    page.get_by_label("Tipo").select_option("foundation")
    page.get_by_label("Importo (EUR)").fill("15000,00")
    page.get_by_role("button", name="Registra il contributo").click()
    expect(page.locator(".message-success")).to_contain_text("Fondazione Cariplo")

    menu_go(page, "Fondo")
    figures = page.locator(".figures").first
    expect(figures).to_contain_text("15.000,00")
    expect(page.locator("figure.chart svg")).to_be_visible()

    menu_go(page, "Contabilità")
    page.get_by_role("link", name="Contributo da Fondazione Cariplo").click()
    page.get_by_role("link", name="Storna la registrazione").click()
    page.get_by_label("Motivo dello storno").fill("Bonifico respinto dalla banca")
    page.get_by_role("button", name="Storna la registrazione").click()
    expect(page.locator(".message-success")).to_contain_text("stornata")
    expect(page.get_by_role("main")).to_contain_text("Bonifico respinto dalla banca")

    menu_go(page, "Fondo")
    expect(page.locator(".figures").first).to_contain_text("0,00")
