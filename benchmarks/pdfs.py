"""Benchmark: the printable documents against a bare one-page WeasyPrint letter.

Each renderer is a pure function of the facts a service saved (fund.pdf, tenancies.pdf), so
this needs no database: it renders, in one process, a bare A4 letter (the ceiling: WeasyPrint
itself), the guarantee certificate (with its QR code) and the signed support pact, as medians
over repeated runs; then 1,000 certificates in a batch over every core (one process each).
Targets (issue "regional scale"): a certificate ≤ 1.3 × the bare letter; 1,000 certificates
< 60 s. Prints the machine, a table and JSON.

    .venv/bin/python benchmarks/pdfs.py [--runs 15] [--batch 1000]
"""

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

CERTIFICATE_TARGET, BATCH_TARGET_S = 1.3, 60.0

BARE_LETTER = """<!doctype html><html lang="it"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 11pt }
</style></head><body><h1>Lettera</h1><p>Gentile proprietario, con la presente le confermiamo
che la garanzia sul contratto di locazione è in vigore.</p><p>Cordiali saluti.</p></body></html>"""


def _setup():
    import django

    django.setup()


def certificate_facts(number: int) -> dict:
    return {
        "version": 1,
        "code": f"ABCD-EFGH-{number:04d}",
        "verification_url": f"https://fondo.example.org/verifica/ABCDEFGH{number:04d}/",
        "issued_on": "2026-12-01",
        "programme": "Abitare la comunità",
        "lead_organisation": "Fondazione della Comunità Bresciana",
        "fund": "Fondo di garanzia affitti",
        "guarantee_number": number,
        "landlord": "Immobiliare Rossi S.r.l.",
        "landlord_tax_code": "01234567890",
        "dwelling_address": "Via Roma 12",
        "dwelling_unit": "int. 3",
        "municipality": "Montichiari",
        "tenant": "Famiglia Bianchi",
        "lease_type": "Canone concordato (3+2)",
        "lease_start": "2026-01-01",
        "lease_end": "2030-12-31",
        "rent": "550.00",
        "amount": "3300.00",
        "cover_months": 6,
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
    }


def pact_facts() -> dict:
    commitment = {
        "text": "Partecipare agli incontri mensili",
        "due_on": date(2027, 6, 30),
        "hours": 4,
    }
    return {
        "programme": "Abitare la comunità",
        "lead_organisation": "Fondazione della Comunità Bresciana",
        "household": "Famiglia Bianchi",
        "reference": "Maria Bianchi",
        "reference_cf": "BNCMRA80A41F205X",
        "address": "Via Roma 12, Montichiari",
        "members": [
            {"name": "Maria Bianchi", "relation": "Referente", "birth_date": date(1980, 1, 1)},
            {"name": "Luca Bianchi", "relation": "Figlio", "birth_date": date(2012, 5, 3)},
        ],
        "goal": "Stabilizzare l'abitazione e rientrare dalla morosità.",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2027, 12, 31),
        "review_every_months": 6,
        "household_commitments": [commitment] * 4,
        "programme_commitments": [commitment] * 3,
        "signed_on": date(2026, 1, 10),
        "signed_at_place": "Montichiari",
        "signed_by_household": "Maria Bianchi",
        "signed_by_operator": "Operatrice Demo",
        "pact_number": "DEMO-P00001",
    }


def _timed(function, runs: int) -> tuple[float, int]:
    function()  # warm: fonts, templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        size = len(function())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def _certificates(numbers) -> int:
    _setup()
    from fund.pdf import certificate_pdf_render

    return sum(len(certificate_pdf_render(certificate_facts(n))) for n in numbers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    _setup()
    from weasyprint import HTML

    from benchmarks.pages import machine
    from fund.pdf import certificate_pdf_render
    from tenancies.pdf import pact_pdf_render

    bare, bare_size = _timed(lambda: HTML(string=BARE_LETTER).write_pdf(), args.runs)
    cert, cert_size = _timed(lambda: certificate_pdf_render(certificate_facts(1)), args.runs)
    pact, pact_size = _timed(lambda: pact_pdf_render(pact_facts()), args.runs)
    cores = os.cpu_count() or 1
    chunks = [range(i, args.batch, cores) for i in range(cores)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=cores) as pool:
        batch_bytes = sum(pool.map(_certificates, chunks))
    batch_s = time.perf_counter() - start
    rows = [
        ("bare letter", bare, bare_size, 1.0, None),
        ("certificate", cert, cert_size, cert / bare, CERTIFICATE_TARGET),
        ("support pact", pact, pact_size, pact / bare, None),
    ]
    print(json.dumps(machine(), indent=None))
    print(f"{'document':<16}{'median ms':>10}{'KB':>8}{'× bare':>8}  target")
    for name, seconds, size, ratio, target in rows:
        verdict = (
            "" if target is None else (f"≤ {target}: " + ("pass" if ratio <= target else "FAIL"))
        )
        print(f"{name:<16}{seconds * 1000:>10.1f}{size / 1024:>8.1f}{ratio:>8.2f}  {verdict}")
    verdict = "pass" if batch_s < BATCH_TARGET_S else "FAIL"
    print(
        f"{args.batch} certificates on {cores} cores: {batch_s:.1f} s "
        f"({args.batch / batch_s:.1f}/s, {batch_bytes / 1024 / 1024:.1f} MB) "
        f"target < {BATCH_TARGET_S:.0f} s: {verdict}"
    )
    print(
        json.dumps(
            {
                "bare_ms": round(bare * 1000, 1),
                "certificate_ms": round(cert * 1000, 1),
                "certificate_ratio": round(cert / bare, 2),
                "pact_ms": round(pact * 1000, 1),
                "pact_ratio": round(pact / bare, 2),
                "batch": args.batch,
                "batch_seconds": round(batch_s, 1),
                "cores": cores,
            }
        )
    )


if __name__ == "__main__":
    main()
