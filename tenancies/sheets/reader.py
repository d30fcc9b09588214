"""Reading a CSV or XLSX file into rows, one at a time, whatever its size.

CSV as Italian spreadsheets save it: UTF-8 with or without a BOM, or cp1252; semicolons (or
commas, or tabs) between cells. XLSX through openpyxl's read-only mode, which streams the
sheet. Formulas are refused (a cell starting with "=" in the file, or a CSV cell that a
spreadsheet would run as one), so an imported value is never a formula waiting to run in
someone's spreadsheet later; so are cells far longer than any field.
"""

import codecs
import contextlib
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_ROWS = 100_000
MAX_COLUMNS = 60
MAX_CELL = 2_000  # characters: the longest field (notes) is far shorter in any real file
_CHUNK = 64 * 1024

# What a spreadsheet would run as a formula: "=", "@", "+" or "-" not followed by a number
# (so "+39 333…" phone numbers and "-12,50" amounts stay), or a leading tab or return.
_FORMULA = re.compile(r"^(=|@|[+-](?![\d\s.,]*$)|[\t\r])")


class SheetFileError(Exception):
    """The file as a whole cannot be read: `message` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class CellProblem:
    column: str
    message: str


def header_key(text) -> str:
    """A header compared without accents, case, punctuation or spaces."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def cell_problem(value) -> str | None:
    """Why a cell's value cannot be imported, or None."""
    if not isinstance(value, str):
        return None
    if len(value) > MAX_CELL:
        return _("the cell holds %(count)s characters: at most %(max)s are accepted.") % {
            "count": len(value),
            "max": MAX_CELL,
        }
    if _FORMULA.match(value):
        return _("formulas are not accepted: write the value itself.")
    return None


def _encoding_of(stream) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else cp1252; read in
    chunks, so a large file is never held in memory."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        stream.seek(0)
    return "utf-8-sig"


def _delimiter(sample: str) -> str:
    lines = sample.splitlines()[:20]
    text = "\n".join(lines)
    return max(";,\t", key=text.count)


def csv_rows(stream) -> Iterator[list]:
    encoding = _encoding_of(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        sample = text.read(_CHUNK)
        text.seek(0)
        reader = csv.reader(text, delimiter=_delimiter(sample))
        try:
            for row in reader:
                yield row[:MAX_COLUMNS]
        except csv.Error as error:
            raise SheetFileError(
                _(
                    "The CSV file cannot be read after row %(row)s: a cell is too long or a "
                    "quotation mark is not closed."
                )
                % {"row": reader.line_num}
            ) from error
    finally:
        with contextlib.suppress(ValueError):  # already closed
            text.detach()  # the caller owns the file and closes it


def xlsx_rows(stream) -> Iterator[list]:
    from openpyxl import load_workbook

    stream.seek(0)
    try:
        # data_only=False: a formula reads as its text ("=…"), so it is refused, never run.
        workbook = load_workbook(stream, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise SheetFileError(
            _("The spreadsheet cannot be opened: is it a real XLSX file?")
        ) from error
    try:
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield ["" if value is None else value for value in values]
    except SheetFileError:
        raise
    except Exception as error:
        raise SheetFileError(
            _("The spreadsheet is damaged and cannot be read to the end.")
        ) from error
    finally:
        workbook.close()


def is_xlsx(stream) -> bool:
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    return head == b"PK\x03\x04"


def sheet_rows(stream) -> Iterator[list]:
    """The file's rows as lists of cells (text for CSV; text, numbers or dates for XLSX)."""
    return xlsx_rows(stream) if is_xlsx(stream) else csv_rows(stream)


def rows_estimate(stream) -> int:
    """About how many data rows the file has, for the progress bar only."""
    if is_xlsx(stream):
        try:
            from openpyxl import load_workbook

            workbook = load_workbook(stream, read_only=True)
            rows = workbook.worksheets[0].max_row or 0
            workbook.close()
            return max(rows - 1, 0)
        except Exception:  # the reader itself reports the damage, with its message
            return 0
        finally:
            stream.seek(0)
    stream.seek(0)
    lines = 0
    while chunk := stream.read(_CHUNK):
        lines += chunk.count(b"\n")
    stream.seek(0)
    return max(lines - 1, 0)


def blank(row) -> bool:
    return all(str(cell).strip() == "" for cell in row)
