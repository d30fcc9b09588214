"""Render the fund's documents to PDF bytes: pure functions of the facts a service saved."""

import base64
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import segno

from common.pdf import pdf_render, pdf_renderer_warm

PDF_STYLES = Path(__file__).resolve().parent / "templates/fund/pdf"
LETTERHEAD = (PDF_STYLES / "letterhead.css",)
CERTIFICATE_STYLESHEETS = (*LETTERHEAD, PDF_STYLES / "certificate.css")


def qr_png_data_url(url: str) -> str:
    """`url` as a QR code (medium error correction: a creased letter still scans), one pixel
    per module in a `data:` URL, for a PDF to scale up without smoothing
    (`image-rendering: pixelated`): WeasyPrint embeds it in a fraction of an SVG's time."""
    png = io.BytesIO()
    segno.make(url, error="m", micro=False).save(png, kind="png", scale=1, border=2)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def certificate_renderer_warm() -> None:
    """Get this process ready to render certificates (fonts, stylesheet), once, before a batch."""
    pdf_renderer_warm(stylesheets=CERTIFICATE_STYLESHEETS)


def certificate_pdf_render(facts: dict) -> bytes:
    """The guarantee certificate (lettera di garanzia), A4 in Italian, with its verification
    code and a QR code to the public verification page, as PDF bytes."""
    context = {
        **facts,
        "amount": Decimal(facts["amount"]),
        "rent": Decimal(facts["rent"]),
        **{
            key: date.fromisoformat(facts[key])
            for key in ("issued_on", "lease_start", "lease_end", "valid_from", "valid_until")
        },
    }
    return pdf_render(
        "fund/pdf/certificate.html",
        {"certificate": context, "qr_png": qr_png_data_url(facts["verification_url"])},
        stylesheets=CERTIFICATE_STYLESHEETS,
    )


def _letter_context(facts: dict) -> dict:
    """A claim letter's facts as the template reads them: amounts as Decimal, days as dates."""
    amounts = ("claimed_amount", "approved_amount", "remaining_cover_after", "amount")
    days = ("issued_on", "submitted_on", "execution_date")
    return {
        **facts,
        **{key: Decimal(facts[key]) for key in amounts if facts.get(key) not in (None, "")},
        **{key: date.fromisoformat(facts[key]) for key in days if facts.get(key)},
        "months": [
            {"month": date.fromisoformat(m["month"]), "amount": Decimal(m["amount"])}
            for m in facts.get("months", [])
        ],
    }


def claim_letter_pdf_render(facts: dict) -> bytes:
    """A letter on a claim, A4 in Italian on the fund's letterhead, as PDF bytes: the decision
    (approved or rejected) for the landlord, or the payout order for the fund's accounts. A pure
    function of the facts saved when it was issued: rendering again gives the same letter."""
    template = (
        "fund/pdf/payout_order.html"
        if facts["kind"] == "payout_order"
        else "fund/pdf/claim_decision.html"
    )
    return pdf_render(template, {"letter": _letter_context(facts)}, stylesheets=LETTERHEAD)
