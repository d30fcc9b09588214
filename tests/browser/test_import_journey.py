"""An operator imports a spreadsheet of landlords: upload, the progress bar while the file is
read, the preview per row, confirm, and the landlords are there, in a real browser."""

import pytest
from playwright.sync_api import expect

from common import progress
from common.tests.two_factor import browser_log_in
from housing.models import Landlord
from housing.tests.factories import VALID_IBAN, partita_iva
from tenancies.models import ImportRun
from tenancies.sheets.services import import_preview_execute
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_uploads_previews_and_confirms_with_progress(live_server, page, member, tmp_path):
    member("operator", username="giulia", first_name="Giulia", last_name="Ferrari")
    lines = ["Codice fiscale o partita IVA;Nome;Tipo;IBAN;Comune"]
    lines += [
        f"{partita_iva(n)};Proprietario {n};privato;{VALID_IBAN};Montichiari" for n in range(4)
    ]
    sheet = tmp_path / "proprietari.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")
    menu_go(page, "Importa fogli di calcolo")
    page.get_by_label("Cosa contiene il file").select_option("landlords")
    page.locator("#id_file").set_input_files(str(sheet))
    page.get_by_role("button", name="Carica e mostra l'anteprima").click()
    expect(page.locator("#import-status")).to_have_text("Anteprima pronta")
    expect(page.locator("#import-text")).to_contain_text("100%")
    expect(page.get_by_text("Creata: 4")).to_be_visible()

    # Read it again as a worker would, half done: the bar follows the JSON status, then the
    # page reloads by itself once the preview is ready.
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
    progress.progress_write("imports", run.pk, done=2, total=4, errors=0, elapsed=1.0)
    page.reload()
    expect(page.locator("#import-text")).to_contain_text("50%")
    expect(page.locator("#import-text")).to_contain_text("2 righe/s")
    import_preview_execute(run_id=run.pk)
    expect(page.locator("#import-status")).to_have_text("Anteprima pronta")
    assert not Landlord.objects.exists()

    page.get_by_role("button", name="Conferma l'importazione").click()
    expect(page.locator("#import-status")).to_have_text("Importato")
    expect(page.get_by_text("Il file è stato importato.")).to_be_visible()
    assert Landlord.objects.count() == 4
