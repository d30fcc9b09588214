"""An operator takes an eviction case from the summons to the arrears cured at the hearing after
a grace period, checking the dashboard's next deadline at each step, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localdate
from playwright.sync_api import expect

from common.tests.two_factor import browser_log_in
from tenancies import legal_clock
from tenancies.models import EvictionCase
from tenancies.tests.eviction_factories import active_lease, pay_up
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def short(day):
    with translation.override("it"):
        return date_format(day, "SHORT_DATE_FORMAT")


def test_summons_to_cured_after_the_grace_period(live_server, page, member, programme):
    operator = member("operator", username="giulia", first_name="Giulia", last_name="Ferrari")
    lease = active_lease(programme=programme, operator=operator)
    household = lease.household.name
    today = localdate()

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")

    def dashboard_says(task, day):
        menu_go(page, "Sfratti")
        row = page.locator("#eviction-cases tr", has_text=household)
        expect(row.locator(".next-deadline")).to_have_text(task)
        expect(row).to_contain_text(short(day))

    # The household brings a summons served 30 days ago: the hearing is today.
    menu_go(page, "Sfratti")
    page.get_by_role("link", name="Apri una pratica").click()
    page.get_by_label("Contratto di locazione").select_option(label=str(lease))
    page.get_by_label("Causa della morosità").select_option(label="Perdita del lavoro")
    page.get_by_label("Intimazione notificata il").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Udienza di convalida il").fill(today.isoformat())
    page.get_by_role("button", name="Conferma").click()
    expect(page.locator("#case-status")).to_have_text("Intimazione notificata")
    expect(page.locator('[aria-current="step"]')).to_contain_text("Intimazione notificata")
    dashboard_says("Udienza di convalida", today)

    # The hearing is held.
    page.get_by_role("link", name=household).click()
    page.get_by_role("link", name="Udienza tenuta").click()
    page.get_by_role("button", name="Conferma").click()
    expect(page.locator("#case-status")).to_have_text("All'udienza di convalida")
    dashboard_says("Registra l'esito dell'udienza", today)

    # A grace period beyond the law is refused in words; 60 days with the new hearing is not.
    page.get_by_role("link", name=household).click()
    page.get_by_role("link", name="Termine di grazia concesso").click()
    page.get_by_label("Giorni concessi").fill("100")
    page.get_by_label("Nuova udienza il").fill((today + timedelta(days=105)).isoformat())
    page.get_by_role("button", name="Conferma").click()
    expect(page.locator(".error-summary")).to_contain_text("da 1 a 90 giorni")
    page.get_by_label("Giorni concessi").fill("60")
    page.get_by_label("Nuova udienza il").fill((today + timedelta(days=65)).isoformat())
    page.get_by_role("button", name="Conferma").click()
    expect(page.locator("#case-status")).to_have_text("Termine di grazia")
    expect(page.locator("#grace-allowance")).to_contain_text("1 su 3")
    # Sixty days counted as art. 155 c.p.c. says: off a Sunday or holiday to the next working day.
    grace_ends = legal_clock.grace_ends_on(today, 60)
    dashboard_says("Scade il termine di grazia: morosità da pagare", grace_ends)

    # Enforcement before validation is not offered; nor is the cure while the ledger shows
    # arrears (L. 392/1978 art. 55). The household pays everything; the cure is offered.
    page.get_by_role("link", name=household).click()
    expect(page.get_by_role("link", name="Precetto notificato")).to_have_count(0)
    expect(page.get_by_role("link", name="Morosità sanata in udienza")).to_have_count(0)
    pay_up(case=EvictionCase.objects.get(lease=lease), operator=operator)
    page.reload()
    page.get_by_role("link", name="Morosità sanata in udienza").click()
    page.get_by_role("button", name="Conferma").click()
    expect(page.locator("#case-status")).to_have_text("Sanata in udienza")
    expect(page.locator('[aria-current="step"]')).to_contain_text("Sanata in udienza")

    menu_go(page, "Sfratti")
    expect(page.locator("#eviction-cases tr", has_text=household)).to_have_count(0)
    page.get_by_label("Mostra").select_option("closed")
    page.get_by_role("button", name="Filtra").click()
    expect(page.locator("#eviction-cases tr", has_text=household)).to_contain_text(
        "Sanata in udienza"
    )
