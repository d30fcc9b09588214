"""A person opens the app in a real browser (Debian's chromium) and logs in with each role."""

import pytest
from playwright.sync_api import expect

from common.roles import Role
from common.tests.two_factor import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# role: (heading of its home page, its badge in the header)
HOME_PAGES = {
    Role.OPERATOR: ("Scrivania dell'operatore", "Operatore abitativo"),
    Role.FUND_ADMIN: ("Amministrazione del fondo", "Amministratore del fondo"),
    Role.CARETAKER: ("Custode sociale", "Custode sociale"),
    Role.MONITOR: ("Indicatori del programma", "Monitoraggio"),
    Role.LANDLORD: ("Le mie garanzie", "Proprietario"),
}


def test_each_role_logs_in_and_sees_its_home_page(live_server, page, member):
    for role, (heading, badge) in HOME_PAGES.items():
        member(role, username=f"login-{role}")
        page.goto(f"{live_server.url}/")
        expect(page).to_have_url(f"{live_server.url}/accesso/?next=/")

        browser_log_in(page, f"login-{role}")

        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator(".role-badge")).to_have_text(badge)
        page.get_by_role("button", name="Esci").click()
        expect(page.get_by_role("heading", name="Accedi")).to_be_visible()
