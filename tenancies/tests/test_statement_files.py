"""Reading bank statements as Italian banks export them, and refusing what is not one."""

import contextlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tenancies.bank.statement_files import StatementFileError, statement_read

SAMPLES = Path(__file__).parent / "bank_samples"


def read(name):
    return statement_read((SAMPLES / name).read_bytes(), name)


def test_intesa_style_cp1252_with_preamble_and_credit_debit_columns():
    lines = read("intesa_style.csv")
    assert [line.amount for line in lines] == [
        Decimal("650.00"),
        Decimal("-2.50"),
        Decimal("1200.00"),
    ]
    assert lines[0].booked_on == date(2026, 10, 2)
    assert lines[0].value_on == date(2026, 10, 1)
    assert "RSSMRA80A01F205X" in lines[0].description
    assert lines[2].description.endswith("più spese")  # cp1252 read as such
    assert lines[0].row == 6  # the spreadsheet's own row number, preamble counted


def test_unicredit_style_bom_and_signed_amount_with_bank_reference():
    lines = read("unicredit_style.csv")
    assert [line.amount for line in lines] == [Decimal("720.50"), Decimal("-85.10")]
    assert lines[0].bank_reference == "CRO0001234567"
    assert lines[0].identity == "ref:CRO0001234567"
    assert "PIÙ SPESE" in lines[0].description


def test_comma_separated_with_payer_and_iban():
    lines = read("bper_style.csv")
    assert lines[0].amount == Decimal("650.00")
    assert lines[0].counterparty == "Rossi Mario"
    assert lines[0].counterparty_iban == "IT60X0542811101000000123456"
    assert lines[1].amount == Decimal("-150.00")


def test_camt053():
    lines = read("camt053.xml")
    assert len(lines) == 2
    credit, debit = lines
    assert credit.amount == Decimal("650.00")
    assert credit.booked_on == date(2026, 10, 2)
    assert credit.counterparty == "Rossi Mario"
    assert credit.counterparty_iban == "IT60X0542811101000000123456"
    assert credit.bank_reference == "2026100200001"
    assert credit.description == "Canone ottobre 2026"
    assert debit.amount == Decimal("-2.50")


def test_xlsx_with_number_and_date_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(["Estratto conto"])
    sheet.append(["Data contabile", "Data valuta", "Importo", "Descrizione"])
    sheet.append([date(2026, 10, 3), date(2026, 10, 2), 480.5, "Canone"])
    sheet.append(["04/10/2026", "", "-12,00", "Spese"])
    buffer = io.BytesIO()
    book.save(buffer)
    lines = statement_read(buffer.getvalue(), "estratto.xlsx")
    assert [line.amount for line in lines] == [Decimal("480.50"), Decimal("-12.00")]
    assert lines[1].booked_on == date(2026, 10, 4)


def test_the_same_line_has_the_same_identity_in_two_exports():
    first = read("intesa_style.csv")
    second = read("intesa_style.csv")
    assert [line.identity for line in first] == [line.identity for line in second]
    assert len({line.identity for line in first}) == len(first)


def test_one_bad_line_among_many_refuses_the_file_naming_row_and_column():
    rows = ["Data contabile;Importo;Descrizione"]
    rows += [f"01/10/2026;{n},00;riga {n}" for n in range(1, 1000)]
    rows.insert(501, "31/02/2026;10,00;data impossibile")
    with pytest.raises(StatementFileError) as error:
        statement_read("\n".join(rows).encode())
    assert len(error.value.errors) == 1
    assert error.value.errors[0].row == 502
    assert error.value.errors[0].column == "Data contabile"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02garbage",
        b"Nome;Cognome\nMario;Rossi\n",
        b"Data contabile;Importo\n01/10/2026;NaN\n",
        b"Data contabile;Importo\n01/10/2026;1e400\n",
        b"Data contabile;Importo\n01/10/2026;99999999999,00\n",
        b"Data contabile;Importo\n01/01/0001;10,00\n",
        b"Data contabile;Importo\n01/10/2026;=cmd|' /C calc'!A0\n",
        b"Data contabile;Importo;Descrizione\n01/10/2026;10,00;" + b"x" * 5000 + b"\n",
        b"PK\x03\x04not really a zip",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
        b"<Document><Stmt/></Document>",
    ],
)
def test_files_that_are_not_statements_are_refused_cleanly(content):
    with pytest.raises(StatementFileError) as error:
        statement_read(content)
    assert str(error.value)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(content):
    with contextlib.suppress(StatementFileError):
        statement_read(content)
