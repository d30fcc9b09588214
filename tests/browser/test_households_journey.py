"""An operator refers a household, assesses it (one rule fails and is overridden with a reason),
enrols it, signs its pact and downloads the pact PDF, in a real browser."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect
from pypdf import PdfReader

from common.tests.two_factor import browser_log_in
from tenancies.codicefiscale import codice_fiscale_build
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"


def test_operator_refers_assesses_overrides_enrols_signs_and_downloads_the_pact(
    live_server, page, member
):
    member("operator", username="giulia", first_name="Giulia", last_name="Ferrari")
    birth = date(1982, 4, 17)
    code = codice_fiscale_build(
        first_name="Fatima", last_name="Benali", birth_date=birth, female=True, place_code="Z330"
    )

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scrivania dell'operatore")

    # Referral: she lives in Brescia, outside the programme's municipalities.
    menu_go(page, "Segnala un nucleo")
    page.get_by_label("Cognome della persona di riferimento").fill("Benali")
    page.get_by_label(re.compile("^Nome della persona di riferimento")).fill("Fatima")
    page.get_by_label("Codice fiscale della persona di riferimento").fill(code)
    page.get_by_label("Data di nascita della persona di riferimento").fill(birth.isoformat())
    page.get_by_label("Comune di residenza").fill("Brescia")
    page.get_by_label("Valore ISEE (€)").fill("7800")
    page.get_by_label("Scadenza ISEE").fill((localdate() + timedelta(days=200)).isoformat())
    page.get_by_label("Perdita del lavoro").check()
    page.get_by_label("Segnalato da").select_option(label="Punto di Comunità")
    page.get_by_role("button", name="Segnala").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benali Fatima")

    page.get_by_role("link", name="Avvia la valutazione").click()
    page.get_by_role("button", name="Conferma: Avvia la valutazione").click()
    page.get_by_role("link", name="Verifica l'ammissibilità").click()
    page.get_by_role("button", name="Conferma: Verifica l'ammissibilità").click()
    assessment = page.locator("table.assessment")
    expect(assessment.get_by_role("row", name="Residenza nei comuni")).to_contain_text(
        "non soddisfatta"
    )
    expect(page.locator(".status", has_text="Non ammissibile")).to_be_visible()

    # Override with a written reason (the field is required).
    page.get_by_role("link", name="Deroga: dichiara ammissibile").click()
    page.get_by_label("Motivo (obbligatorio)").fill(
        "Sfrattata da Montichiari il mese scorso, ospite da parenti a Brescia."
    )
    page.get_by_role("button", name="Conferma: Deroga: dichiara ammissibile").click()
    expect(page.locator(".override")).to_contain_text("Sfrattata da Montichiari")

    page.get_by_role("link", name="Prendi in carico").click()
    page.get_by_role("button", name="Conferma: Prendi in carico").click()
    expect(page.locator(".status", has_text="Preso in carico").first).to_be_visible()

    # The pact: a goal, one commitment each, then the signature.
    page.get_by_role("link", name="Redigi un patto").click()
    page.get_by_label("Obiettivo condiviso").fill("Trovare una casa stabile per me e i miei figli.")
    page.get_by_role("button", name="Salva").click()
    for party, text in [
        ("Il nucleo", "Frequentare il corso di italiano e di educazione finanziaria"),
        ("Il programma", "Garanzia del fondo sul canone e mediazione con il proprietario"),
    ]:
        page.get_by_label("Chi si impegna").select_option(label=party)
        page.get_by_label(re.compile("^Impegno:")).fill(text)
        page.get_by_role("button", name="Aggiungi l'impegno").click()
        expect(page.get_by_role("cell", name=text)).to_be_visible()
    page.get_by_role("link", name="Firma il patto").click()
    page.get_by_label("Luogo della firma").fill("Montichiari")
    page.get_by_role("button", name="Conferma: Firma il patto").click()
    expect(page.locator(".status", has_text="Firmato, in corso")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Scarica il patto firmato (PDF)").click()
    pdf_path = Path(download_info.value.path())
    text = "\n".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "Benali Fatima" in text
    assert "Frequentare il corso di italiano e di educazione finanziaria" in text
    assert "Garanzia del fondo sul canone" in text
    assert "Giulia Ferrari" in text
    assert "Montichiari" in text

    # The timeline shows the override with who and why.
    page.get_by_role("link", name="Benali Fatima").click()
    page.get_by_role("link", name="Cronologia").click()
    override = page.locator(".timeline-item", has_text="deroga all'ammissibilità")
    expect(override).to_contain_text("Giulia Ferrari")
    expect(override).to_contain_text("Sfrattata da Montichiari")
