"""A fund administrator writes the funder report's narrative and watches the progress bar
follow the worker to the end; then a monitor logs in, finds the report and downloads it, and
the PDF read back holds the indicator values and the narrative, and no family."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect
from pypdf import PdfReader

from common import progress
from common.roles import Role
from common.tests.two_factor import browser_log_in
from fund.tests.factories import make_fund
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from reporting.models import FunderReport
from reporting.services import REPORT_PROGRESS, funder_report_build, target_create
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTRODUCTION = "Nel primo anno il fondo ha garantito cinque famiglie."
OUTLOOK = "Nel prossimo anno vogliamo arrivare a ottanta famiglie."


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    browser_log_in(page, username)


def _log_out(page):
    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_role("heading", name="Accedi")).to_be_visible()


def test_the_administrator_writes_the_report_and_a_monitor_downloads_it(
    live_server, page, member, programme, tmp_path, settings
):
    # A queue nobody works, so the test plays the worker (the immediate backend used in tests
    # would build the report before the page even shows).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path / "documents"
    operator = member(Role.OPERATOR, username="giulia")
    admin = member(Role.FUND_ADMIN, username="paola")
    member(Role.MONITOR, username="cariplo")
    fund = funded(make_fund(programme=programme, actor=admin), amount="30000.00", actor=admin)
    households = []
    for _n in range(5):
        lease = guaranteed_lease(programme=programme, operator=operator)
        active_guarantee(fund=fund, lease=lease, operator=operator, admin=admin)
        households.append(lease.household.name)
    today = localdate()
    target_create(
        actor=admin,
        programme=programme,
        indicator="households_guaranteed",
        value=Decimal(80),
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
        source="Progetto #GENERA_CASA",
    )

    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _log_in(page, live_server, "paola")
    menu_go(page, "Rapporti ai finanziatori")
    page.get_by_role("link", name="Nuovo rapporto").click()
    page.get_by_label("Titolo").fill("Rapporto annuale a Fondazione Cariplo")
    page.get_by_label("Introduzione").fill(INTRODUCTION)
    page.get_by_label("Prospettive").fill(OUTLOOK)
    page.get_by_role("button", name="Prepara il rapporto").click()
    expect(page.locator("#job-status")).to_have_text("In attesa di preparazione")

    report = FunderReport.objects.get()
    progress.progress_write(REPORT_PROGRESS, report.pk, done=2, total=5, errors=0, elapsed=1.0)
    expect(page.locator("#job-text")).to_contain_text("40%")
    funder_report_build(report_id=report.pk)
    expect(page.locator("#job-status")).to_have_text("Pronto")
    expect(page.get_by_role("link", name="Scarica il PDF")).to_be_visible()
    _log_out(page)

    _log_in(page, live_server, "cariplo")
    menu_go(page, "Rapporti ai finanziatori")
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il PDF (versione 1)").click()
    with open(download.value.path(), "rb") as stream:
        content = stream.read()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert INTRODUCTION in text and OUTLOOK in text
    assert "Nuclei sostenuti dal fondo di garanzia" in text
    assert "Progetto #GENERA_CASA 5 80 6%" in text  # 5 households of the 80 promised
    assert "30.000,00 €" in text
    for name in households:
        assert name not in text
    assert not violations  # the bar is driven by static/js/progress.js, no inline script
