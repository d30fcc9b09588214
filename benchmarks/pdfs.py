"""Benchmark: the printable documents against a bare one-page WeasyPrint letter.

Each renderer is a pure function of the facts a service saved (fund.pdf, tenancies.pdf), so
this needs no database: it renders, in one process, a bare A4 letter (the ceiling: WeasyPrint
itself), the guarantee certificate (with its QR code) and the signed support pact, as medians
over repeated runs; then 1,000 certificates in a batch over every core (a process each, warmed
once, in chunks). Targets (issue "regional scale"): a certificate ≤ 1.3 × the bare letter;
1,000 certificates < 60 s. Prints the machine, a table and JSON.

The letter is a genuine one-page letter: letterhead, addressee, subject, paragraphs and
signature in the documents' font and size, with about as many words as the certificate (180),
laid out with WeasyPrint's set-up kept for the process as the renderers keep theirs
(common.pdf). So the ratio is what the certificate's design costs over plain text of its length;
the three-sentence note the benchmark used to measure against is still printed, without target.
Times are CPU time of this process (the machine is shared: wall time counts the neighbours'
load), and wall time beside them.

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

BARE_NOTE = """<!doctype html><html lang="it"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 11pt }
</style></head><body><h1>Lettera</h1><p>Gentile proprietario, con la presente le confermiamo
che la garanzia sul contratto di locazione è in vigore.</p><p>Cordiali saluti.</p></body></html>"""

BARE_LETTER = """<!doctype html><html lang="it"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 2cm }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4 }
p { margin: 0 0 .8em }
</style></head><body>
<p><strong>Fondazione della Comunità Bresciana</strong><br>Fondo di garanzia affitti<br>
Via Gramsci 17, 25121 Brescia</p>
<p>Spettabile<br>Immobiliare Rossi S.r.l.<br>Via Milano 4, 25018 Montichiari</p>
<p>Brescia, 1 dicembre 2026</p>
<p><strong>Oggetto: garanzia sul contratto di locazione di Via Roma 12, Montichiari</strong></p>
<p>Gentile proprietario, con la presente le confermiamo che la garanzia del fondo sul contratto
di locazione dell'alloggio di Via Roma 12 (int. 3), a Montichiari, stipulato con la famiglia
Bianchi il 1 gennaio 2026, è in vigore dal 1 gennaio 2026 al 31 dicembre 2030.</p>
<p>Il fondo garantisce il pagamento del canone che la famiglia non dovesse pagare, fino a
3.300,00 euro, pari a sei mensilità del canone mensile di 550,00 euro. La garanzia cessa prima
del termine se il contratto finisce o se la copertura è esaurita dai pagamenti del fondo.</p>
<p>Le richieste di pagamento si presentano al fondo secondo la convenzione che ha sottoscritto;
la nostra operatrice resta a sua disposizione per ogni chiarimento e per concordare un incontro
con la famiglia, se lo ritiene utile.</p>
<p>Cordiali saluti.</p>
<p>La responsabile del fondo<br>Maria Verdi</p>
</body></html>"""


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


def _timed(documents: dict, runs: int) -> dict:
    """Each document's median CPU and wall seconds and its size, rendered in turns (one of
    each per round, so a neighbour's burst of load falls on all of them alike)."""
    sizes = {name: len(render()) for name, render in documents.items()}  # warm: fonts, templates
    cpu = {name: [] for name in documents}
    wall = {name: [] for name in documents}
    for _ in range(runs):
        for name, render in documents.items():
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            render()
            cpu[name].append(time.process_time() - cpu_start)
            wall[name].append(time.perf_counter() - wall_start)
    return {
        name: (statistics.median(cpu[name]), statistics.median(wall[name]), sizes[name])
        for name in documents
    }


def _worker_start() -> None:
    """A batch worker's set-up, once: Django, then WeasyPrint's fonts and the stylesheet."""
    _setup()
    from fund.pdf import certificate_renderer_warm

    certificate_renderer_warm()


def _certificate(number: int) -> tuple[int, int, int, float]:
    """One certificate's size; the worker's process id, peak memory (KB) and CPU seconds so
    far after it."""
    import resource

    from fund.pdf import certificate_pdf_render

    size = len(certificate_pdf_render(certificate_facts(number)))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return size, os.getpid(), usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def _batch(count: int, cores: int) -> dict:
    """`count` certificates over `cores` worker processes: seconds from the pool's start, the
    workers' CPU seconds (start included: what the batch takes on idle cores, when the shared
    machine's neighbours stretch the wall time), bytes, and the largest worker's peak memory
    (KB) after its first chunk and at the end (flat: nothing kept between documents)."""
    chunksize = max(1, count // (cores * 8))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=cores, initializer=_worker_start) as pool:
        results = list(pool.map(_certificate, range(count), chunksize=chunksize))
    seconds = time.perf_counter() - start
    cpu = {}
    for _, pid, _, cpu_seconds in results:
        cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds)
    return {
        "seconds": seconds,
        "cpu_seconds_per_core": sum(cpu.values()) / cores,
        "bytes": sum(size for size, _, _, _ in results),
        "rss_early": max(rss for _, _, rss, _ in results[: chunksize * cores]),
        "rss_end": max(rss for _, _, rss, _ in results),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    _setup()
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from benchmarks.env import machine
    from fund.pdf import certificate_pdf_render
    from tenancies.pdf import pact_pdf_render

    font_config = FontConfiguration()  # kept for the process, as common.pdf keeps its own
    timed = _timed(
        {
            "bare letter": lambda: HTML(string=BARE_LETTER).write_pdf(font_config=font_config),
            "certificate": lambda: certificate_pdf_render(certificate_facts(1)),
            "support pact": lambda: pact_pdf_render(pact_facts()),
            "3-sentence note": lambda: HTML(string=BARE_NOTE).write_pdf(),
        },
        args.runs,
    )
    cores = os.cpu_count() or 1
    batch = _batch(args.batch, cores)
    batch_s, batch_cpu = batch["seconds"], batch["cpu_seconds_per_core"]
    bare_cpu, bare_wall, _ = timed["bare letter"]
    targets = {"certificate": CERTIFICATE_TARGET}
    print(json.dumps(machine(), indent=None))
    print(f"{'document':<16}{'CPU ms':>8}{'wall ms':>9}{'KB':>7}{'× bare':>8}  target")
    for name, (cpu, wall, size) in timed.items():
        ratio = cpu / bare_cpu
        target = targets.get(name)
        verdict = (
            "" if target is None else (f"≤ {target}: " + ("pass" if ratio <= target else "FAIL"))
        )
        print(
            f"{name:<16}{cpu * 1000:>8.1f}{wall * 1000:>9.1f}{size / 1024:>7.1f}"
            f"{ratio:>8.2f}  {verdict}"
        )
    verdict = "pass" if batch_s < BATCH_TARGET_S else "FAIL"
    print(
        f"{args.batch} certificates on {cores} cores: {batch_s:.1f} s "
        f"({args.batch / batch_s:.1f}/s, {batch['bytes'] / 1024 / 1024:.1f} MB) "
        f"target < {BATCH_TARGET_S:.0f} s: {verdict}; "
        f"CPU {batch_cpu:.1f} s per core ({'pass' if batch_cpu < BATCH_TARGET_S else 'FAIL'} "
        f"on idle cores); worker peak memory {batch['rss_early'] / 1024:.0f} MB after its "
        f"first chunk, {batch['rss_end'] / 1024:.0f} MB at the end"
    )
    ms = {name: round(cpu * 1000, 1) for name, (cpu, _, _) in timed.items()}
    print(
        json.dumps(
            {
                "bare_ms": ms["bare letter"],
                "certificate_ms": ms["certificate"],
                "certificate_ratio": round(ms["certificate"] / ms["bare letter"], 2),
                "pact_ms": ms["support pact"],
                "pact_ratio": round(ms["support pact"] / ms["bare letter"], 2),
                "note_ms": ms["3-sentence note"],
                "certificate_wall_ms": round(timed["certificate"][1] * 1000, 1),
                "bare_wall_ms": round(bare_wall * 1000, 1),
                "batch": args.batch,
                "batch_seconds": round(batch_s, 1),
                "batch_cpu_seconds_per_core": round(batch_cpu, 1),
                "batch_worker_peak_mb": [
                    round(batch["rss_early"] / 1024),
                    round(batch["rss_end"] / 1024),
                ],
                "cores": cores,
            }
        )
    )


if __name__ == "__main__":
    main()
