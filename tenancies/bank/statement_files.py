"""Reading a bank statement file into plain lines: Italian home-banking CSV/XLSX and ISO 20022
camt.053 XML.

Italian banks export statements in many shapes: semicolons, decimal commas, cp1252 or UTF-8
with a BOM, a few lines of account details before the header, one signed "Importo" column or
"Dare"/"Avere" apart, "Data contabile"/"Data valuta" in either order. The reader finds the
header row by the names it knows (`HEADERS`), so the same code reads every layout; a file
whose header it cannot find is refused naming the columns it looked for.

Nothing here touches the database: `statement_read` returns `StatementLine`s or raises
`StatementFileError` with every problem found (row, column, what is wrong), so an import
either has all its lines or none.
"""

import csv
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from common.dates import PAYMENT, DateError, date_check
from common.numbers import NumberError, decimal_parse

MAX_BYTES = 20 * 1024 * 1024
MAX_LINES = 200_000
MAX_CELL = 1_000  # characters kept of a description; longer cells are a broken file
MAX_AMOUNT = Decimal("10000000")  # ten million euro in one line is not a rent transfer


@dataclass(frozen=True)
class StatementLine:
    """One movement of the account: positive amounts are credits (money in)."""

    row: int
    booked_on: date
    value_on: date | None
    amount: Decimal
    description: str
    counterparty: str = ""
    counterparty_iban: str = ""
    bank_reference: str = ""
    # The SEPA end-to-end id the payer gave the transfer (the fund's payouts are matched by it).
    end_to_end_id: str = ""
    # The n-th line of a file saying exactly the same as an earlier one (two equal transfers
    # on one day, no bank reference): each stays its own movement.
    repeat: int = 1

    @property
    def identity(self) -> str:
        """The line's identity across uploads: the bank's own reference when it gives one,
        else a digest of what the line says (the same line re-exported is the same line)."""
        if self.bank_reference:
            base = "ref:" + self.bank_reference[:64]
        else:
            base = (
                "sha:"
                + hashlib.sha256(
                    "|".join(
                        [
                            self.booked_on.isoformat(),
                            str(self.amount),
                            self.description,
                            self.counterparty_iban,
                        ]
                    ).encode()
                ).hexdigest()[:32]
            )
        return base + (f"#{self.repeat}" if self.repeat > 1 else "")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return self.message


@dataclass
class StatementFileError(Exception):
    """The file cannot be imported; `errors` says every reason found."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(str(error) for error in self.errors[:20])


# Each of our fields, and the names Italian banks give its column (compared without accents,
# case or punctuation).
HEADERS = {
    "booked_on": (
        "data contabile",
        "data contabilizzazione",
        "data operazione",
        "data registrazione",
        "data",
    ),
    "value_on": ("data valuta", "valuta"),
    "amount": ("importo", "importo eur", "importo euro", "ammontare", "importo in euro"),
    "credit": ("avere", "entrate", "accrediti", "importo avere"),
    "debit": ("dare", "uscite", "addebiti", "importo dare"),
    "description": (
        "descrizione",
        "descrizione operazione",
        "causale",
        "descrizione estesa",
        "dettagli",
        "causale descrizione",
    ),
    "counterparty": ("ordinante", "controparte", "nome ordinante", "ordinante beneficiario"),
    "counterparty_iban": ("iban ordinante", "iban controparte", "iban beneficiario", "iban"),
    "end_to_end_id": ("end to end id", "id end to end", "riferimento end to end", "e2e id"),
    "bank_reference": (
        "riferimento",
        "riferimento banca",
        "cro",
        "trn",
        "id operazione",
        "numero operazione",
        "codice riferimento",
    ),
}


def _key(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_HEADER_INDEX = {_key(name): name_field for name_field, names in HEADERS.items() for name in names}


def statement_read(content: bytes, filename: str = "") -> list[StatementLine]:
    """Every line of a statement file of any supported kind, known by its content rather
    than its name; raises StatementFileError naming every bad line."""
    return list(statement_lines(content))


def statement_lines(content: bytes) -> Iterator[StatementLine]:
    """The lines one by one, so a large file is never held twice in memory. The
    StatementFileError comes at the end, once every bad line is known: a caller that stored
    lines meanwhile does so in a transaction that the error rolls back."""
    if len(content) > MAX_BYTES:
        raise StatementFileError(
            [RowError(0, "", _("The file is larger than 20 MB: split the statement by period."))]
        )
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _repeats_numbered(camt053_lines(content))
    if content.startswith(b"PK\x03\x04"):
        return _repeats_numbered(_rows_lines(_xlsx_rows(content)))
    if b"\x00" in content[:4096]:
        raise StatementFileError([RowError(0, "", _("The file is neither CSV, XLSX nor XML."))])
    return _repeats_numbered(_rows_lines(_csv_rows(content)))


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        content.decode("utf-8-sig")  # only to choose the encoding: the text is read below
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"

    def stream():
        # Decoded a chunk at a time as the lines are read, never as one more copy of the
        # whole file nor a list of its lines (a 100,000-line statement stays under 150 MB).
        return io.TextIOWrapper(
            io.BytesIO(content), encoding=encoding, errors="replace", newline=""
        )

    sample = "".join(itertools.islice(stream(), 30))
    delimiter = max(";,\t", key=sample.count)
    try:
        yield from csv.reader(stream(), delimiter=delimiter)
    except csv.Error as error:
        raise StatementFileError(
            [RowError(0, "", _("The file is not a readable CSV statement."))]
        ) from error


def _xlsx_rows(content: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise StatementFileError(
            [RowError(0, "", _("The spreadsheet cannot be opened: is it a real XLSX file?"))]
        ) from error
    try:
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield ["" if value is None else value for value in values]
    finally:
        workbook.close()


def _repeats_numbered(lines: Iterator[StatementLine]) -> Iterator[StatementLine]:
    seen: dict[str, int] = {}
    for line in lines:
        count = seen.get(line.identity, 0) + 1
        seen[line.identity] = count
        yield line if count == 1 else replace(line, repeat=count)


def _header_find(rows) -> tuple[int, dict[str, int]]:
    """The first row naming at least a date and an amount: statements put the account's
    details above it."""
    for index, row in enumerate(rows):
        columns = {}
        for position, cell in enumerate(row):
            name = _HEADER_INDEX.get(_key(cell))
            if name and name not in columns:
                columns[name] = position
        has_amount = "amount" in columns or "credit" in columns
        if "booked_on" in columns and has_amount:
            return index, columns
    raise StatementFileError(
        [
            RowError(
                0,
                "",
                _(
                    "No header row found: the statement needs a date column (“Data "
                    "contabile” or “Data operazione”) and an amount column (“Importo”, or "
                    "“Dare” and “Avere”)."
                ),
            )
        ]
    )


def _rows_lines(rows: Iterator[list]) -> Iterator[StatementLine]:
    rows = iter(rows)
    top = list(itertools.islice(rows, 50))
    header_index, columns = _header_find(top)
    header = top[header_index]
    body = itertools.chain(top[header_index + 1 :], rows)
    errors, found = [], 0
    for offset, row in enumerate(body):
        if offset >= MAX_LINES:
            raise StatementFileError(
                [RowError(0, "", _("The file has more than 200,000 lines: split it by period."))]
            )
        number = header_index + offset + 2  # as a spreadsheet numbers it
        if not any(str(cell).strip() for cell in row):
            continue

        def cell(name, row=row):
            position = columns.get(name)
            if position is None or position >= len(row):
                return ""
            return row[position]

        def column(name):
            return str(header[columns[name]]).strip()

        if _is_note(row, columns):
            continue
        row_errors = []
        booked_on = _date(cell("booked_on"), number, column("booked_on"), row_errors)
        value_on = None
        if "value_on" in columns and str(cell("value_on")).strip():
            value_on = _date(cell("value_on"), number, column("value_on"), row_errors)
        amount = _amount_of(cell, column, columns, number, row_errors)
        texts = {}
        for name in (
            "description",
            "counterparty",
            "counterparty_iban",
            "bank_reference",
            "end_to_end_id",
        ):
            value = str(cell(name)).strip()
            if len(value) > MAX_CELL:
                row_errors.append(
                    RowError(number, column(name), _("The cell is too long to be a bank line."))
                )
            texts[name] = value
        if row_errors:
            errors.extend(row_errors)
            continue
        found += 1
        yield StatementLine(
            row=number,
            booked_on=booked_on,
            value_on=value_on,
            amount=amount,
            description=texts["description"],
            counterparty=texts["counterparty"],
            counterparty_iban=texts["counterparty_iban"].replace(" ", "").upper(),
            bank_reference=texts["bank_reference"],
            end_to_end_id=texts["end_to_end_id"][:80],
        )
    _end_check(errors, found)


def _end_check(errors, found):
    if errors:
        raise StatementFileError(errors)
    if not found:
        raise StatementFileError([RowError(0, "", _("The statement has no movements."))])


def _is_note(row, columns) -> bool:
    """Banks put words between movements ("Movimenti non definitivi", "Totale pagina"): a row
    with no amount and no date in the date column is a note, not a movement."""
    amounts = [row[columns[name]] for name in ("amount", "credit", "debit") if name in columns]
    if any(str(value).strip() for value in amounts if value is not None):
        return False
    first = row[columns["booked_on"]] if columns["booked_on"] < len(row) else ""
    return not isinstance(first, date) and not re.match(r"\s*\d", str(first))


def _amount_of(cell, column, columns, number, errors) -> Decimal | None:
    if "amount" in columns:
        return _money(cell("amount"), number, column("amount"), errors)
    credit = str(cell("credit")).strip()
    debit = str(cell("debit")).strip() if "debit" in columns else ""
    if credit and debit:
        errors.append(
            RowError(number, column("credit"), _("The line has both a debit and a credit."))
        )
        return None
    if credit:
        return _money(credit, number, column("credit"), errors)
    if debit:
        value = _money(debit, number, column("debit"), errors)
        return -abs(value) if value is not None else None
    errors.append(RowError(number, column("credit"), _("The line has no amount.")))
    return None


def _money(value, row, column, errors) -> Decimal | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))  # a spreadsheet's number cell is already a number
    else:
        try:
            amount = decimal_parse(str(value).strip())
        except NumberError as error:
            errors.append(RowError(row, column, error.message))
            return None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT or amount == 0:
        errors.append(RowError(row, column, _("The amount is zero or implausibly large.")))
        return None
    if amount.as_tuple().exponent < -2:
        errors.append(RowError(row, column, _("An amount has at most two decimals.")))
        return None
    return amount.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


def _date(value, row, column, errors) -> date | None:
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        text = str(value).strip()[:20]
        parsed = None
        for pattern in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern).date()  # noqa: DTZ007 a calendar day
                break
            except ValueError:
                continue
        if parsed is None:
            errors.append(
                RowError(
                    row, column, _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": text}
                )
            )
            return None
    try:  # the rule every payment date follows (common.dates)
        date_check(parsed, kind=PAYMENT, label=column)
    except DateError as error:
        errors.append(RowError(row, column, error.message))
        return None
    return parsed


# ISO 20022 camt.053: one Ntry per movement, the amount with CdtDbtInd CRDT/DBIT.
def camt053_lines(content: bytes) -> Iterator[StatementLine]:
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except Exception as error:  # defusedxml refuses entities and DTDs; ParseError otherwise
        raise StatementFileError(
            [RowError(0, "", _("The XML file is not a readable camt.053 statement."))]
        ) from error
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if "camt.053" not in namespace:
        raise StatementFileError(
            [RowError(0, "", _("The XML file is not a camt.053 bank statement."))]
        )
    ns = {"c": namespace}
    errors, found = [], 0
    for number, entry in enumerate(root.iterfind(".//c:Stmt/c:Ntry", ns), start=1):
        if number > MAX_LINES:
            raise StatementFileError(
                [RowError(0, "", _("The file has more than 200,000 lines: split it by period."))]
            )
        row_errors = []
        amount = _money(entry.findtext("c:Amt", "", ns), number, "Amt", row_errors)
        if amount is not None and entry.findtext("c:CdtDbtInd", "", ns) == "DBIT":
            amount = -amount
        booked_text = (
            entry.findtext("c:BookgDt/c:Dt", "", ns)
            or entry.findtext("c:BookgDt/c:DtTm", "", ns)[:10]
        )
        booked_on = _date(booked_text, number, "BookgDt", row_errors)
        value_text = entry.findtext("c:ValDt/c:Dt", "", ns)
        value_on = _date(value_text, number, "ValDt", row_errors) if value_text else None
        details = entry.find("c:NtryDtls/c:TxDtls", ns)

        def detail(path, details=details):
            return (details.findtext(path, "", ns) if details is not None else "").strip()

        description = " ".join(
            part
            for part in [
                detail("c:RmtInf/c:Ustrd"),
                entry.findtext("c:AddtlNtryInf", "", ns).strip(),
            ]
            if part
        )
        reference = (
            entry.findtext("c:AcctSvcrRef", "", ns).strip()
            or detail("c:Refs/c:AcctSvcrRef")
            or detail("c:Refs/c:EndToEndId")
        )
        if row_errors:
            errors.extend(row_errors)
            continue
        found += 1
        # The other side of the movement: who paid a credit, whom a debit paid.
        party = "Cdtr" if amount < 0 else "Dbtr"
        end_to_end = detail("c:Refs/c:EndToEndId")
        yield StatementLine(
            row=number,
            booked_on=booked_on,
            value_on=value_on,
            amount=amount,
            description=description[:MAX_CELL],
            counterparty=detail(f"c:RltdPties/c:{party}/c:Nm")[:MAX_CELL],
            counterparty_iban=detail(f"c:RltdPties/c:{party}Acct/c:Id/c:IBAN").upper(),
            end_to_end_id="" if end_to_end == "NOTPROVIDED" else end_to_end[:80],
            bank_reference="" if reference == "NOTPROVIDED" else reference[:64],
        )
    _end_check(errors, found)
