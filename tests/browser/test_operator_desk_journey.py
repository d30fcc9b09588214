"""The operator's day from the inbox (issue 14): an overdue arrears contact done from its task,
a legal deadline marked done, a family handed to a colleague, a household found by a fragment
of its codice fiscale, the arrears desk filtered by ageing and exported; the XLSX read back."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect

from common.models import Task
from common.tests.two_factor import browser_log_in
from tenancies.models import ArrearsCase, Household
from tenancies.services.arrears import arrears_case_open
from tenancies.tests.eviction_factories import active_lease, case_with_summons
from tenancies.tests.factories import MemberFactory
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_day_at_the_operator_desk(live_server, page, programme, member):
    giulia = member("operator", username="giulia", first_name="Giulia", last_name="Ferrari")
    marco = member("operator", username="marco", first_name="Marco", last_name="Colombo")
    today = localdate()
    late = active_lease(programme=programme, operator=giulia, household__name="Benali Fatima")
    case = arrears_case_open(
        actor=giulia, lease=late, on=today - timedelta(days=40), origin="operator"
    )
    evicted = active_lease(programme=programme, operator=giulia, household__name="Rossi Anna")
    code = MemberFactory(household=evicted.household, last_name="Rossi").codice_fiscale
    eviction = case_with_summons(lease=evicted, operator=giulia, served_days_ago=20, hearing_in=10)
    arrears_task = Task.objects.open().get(kind="arrears_action", record_id=case.pk)
    assert arrears_task.due_on < today  # the first contact was due within days of opening
    deadline = Task.objects.open().filter(kind="eviction_deadline", record_id=eviction.pk).first()
    assert deadline is not None

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")
    menu_go(page, "Attività")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attività")

    # The overdue arrears contact, done from its task: the case's own step.
    page.locator(f"#task-{arrears_task.pk}").get_by_role("link").first.click()
    page.get_by_role("link", name="Nucleo contattato").click()
    page.get_by_label("Cosa ci si è detti").fill("Ha perso il lavoro, richiamo tra una settimana.")
    page.get_by_role("button", name="Conferma: Nucleo contattato").click()
    expect(page.locator(".status").first).to_have_text("Nucleo contattato")
    arrears_task.refresh_from_db()
    assert arrears_task.status != Task.Status.OPEN or arrears_task.due_on >= today

    # A legal deadline marked done from the inbox.
    menu_go(page, "Attività")
    page.locator(f"#task-{deadline.pk}").get_by_role("button", name="Segna come fatta").click()
    expect(page.locator(f"#task-{deadline.pk}")).to_have_count(0)
    deadline.refresh_from_db()
    assert deadline.status == Task.Status.DONE and deadline.closed_by_id == giulia.pk

    # The evicted family goes to a colleague: its household's operator, and its tasks with it.
    page.goto(f"{live_server.url}/nuclei/{evicted.household_id}/modifica/")
    page.get_by_label("Operatore").select_option(label="Marco Colombo")
    page.get_by_role("button", name="Salva").click()
    assert Household.objects.get(pk=evicted.household_id).operator == marco
    assert not Task.objects.open().filter(context_id=evicted.household_id, owner=giulia).exists()

    # Found again by a fragment of its codice fiscale, from the header's search box.
    search = page.get_by_role("searchbox", name="Ricerca rapida")
    search.fill(code[3:9].lower())
    search.press("Enter")
    expect(page.get_by_role("main")).to_contain_text("Rossi Anna")

    # The arrears desk filtered by ageing (opened 40 days ago) and exported as a spreadsheet.
    menu_go(page, "Morosità")
    page.get_by_label("Giorni dall'apertura").select_option("31-60")
    page.get_by_role("button", name="Filtra").click()
    expect(page.get_by_role("main")).to_contain_text("Benali Fatima")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2, rows  # the header and the one case of that age
    amount = ArrearsCase.objects.get(pk=case.pk).amount_at_opening.amount
    assert float(amount) in [cell for cell in rows[1] if isinstance(cell, (int, float))]
