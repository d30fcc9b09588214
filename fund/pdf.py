"""Render the fund's documents to PDF bytes: pure functions of the facts a service saved."""

from datetime import date
from decimal import Decimal

import segno

from common.pdf import pdf_render


def qr_svg(url: str) -> str:
    """`url` as an inline SVG QR code (medium error correction: a creased letter still scans)."""
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=4, border=2, omitsize=True, title=url
    )


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
        {"certificate": context, "qr_svg": qr_svg(facts["verification_url"])},
    )
