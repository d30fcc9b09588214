"""Render documents to PDF bytes: pure functions of the facts a service saved."""

from django.template.loader import render_to_string
from django.utils import translation


def pact_pdf_render(facts: dict) -> bytes:
    """The signed support pact, in Italian, laid out for signing, as PDF bytes."""
    from weasyprint import HTML

    with translation.override("it"):
        html = render_to_string("tenancies/pdf/pact.html", {"pact": facts})
    return HTML(string=html).write_pdf()
