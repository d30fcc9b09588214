"""An operator proposes a cohousing place to an enrolled household, records the household's yes,
activates the placement and finds every step on the household's timeline, in a real browser."""

import pytest
from playwright.sync_api import expect

from common.tests.two_factor import browser_log_in
from housing.tests.factories import CohousingFactory, DwellingFactory
from tenancies.services import enrollment as enrollment_services
from tenancies.services.households import household_refer
from tenancies.tests.factories import referral_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_proposes_accepts_and_activates_a_placement(live_server, page, member, programme):
    giulia = member("operator", username="giulia", first_name="Giulia", last_name="Ferrari")
    household = household_refer(
        actor=giulia, programme=programme, operator=giulia, **referral_data()
    )
    enrollment = household.enrollments.get()
    enrollment_services.enrollment_start_assessment(actor=giulia, enrollment=enrollment)
    enrollment_services.enrollment_assess(actor=giulia, enrollment=enrollment)
    enrollment_services.enrollment_enrol(actor=giulia, enrollment=enrollment)
    cohousing = CohousingFactory(
        dwelling__programme=programme, dwelling__address="Via Mazzini 8", places=3
    )
    DwellingFactory(programme=programme, address="Via Verdi 2", available=False)

    page.goto(f"{live_server.url}/")
    browser_log_in(page, "giulia")
    page.goto(f"{live_server.url}/nuclei/{household.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(household.name)
    expect(page.get_by_text("Ancora nessuna sistemazione.")).to_be_visible()

    page.get_by_role("link", name="Proponi una sistemazione").click()
    expect(page.get_by_role("cell", name="Via Verdi 2")).to_have_count(0)
    page.get_by_role("link", name="Scegli Via Mazzini 8").click()
    page.get_by_label("Posto").select_option(label="Posto 2")
    page.get_by_label("Note").fill("Stanza al primo piano, vicina alla scuola.")
    page.get_by_role("button", name="Proponi questa sistemazione").click()
    expect(page.locator(".status", has_text="Proposta")).to_be_visible()

    page.get_by_role("link", name="Accettata dal nucleo").click()
    page.get_by_label("Nota").fill("Ha visitato la casa con la figlia.")
    page.get_by_role("button", name="Conferma: Accettata dal nucleo").click()
    expect(page.locator(".status", has_text="Accettata, in ingresso")).to_be_visible()

    page.get_by_role("link", name="Ingresso avvenuto: attiva").click()
    page.get_by_role("button", name="Conferma: Ingresso avvenuto: attiva").click()
    expect(page.locator(".status", has_text="Abitata")).to_be_visible()
    expect(page.get_by_text(f"{cohousing.dwelling}, posto 2").first).to_be_visible()

    page.get_by_role("link", name=household.name).click()
    expect(page.locator("#placements-heading + ul")).to_contain_text("Abitata")
    page.get_by_role("link", name="Cronologia").click()
    for verb in ("sistemazione proposta", "sistemazione accettata", "ingresso nell'alloggio"):
        expect(page.locator(".timeline-item", has_text=verb)).to_contain_text("Giulia Ferrari")
    expect(page.locator(".timeline-item", has_text="sistemazione accettata")).to_contain_text(
        "Ha visitato la casa con la figlia."
    )
