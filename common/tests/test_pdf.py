"""The shared PDF renderer: WeasyPrint's set-up made once per thread and reused."""

import threading

from common.pdf import pdf_stylesheet
from fund.pdf import LETTERHEAD, certificate_pdf_render, certificate_renderer_warm

STYLESHEET = LETTERHEAD[0]


def test_a_stylesheet_is_parsed_once_per_thread():
    first = pdf_stylesheet(STYLESHEET)
    assert pdf_stylesheet(str(STYLESHEET)) is first
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf_stylesheet(STYLESHEET)))
    thread.start()
    thread.join()
    assert other[0] is not first


FACTS = {
    "version": 1,
    "code": "ABCD-EFGH-JKMN-PQRS",
    "verification_url": "https://fondo.example.org/verifica/ABCD-EFGH-JKMN-PQRS/",
    "issued_on": "2026-12-01",
    "programme": "Abitare la comunità",
    "lead_organisation": "",
    "fund": "Fondo di garanzia affitti",
    "guarantee_number": 1,
    "landlord": "Immobiliare Rossi S.r.l.",
    "landlord_tax_code": "",
    "dwelling_address": "Via Roma 12",
    "dwelling_unit": "",
    "municipality": "Montichiari",
    "tenant": "Famiglia Bianchi",
    "lease_type": "Canone concordato",
    "lease_start": "2026-01-01",
    "lease_end": "2030-12-31",
    "rent": "550.00",
    "amount": "3300.00",
    "cover_months": 6,
    "valid_from": "2026-01-01",
    "valid_until": "2030-12-31",
}


def test_documents_render_alike_in_a_warmed_thread_and_a_fresh_one():
    """Reusing the font configuration and the parsed stylesheet changes nothing in the
    document, only its time."""
    certificate_renderer_warm()
    warmed = [certificate_pdf_render(FACTS) for _ in range(2)]
    fresh = []
    thread = threading.Thread(target=lambda: fresh.append(certificate_pdf_render(FACTS)))
    thread.start()
    thread.join()
    assert warmed[0].startswith(b"%PDF-")
    assert warmed[0] == warmed[1] == fresh[0]
