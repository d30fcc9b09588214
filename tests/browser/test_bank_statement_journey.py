"""An operator uploads the rent account's statement, sees one line matched and one not,
matches that one by hand, confirms, and finds the family's arrears case cured."""

from datetime import timedelta

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect

from common import progress
from common.tests.two_factor import browser_log_in
from tenancies.models import ArrearsCase, BankStatement, Payment, StatementUploadJob
from tenancies.rent.arrears import add_months, month_start
from tenancies.services.bank_jobs import PROGRESS, statement_job_execute
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.tests.factories import MemberFactory
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Data contabile;Data valuta;Descrizione;Importo;Ordinante;IBAN ordinante;CRO"


def _lease(programme, operator, name, surname, today):
    lease = LeaseFactory(
        household__programme=programme,
        household__operator=operator,
        household__name=name,
        start_date=add_months(month_start(today), -2),
        due_day=1,
    )
    member = MemberFactory(household=lease.household, last_name=surname, first_name="Anna")
    active_agreement_for(lease.landlord, valid_from=today - timedelta(days=400))
    lease_activate(actor=operator, lease=lease, today=today)  # three months due (550 each)
    return lease, member


def test_statement_matched_by_hand_confirmed_and_the_case_cured(
    live_server, page, programme, member, tmp_path
):
    operator = member("operator", username="giulia")
    today = localdate()
    benali, _member = _lease(programme, operator, "Benali Fatima", "Benali", today)
    rossi, rossi_member = _lease(programme, operator, "Rossi Anna", "Rossi", today)
    run_monthly(month=month_start(today), today=today)
    case = ArrearsCase.objects.get(lease=benali)
    day = today.strftime("%d/%m/%Y")
    statement = tmp_path / "estratto.csv"
    statement.write_text(
        "\n".join(
            [
                HEADER,
                # Rossi's rent for one month, recognised by the codice fiscale.
                f"{day};{day};Affitto CF {rossi_member.codice_fiscale};550,00;Zio;;CRO-1",
                # Benali's three months paid by a relative: no reference the matcher knows.
                f"{day};{day};Bonifico per Fatima;1650,00;Caritas parrocchiale;;CRO-2",
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")
    menu_go(page, "Contratti")
    page.get_by_role("link", name="Estratti conto").click()
    page.get_by_label("File dell'estratto conto").set_input_files(str(statement))
    page.get_by_role("button", name="Carica e abbina").click()

    # One line matched with its reason, one waiting to be matched by hand.
    main = page.get_by_role("main")
    expect(main).to_contain_text("Da abbinare a mano (1)")
    page.get_by_role("link", name="Abbina a mano").click()
    page.get_by_label("Nucleo, cognome o codice fiscale").fill("Benali")
    page.get_by_role("button", name="Cerca").click()
    page.get_by_role("button", name="Abbina a questo contratto").click()

    # Both matched now: confirm books them through the rent ledger.
    page.goto(f"{live_server.url}/nuclei/estratti-conto/")
    page.get_by_role("link", name=today.strftime("%d/%m/%Y")).first.click()
    page.get_by_role("button", name="Conferma e registra").click()
    expect(page.locator(".messages")).to_be_visible()
    assert Payment.objects.filter(lease=benali).count() == 1
    assert Payment.objects.filter(lease=rossi).count() == 1

    # The family's arrears case is cured by the payment the operator matched.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator(".status").first).to_have_text("Sanato")
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.CURED


def test_a_long_statement_shows_its_progress_then_the_statement(
    live_server, page, programme, member, tmp_path, settings
):
    """Above the threshold the file is read by a worker: the page shows the bar following the
    worker, then goes to the statement by itself once read."""
    # A queue nobody works, so the test plays the worker (the immediate backend used in tests
    # would read the file before the page even shows).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.BANK_STATEMENT_INLINE_LINES = 10
    settings.MEDIA_ROOT = tmp_path / "documents"
    member("operator", username="giulia")
    day = localdate().strftime("%d/%m/%Y")
    statement = tmp_path / "estratto-lungo.csv"
    rows = [f"{day};{day};Bonifico {n};{n},00;Ordinante {n};;L{n}" for n in range(1, 25)]
    statement.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")
    page.goto(f"{live_server.url}/nuclei/estratti-conto/")
    page.get_by_label("File dell'estratto conto").set_input_files(str(statement))
    page.get_by_role("button", name="Carica e abbina").click()
    expect(page.locator("#job-status")).to_have_text("In attesa di lettura")

    job = StatementUploadJob.objects.get()
    progress.progress_write(PROGRESS, job.pk, done=12, total=24, errors=0, elapsed=2.0)
    expect(page.locator("#job-text")).to_contain_text("50%")
    expect(page.locator("#job-text")).to_contain_text("6 righe/s · errori finora: 0")
    assert not BankStatement.objects.exists()

    job = statement_job_execute(job_id=job.pk)
    page.wait_for_url(f"**/nuclei/estratti-conto/{job.statement_id}/")
    expect(page.get_by_text("24 righe nuove")).to_be_visible()
    assert job.statement.lines.count() == 24
