"""An operator registers a landlord, activates its agreement, adds a dwelling, and sees each
step on the landlord's timeline, in a real browser (Debian's chromium)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.tests.two_factor import browser_log_in
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_registers_landlord_activates_agreement_adds_dwelling(live_server, page, member):
    member("operator", username="giulia", first_name="Giulia", last_name="Ferrari")
    today = timezone.localdate()

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")

    # Register a landlord: first a wrong codice fiscale, refused with a clear message.
    menu_go(page, "Proprietari")
    page.get_by_role("link", name="Registra un proprietario").click()
    page.get_by_label("Nome:", exact=True).fill("Rosa Bettoni")
    page.get_by_label("Codice fiscale o partita IVA").fill("RSSMRA80A01H501X")
    page.get_by_label("IBAN").fill("IT60 X054 2811 1010 0000 0123 456")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator(".error-summary")).to_contain_text("non valido")
    page.get_by_label("Codice fiscale o partita IVA").fill("RSSMRA80A01H501U")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosa Bettoni")

    # Draft the agreement with its terms, then activate it through the confirmation page.
    page.get_by_role("link", name="Prepara una convenzione").click()
    page.get_by_label("Massimale per contratto").fill("5000")
    page.get_by_label("Canone mensile massimo").fill("650")
    page.get_by_label("3+2 canone concordato").check()
    page.get_by_label("Data di firma").fill(today.isoformat())
    page.get_by_label("Valida dal").fill(today.isoformat())
    page.get_by_label("Valida fino al").fill((today + timedelta(days=730)).isoformat())
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("h1 .status")).to_have_text("Bozza")
    page.get_by_role("link", name="Attiva", exact=True).click()
    page.get_by_label("Nota").fill("Firmata in sede il giorno stesso.")
    page.get_by_role("button", name=re.compile("Conferma")).click()
    expect(page.locator("h1 .status")).to_have_text("Attiva")
    expect(page.get_by_role("link", name="Sospendi")).to_be_visible()

    # Add a dwelling of this landlord.
    page.get_by_role("link", name="Rosa Bettoni").click()
    page.get_by_role("link", name="Aggiungi un alloggio").click()
    page.get_by_label("Indirizzo").fill("Via Mazzini 12")
    page.get_by_label("Comune").select_option("Calcinato")
    page.get_by_label("Locali").fill("3")
    page.get_by_label("Superficie (m²)").fill("72")
    page.get_by_label("Canone mensile:", exact=True).fill("540")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Via Mazzini 12, Calcinato")

    # Every step is on the landlord's timeline.
    page.get_by_role("link", name="Rosa Bettoni").click()
    timeline = page.locator(".timeline")
    expect(timeline.locator(".timeline-item")).to_have_count(4)
    expect(timeline).to_contain_text("Via Mazzini 12, Calcinato")
    expect(timeline).to_contain_text("Bozza → Attiva")
    expect(timeline).to_contain_text("Firmata in sede il giorno stesso.")
    expect(timeline).to_contain_text("Giulia Ferrari")
    expect(page.get_by_text("Nuove garanzie sono possibili")).to_be_visible()
