"""The fund's bank statement as an Italian home-banking CSV export shows executed SEPA
transfers: for the demo data and the tests, where no real bank executes the payouts."""

import csv
import io
from datetime import date


def payout_statement_csv(*, claims, booked_on: date, opening: str = "") -> bytes:
    """A statement (semicolons, decimal commas, cp1252, a preamble) with one debit per claim
    payout sent to the bank: amount, the landlord's IBAN and the SEPA end-to-end id."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Estratto conto corrente", opening])
    writer.writerow([])
    writer.writerow(
        [
            "Data contabile",
            "Data valuta",
            "Importo",
            "Descrizione",
            "Controparte",
            "IBAN beneficiario",
            "End to end id",
            "Riferimento",
        ]
    )
    day = booked_on.strftime("%d/%m/%Y")
    for claim in claims:
        amount = f"-{claim.amount.amount:.2f}".replace(".", ",")
        writer.writerow(
            [
                day,
                day,
                amount,
                f"BONIFICO SEPA A FAVORE DI {claim.guarantee.lease.landlord}",
                str(claim.guarantee.lease.landlord),
                claim.payee_iban,
                claim.payout_reference,
                f"TRN{claim.pk:08d}{booked_on:%Y%m%d}",
            ]
        )
    return out.getvalue().encode("cp1252", errors="replace")
