"""Render documents to PDF bytes: one helper for every app's printable documents, so they all
share WeasyPrint's set-up, the page language and the fonts of `templates/<app>/pdf/`.

WeasyPrint's own set-up costs as much as laying out a page: a `FontConfiguration` scans every
system font (and loads the fonts again for each document that gets a new one), and each
stylesheet is tokenized and its selectors compiled. So each thread keeps one font
configuration and parses each document's stylesheet file once, for all the documents it renders
(a batch, a worker's day); `pdf_renderer_warm` does that ahead of the first document."""

import threading
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

_local = threading.local()


def _font_config():
    """This thread's font configuration (WeasyPrint's isn't safe to share across threads)."""
    font_config = getattr(_local, "font_config", None)
    if font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        font_config = _local.font_config = FontConfiguration()
        _local.stylesheets = {}
    return font_config


def pdf_stylesheet(path: Path | str):
    """The stylesheet file at `path`, parsed once per thread (with its fonts) and reused."""
    font_config = _font_config()
    key = str(path)
    stylesheet = _local.stylesheets.get(key)
    if stylesheet is None:
        from weasyprint import CSS

        stylesheet = _local.stylesheets[key] = CSS(filename=key, font_config=font_config)
    return stylesheet


def pdf_renderer_warm(*, stylesheets: tuple[Path | str, ...] = ()) -> None:
    """Set WeasyPrint up in this thread before the first document: fonts, `stylesheets` parsed
    and a line of text laid out, as a batch's worker does once before its share."""
    from weasyprint import HTML

    sheets = [pdf_stylesheet(path) for path in stylesheets]
    HTML(string="<p>Garanzia</p>").render(font_config=_font_config(), stylesheets=sheets)


def _document(template_name, context, language, stylesheets):
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, context)
    return HTML(string=html).render(
        font_config=_font_config(),
        stylesheets=[pdf_stylesheet(path) for path in stylesheets],
    )


def pdf_render(
    template_name: str,
    context: dict,
    *,
    language: str = "it",
    stylesheets: tuple[Path | str, ...] = (),
) -> bytes:
    """`template_name` rendered with `context` in `language` (Italian: what is signed and
    shown to third parties), as A4 PDF bytes; the template (with the stylesheet files in
    `stylesheets`, parsed once per thread) sets the page and the fonts."""
    return _document(template_name, context, language, stylesheets).write_pdf()


def pdf_render_pages(
    template_name: str,
    context: dict,
    *,
    language: str = "it",
    stylesheets: tuple[Path | str, ...] = (),
) -> tuple[bytes, int]:
    """As `pdf_render`, with the number of pages laid out (what a report's page says)."""
    document = _document(template_name, context, language, stylesheets)
    return document.write_pdf(), len(document.pages)
