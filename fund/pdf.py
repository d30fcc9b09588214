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
    return pdf_render(template, {"letter": _letter_context(facts)})
