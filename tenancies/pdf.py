"""Render documents to PDF bytes: pure functions of the facts a service saved."""

from common.pdf import pdf_render


def pact_pdf_render(facts: dict) -> bytes:
    """The signed support pact, in Italian, laid out for signing, as PDF bytes."""
    return pdf_render("tenancies/pdf/pact.html", {"pact": facts})
