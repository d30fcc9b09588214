"""Render documents to PDF bytes: one helper for every app's printable documents, so they all
share WeasyPrint's set-up, the page language and the fonts of `templates/<app>/pdf/`."""

from django.template.loader import render_to_string
from django.utils import translation


def pdf_render(template_name: str, context: dict, *, language: str = "it") -> bytes:
    """`template_name` rendered with `context` in `language` (Italian: what is signed and
    shown to third parties), as A4 PDF bytes; the template sets the page and the fonts."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()


def pdf_render_pages(
    template_name: str, context: dict, *, language: str = "it"
) -> tuple[bytes, int]:
    """As `pdf_render`, with the number of pages laid out (what a report's page says)."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, context)
    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages)
