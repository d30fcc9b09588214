"""A fund administrator runs a recovery plan and proposes a waiver for community hours; a
second administrator approves it (four eyes) and the plan shows waived."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.roles import Role
from common.tests.two_factor import browser_log_in
from fund.tests.factories import make_fund
from fund.tests.recovery_factories import make_plan
from tenancies.models import SupportPact
from tenancies.tests.factories import HouseholdFactory
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")
    browser_log_in(page, username)


def test_repay_then_waive_with_four_eyes(live_server, page, member, programme):
    paola = member(Role.FUND_ADMIN, username="paola")
    member(Role.FUND_ADMIN, username="stefano")
    fund = make_fund(programme=programme)
    household = HouseholdFactory(programme=programme, name="Bianchi Anna")
    today = timezone.localdate()
    SupportPact.objects.create(
        household=household,
        goal="Restare nella casa",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=300),
    )
    make_plan(fund=fund, household=household, actor=paola, amount="1200.00")

    login(page, live_server, "paola")
    menu_go(page, "Piani di rientro")
    page.get_by_role("link", name="Bianchi Anna").click()
    page.get_by_role("link", name="Attiva il piano").click()
    page.get_by_label("Numero di rate mensili").fill("6")
    page.get_by_label("Prima rata in scadenza il").fill(today.isoformat())
    page.get_by_role("button", name="Attiva il piano").click()
    expect(page.locator(".message-success")).to_contain_text("Attiva il piano")

    page.get_by_role("link", name="Registra una restituzione").click()
    page.get_by_label("Importo restituito (EUR)").fill("200,00")
    page.get_by_role("button", name="Registra una restituzione").click()
    expect(page.locator(".message-success")).to_contain_text("200,00")
    expect(page.locator(".figures")).to_contain_text("1.000,00")

    page.get_by_role("link", name="Registra ore di attività di comunità").click()
    page.get_by_label("Ore di attività").fill("12")
    page.get_by_label("Attività di comunità").fill("Doposcuola in parrocchia")
    page.get_by_label("Patto di accompagnamento del nucleo").select_option(index=1)
    page.get_by_role("button", name="Registra ore di attività di comunità").click()
    expect(page.get_by_role("main")).to_contain_text("Doposcuola in parrocchia")

    page.get_by_role("link", name="Proponi una rinuncia").click()
    page.get_by_label("Tipo di motivo").select_option("community_pact")
    page.get_by_label("Motivazione scritta").fill("Ore di comunità svolte come da patto")
    page.get_by_label("Patto di accompagnamento del nucleo").select_option(index=1)
    page.get_by_role("button", name="Proponi una rinuncia").click()
    expect(page.get_by_role("main")).to_contain_text(
        "Hai proposto tu questa rinuncia: un altro amministratore del fondo deve approvarla."
    )
    expect(page.get_by_role("link", name="Approva la rinuncia")).to_have_count(0)

    login(page, live_server, "stefano")
    menu_go(page, "Piani di rientro")
    page.get_by_role("link", name="Bianchi Anna").click()
    page.get_by_role("link", name="Approva la rinuncia").click()
    page.get_by_label("Nota sulla decisione").fill("Registro delle ore verificato")
    page.get_by_role("button", name="Approva la rinuncia").click()
    expect(page.locator(".message-success")).to_contain_text("Approva la rinuncia")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rinunciato")
    expect(page.locator(".figures")).to_contain_text("0,00")
