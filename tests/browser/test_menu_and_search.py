"""The operator's grouped menu and the header's search, on a phone (390×844) and on a desktop:
each group opens as a disclosure menu (aria-expanded through <details>), one at a time,
nothing is wider than the screen, and a fragment of a codice fiscale finds the household."""

import pytest
from playwright.sync_api import expect

from common.tests.two_factor import browser_log_in
from tenancies.tests.factories import HouseholdFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_operator_menu_and_the_search_box(live_server, page, member, programme, width):
    operator = member("operator", username="operatrice")
    household = HouseholdFactory(programme=programme, name="Famiglia Ferrari", operator=operator)
    code = MemberFactory(household=household, last_name="Ferrari").codice_fiscale
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}/")
    browser_log_in(page, "operatrice")

    nav = page.get_by_role("navigation", name="Navigazione principale")
    arrears = nav.get_by_role("link", name="Morosità", exact=True)
    expect(arrears).to_be_hidden()
    nav.get_by_text("Morosità e sfratti").click()
    expect(arrears).to_be_visible()
    # Opening another group closes the first (static/js/app.js).
    nav.get_by_text("Casa", exact=True).click()
    expect(nav.get_by_role("link", name="Proprietari")).to_be_visible()
    expect(arrears).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Proprietari")).to_be_hidden()

    search = page.get_by_role("searchbox", name="Ricerca rapida")
    search.fill(code[3:9].lower())
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cerca")
    page.get_by_role("link", name="Famiglia Ferrari").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Famiglia Ferrari")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
