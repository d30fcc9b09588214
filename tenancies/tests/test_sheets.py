"""Spreadsheet imports: each kind lands through the services, whole or not at all, the same file
twice changes nothing, money to the cent, and broken or hostile files are refused in Italian."""

import io
import os
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from common import progress
from common.audit import AuditEvent
from common.exceptions import DomainError
from housing.models import Dwelling, Landlord
from housing.tests.factories import VALID_IBAN, DwellingFactory, LandlordFactory, partita_iva
from tenancies.models import ImportRow, ImportRun, Lease, Member
from tenancies.sheets.services import (
    import_confirm,
    import_preview_execute,
    import_upload,
    imports_expire,
)
from tenancies.tests.factories import make_codice_fiscale
from tenancies.tests.lease_factories import PlacementFactory

LANDLORD_HEADER = "Codice fiscale o partita IVA;Nome;Tipo;Referente;IBAN;Comune"


def csv_upload(text: str, *, name="file.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, name="file.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def run_import(operator, programme, django_capture_on_commit_callbacks):
    """`run_import(kind, upload)`: upload and preview, as the page does (small files inline)."""

    def run(kind, upload, *, actor=None):
        with django_capture_on_commit_callbacks(execute=True), translation.override("it"):
            imported = import_upload(
                actor=actor or operator, programme=programme, kind=kind, upload=upload
            )
        imported.refresh_from_db()
        return imported

    return run


@pytest.fixture
def confirm(operator, django_capture_on_commit_callbacks):
    def run(imported, *, actor=None):
        with django_capture_on_commit_callbacks(execute=True), translation.override("it"):
            import_confirm(actor=actor or operator, run=imported)
        imported.refresh_from_db()
        return imported

    return run


def landlord_csv(rows: int, *, bad_row: int | None = None) -> str:
    lines = [LANDLORD_HEADER]
    for n in range(rows):
        iban = "IT00X0000000000000000000000" if n == bad_row else VALID_IBAN
        lines.append(f"{partita_iva(n)};Proprietario {n};privato;;{iban};Montichiari")
    return "\n".join(lines) + "\n"


def test_landlords_import_then_reimport_changes_nothing(run_import, confirm, programme):
    imported = run_import("landlords", csv_upload(landlord_csv(3)))
    assert imported.status == ImportRun.Status.PREVIEWED
    assert imported.counts == {"created": 3}
    assert not Landlord.objects.in_programme(programme).exists()  # a preview keeps nothing
    confirm(imported)
    assert imported.status == ImportRun.Status.DONE
    assert Landlord.objects.in_programme(programme).count() == 3
    assert AuditEvent.objects.filter(verb="created").count() == 3  # through the service
    events = AuditEvent.objects.count()

    again = run_import("landlords", csv_upload(landlord_csv(3)))
    assert again.counts == {"unchanged": 3}
    with pytest.raises(DomainError, match="nulla da importare"):
        confirm(again)
    assert AuditEvent.objects.count() == events + 1  # only the second upload's own event


def test_one_bad_row_among_many_lands_nothing_and_names_it(run_import, confirm, programme):
    imported = run_import("landlords", csv_upload(landlord_csv(300, bad_row=150)))
    assert imported.counts == {"created": 299, "error": 1}
    assert imported.errors[0]["row"] == 152  # header is row 1, the 151st landlord is row 152
    assert imported.errors[0]["column"] == "IBAN"
    row = ImportRow.objects.get(run=imported, outcome="error")
    assert row.message.startswith("Riga 152, colonna «IBAN»:")
    with pytest.raises(DomainError, match="Correggi"):
        confirm(imported)
    assert not Landlord.objects.in_programme(programme).exists()


def test_a_row_refused_at_confirmation_rolls_back_the_whole_file(run_import, confirm, programme):
    programme.municipalities = ["Montichiari", "Carpenedolo"]
    programme.save(update_fields=["municipalities"])
    owner = LandlordFactory(programme=programme)
    header = "Codice fiscale proprietario;Indirizzo;Comune;Locali;Superficie m²;Canone mensile"
    text = "\n".join(
        [header]
        + [f"{owner.tax_code};Via Roma {n};Montichiari;3;70;500" for n in range(5)]
        + [f"{owner.tax_code};Via Garibaldi 1;Carpenedolo;2;50;400"]
    )
    imported = run_import("dwellings", csv_upload(text))
    assert imported.counts == {"created": 6}
    # Meanwhile the programme stops working in Carpenedolo: the last row is refused now.
    programme.municipalities = ["Montichiari"]
    programme.save(update_fields=["municipalities"])
    confirm(imported)
    assert imported.status == ImportRun.Status.FAILED
    assert "nulla è stato importato" in imported.error
    assert imported.errors[0]["row"] == 7
    assert imported.errors[0]["column"] == "Comune"
    assert not Dwelling.objects.in_programme(programme).exists()


def test_dwellings_money_to_the_cent_from_csv_and_xlsx(run_import, confirm, programme):
    owner = LandlordFactory(programme=programme)
    header = (
        "Codice fiscale proprietario;Indirizzo;Interno;Comune;Locali;Superficie m²;"
        "Canone mensile;Spese mensili"
    )
    text = f"{header}\n{owner.tax_code};Via Roma 3;A1;Montichiari;3;70;1.234,56;0,1\n"
    confirm(run_import("dwellings", csv_upload(text, encoding="cp1252")))
    dwelling = Dwelling.objects.get(unit="A1")
    assert dwelling.rent.amount == Decimal("1234.56")
    assert dwelling.service_charges.amount == Decimal("0.10")
    rows = [
        [
            "Codice fiscale proprietario",
            "Indirizzo",
            "Interno",
            "Comune",
            "Locali",
            "Superficie m²",
            "Canone mensile",
            "Spese mensili",
        ],
        [owner.tax_code, "Via Roma 3", "A2", "Montichiari", 2, 55, 650.1, 0.3],
        [owner.tax_code, "Via Roma 3", "A1", "Montichiari", 3, 70, 1234.56, 0.1],
    ]
    imported = run_import("dwellings", xlsx_upload(rows))
    assert imported.counts == {"created": 1, "unchanged": 1}
    confirm(imported)
    assert Dwelling.objects.get(unit="A2").rent.amount == Decimal("650.10")
    assert Dwelling.objects.get(unit="A2").service_charges.amount == Decimal("0.30")


def test_more_than_two_decimals_is_refused(run_import, programme):
    owner = LandlordFactory(programme=programme)
    text = (
        "Codice fiscale proprietario;Indirizzo;Comune;Locali;Superficie m²;Canone mensile\n"
        f"{owner.tax_code};Via Roma 3;Montichiari;3;70;1500,125\n"
    )
    imported = run_import("dwellings", csv_upload(text))
    assert imported.errors[0]["column"] == "Canone mensile"
    assert "due decimali" in imported.errors[0]["message"]


def household_rows():
    reference = make_codice_fiscale("Anna", "Bianchi", date(1980, 3, 4), female=True)
    child = make_codice_fiscale("Luca", "Bianchi", date(2012, 5, 6))
    header = (
        "Codice fiscale referente;Cognome;Nome;Codice fiscale;Data di nascita;Relazione;"
        "Comune di residenza;ISEE;Inviato da;Data consenso;Versione consenso"
    )
    today = timezone.localdate().strftime("%d/%m/%Y")
    return reference, (
        f"{header}\n"
        f"{reference};Bianchi;Anna;{reference};04/03/1980;referente;Montichiari;"
        f"8.500,50;Servizi sociali comunali;{today};1.0\n"
        f"{reference};Bianchi;Luca;{child};06/05/2012;figlio;;;;;\n"
    )


def test_households_with_members_import(run_import, confirm, programme):
    reference, text = household_rows()
    imported = run_import("households", csv_upload(text))
    assert imported.counts == {"created": 2}, imported.errors
    confirm(imported)
    member = Member.objects.get(codice_fiscale=reference)
    household = member.household
    assert household.members.count() == 2
    assert household.isee.amount == Decimal("8500.50")
    assert household.enrollments.get().status == "referred"
    assert run_import("households", csv_upload(text)).counts == {"unchanged": 2}


def test_leases_import_follows_the_placement(run_import, confirm, programme, operator):
    reference, text = household_rows()
    confirm(run_import("households", csv_upload(text)))
    household = Member.objects.get(codice_fiscale=reference).household
    household.enrollments.update(status="enrolled", enrolled_on=date(2025, 2, 1))
    dwelling = DwellingFactory(programme=programme, address="Via Verdi 8", unit="2")
    header = (
        "Codice fiscale referente;Indirizzo alloggio;Interno;Comune;Tipo contratto;Data inizio;"
        "Data fine;Canone mensile;Spese mensili;Numero registrazione"
    )
    lease_text = (
        f"{header}\n{reference};Via Verdi 8;2;{dwelling.municipality};3+2;01/01/2026;"
        "31/12/2028;480,00;35,50;TK3 123456\n"
    )
    refused = run_import("leases", csv_upload(lease_text))
    assert refused.counts == {"error": 1}
    assert refused.errors[0]["column"] == "Codice fiscale referente"
    assert "sistemazione" in refused.errors[0]["message"]  # no placement yet
    PlacementFactory(household=household, dwelling=dwelling, programme=programme)
    imported = run_import("leases", csv_upload(lease_text))
    assert imported.counts == {"created": 1}, imported.errors
    confirm(imported)
    lease = Lease.objects.get(registration_number="TK3 123456")
    assert lease.rent.amount == Decimal("480.00")
    assert lease.service_charges.amount == Decimal("35.50")
    assert lease.status == Lease.Status.DRAFT
    assert run_import("leases", csv_upload(lease_text)).counts == {"unchanged": 1}


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("x.csv", os.urandom(3000) + b"\x00", "non è un CSV"),
        ("x.xlsx", os.urandom(3000), "non è un XLSX"),
        ("x.csv", "Nome;Tipo\n".encode("utf-16"), "non è un CSV"),
        ("x.exe", b"MZ\x90\x00", "Carica un file CSV o XLSX"),
        ("x.csv", b"", "vuoto"),
    ],
)
def test_hostile_files_are_refused_in_italian(run_import, name, content, message):
    with pytest.raises(DomainError, match=message):
        run_import("landlords", SimpleUploadedFile(name, content))
    assert not ImportRun.objects.exists()


def test_zip_that_is_not_a_workbook_fails_cleanly(run_import):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "ciao")
    imported = run_import("landlords", SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert imported.status == ImportRun.Status.FAILED
    assert "XLSX" in imported.error


@pytest.mark.parametrize(
    "cell,column",
    [
        ("=cmd|' /C calc'!A0", "Nome"),
        ("@SUM(1+1)", "Nome"),
        ("x" * 5000, "Nome"),
    ],
)
def test_formulas_and_huge_cells_are_row_errors(run_import, programme, cell, column):
    text = f"{LANDLORD_HEADER}\n{partita_iva(1)};{cell};privato;;{VALID_IBAN};Montichiari\n"
    imported = run_import("landlords", csv_upload(text))
    assert imported.counts == {"error": 1}
    assert imported.errors[0]["column"] == column


def test_xlsx_formula_is_refused_not_run(run_import):
    rows = [LANDLORD_HEADER.split(";"), [partita_iva(1), "=1+1", "privato", "", VALID_IBAN, "X"]]
    imported = run_import("landlords", xlsx_upload(rows))
    assert imported.errors[0]["message"].startswith("le formule non sono ammesse")


def test_missing_columns_and_wrong_encoding_are_named(run_import):
    imported = run_import("landlords", csv_upload("Nome;Comune\nRossi;Brescia\n"))
    assert imported.status == ImportRun.Status.FAILED
    assert "Codice fiscale o partita IVA" in imported.error
    latin = f"{LANDLORD_HEADER}\n{partita_iva(1)};Società Né;privato;;{VALID_IBAN};Forlì\n"
    imported = run_import("landlords", csv_upload(latin, encoding="cp1252"))
    assert imported.counts == {"created": 1}
    broken = '"' + "a" * 200_000
    imported = run_import("landlords", csv_upload(f"{LANDLORD_HEADER}\n{broken}\n"))
    assert imported.status in (ImportRun.Status.FAILED, ImportRun.Status.PREVIEWED)


def test_large_file_runs_in_the_background_with_progress(
    operator, programme, django_capture_on_commit_callbacks, monkeypatch
):
    from tenancies.sheets import services

    monkeypatch.setattr(services, "INLINE_BYTES", 10)
    seen = []
    original = progress.progress_write
    monkeypatch.setattr(progress, "EVERY_SECONDS", 0)
    monkeypatch.setattr(
        progress,
        "progress_write",
        lambda kind, run_id, **kw: (seen.append(kw), original(kind, run_id, **kw)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        imported = import_upload(
            actor=operator,
            programme=programme,
            kind="landlords",
            upload=csv_upload(landlord_csv(50)),
        )
    imported.refresh_from_db()
    assert imported.status == ImportRun.Status.PREVIEWED  # the immediate backend ran the task
    assert seen[-1]["done"] == 50 and seen[-1]["total"] == 50
    assert import_preview_execute(run_id=imported.pk).status == ImportRun.Status.PREVIEWED


def test_pages_status_json_template_and_expiry(client, operator, run_import, programme):
    client.force_login(operator)
    page = client.get(reverse("tenancies:import_list"))
    assert page.status_code == 200
    template = client.get(reverse("tenancies:import_template", args=["households"]))
    headers = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.rows)]
    assert "Codice fiscale referente" in headers
    imported = run_import("landlords", csv_upload(landlord_csv(2)))
    status = client.get(reverse("tenancies:import_status", args=[imported.pk])).json()
    assert status["percent"] == 100 and status["errors"] == 0
    detail = client.get(imported.get_absolute_url())
    assert "Conferma" in detail.content.decode()
    ImportRun.objects.filter(pk=imported.pk).update(expires_at=timezone.now())
    call_command("expire_imports", stdout=io.StringIO())
    imported.refresh_from_db()
    assert imported.status == ImportRun.Status.EXPIRED
    assert not imported.rows.exists() and not imported.file
    assert imports_expire() == 0
