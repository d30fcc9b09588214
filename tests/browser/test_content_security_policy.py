"""Under the Content-Security-Policy the pages still work in a real browser: the programme
switcher (our one script, a static file) and the charts (styled by a static stylesheet), with
no violation reported."""

import pytest
from playwright.sync_api import expect

from common.roles import Role
from common.services import membership_grant
from common.tests.two_factor import browser_log_in
from fund.tests.factories import make_fund
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_without_breaking_the_policy(
    live_server, page, member, programme, other_programme
):
    user = member(Role.FUND_ADMIN, username="paola")
    membership_grant(actor=None, programme=other_programme, user=user, role=Role.MONITOR)
    make_fund(programme=programme)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "paola")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amministrazione del fondo")
    menu_go(page, "Fondo")
    legend_swatch = page.locator("figure.chart svg .legend rect.color-0").first
    expect(legend_swatch).to_be_visible()
    # The series colour comes from static/css/charts.css, not from inline style.
    assert legend_swatch.evaluate("rect => getComputedStyle(rect).fill") == "rgb(11, 83, 148)"

    # Choosing a programme sends the form at once, through static/js/app.js.
    page.get_by_label("Programma").select_option(label=other_programme.name)
    expect(page.locator(".role-badge")).to_have_text("Monitoraggio")

    assert violations == []
