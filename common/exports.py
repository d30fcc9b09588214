"""Spreadsheet exports that are safe to open: formulas neutralised, CSV that Excel reads as UTF-8.

Every ModelResource of the project mixes in `SafeExportMixin`; every admin that exports mixes in
`SafeExportAdminMixin`, which offers `CSVWithBOM` instead of the plain CSV.

- CSV injection (OWASP): a cell starting with =, +, -, @, a tab or a carriage return is a
  formula to Excel and LibreOffice ("=HYPERLINK(...)" in a funder's name). Such a cell gets a
  leading apostrophe, which spreadsheets show as text. `common.numbers.decimal_parse` ignores
  the apostrophe, so an exported amount still imports back.
- Excel opens a CSV without a byte order mark in the machine's legacy code page, so "Più"
  reads "PiÃ¹". A UTF-8 BOM makes it read UTF-8; importing strips it again.
"""

from decimal import Decimal

from django.http import HttpResponse
from django.utils.timezone import localdate
from djmoney.money import Money
from import_export import resources, widgets
from import_export.formats import base_formats

from common.audit import audit_record

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise_formula(value):
    """`value` with a leading apostrophe if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeExportMixin:
    """For a `resources.ModelResource`: every exported cell goes through `neutralise_formula`."""

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))


class CSVWithBOM(base_formats.CSV):
    """CSV in UTF-8 with a byte order mark, so Excel shows accented letters right."""

    def get_content_type(self):
        return "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs):
        data = super().export_data(dataset, **kwargs)
        if isinstance(data, bytes):
            return data if data.startswith(BOM.encode()) else BOM.encode() + data
        return data if data.startswith(BOM) else BOM + data

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        return super().create_dataset(in_stream.removeprefix(BOM), **kwargs)


# The formats this installation can write (import-export leaves out those whose library is
# missing), with the CSV swapped for the one with the BOM.
SAFE_FORMATS = [
    CSVWithBOM if fmt is base_formats.CSV else fmt for fmt in base_formats.DEFAULT_FORMATS
]


class SafeExportAdminMixin:
    """For an admin with ImportExportMixin/ExportMixin: CSV exports carry the BOM. (Imports
    keep import-export's CSV: the admin already reads uploads as "utf-8-sig".)"""

    @property
    def export_formats(self):
        return SAFE_FORMATS


def _dataset(*, headers: list, rows: list[list], title: str = ""):
    import tablib
    from django.utils.functional import Promise
    from djmoney.money import Money

    def cell(value):
        if isinstance(value, Money):
            return value.amount
        if value is None:
            return ""
        return neutralise_formula(str(value) if isinstance(value, Promise) else value)

    dataset = tablib.Dataset(headers=[str(h) for h in headers], title=str(title)[:31] or None)
    width = len(headers)
    for row in rows:
        if len(row) > width:
            raise ValueError(f"A row has {len(row)} cells for {width} headers.")
        # Blank cells to the end: a short row (a blank line, a sub-heading) fills the width.
        dataset.append([cell(value) for value in row] + [""] * (width - len(row)))
    return dataset


def table_export(*, headers: list, rows: list[list], file_format: str = "xlsx", title: str = ""):
    """A plain table (not a model) as spreadsheet bytes: formulas neutralised, money and
    decimals as numbers (a Money cell becomes its amount), None as an empty cell, rows
    shorter than the headers padded with empty cells."""
    return _dataset(headers=headers, rows=rows, title=title).export(file_format)


def tables_export(*, sheets: list[tuple], file_format: str = "xlsx"):
    """Several plain tables as one workbook, one sheet each: `sheets` is a list of
    (title, headers, rows), each cell treated as `table_export` treats it."""
    import tablib

    book = tablib.Databook(
        [_dataset(headers=headers, rows=rows, title=title) for title, headers, rows in sheets]
    )
    return book.export(file_format)


def table_download(*, headers: list, rows: list[list], file_format: str, filename: str):
    """`table_export` as a download: XLSX, or CSV in UTF-8 with a BOM (what Excel reads)."""
    fmt = export_format(file_format) or CSVWithBOM()
    return _download(fmt.export_data(_dataset(headers=headers, rows=rows)), fmt, filename)


def _download(data, file_format, filename: str) -> HttpResponse:
    """`data` written in `file_format` (an import-export format) as an attachment named
    `filename` plus the format's extension: the one way every export leaves the server."""
    response = HttpResponse(data, content_type=file_format.get_content_type())
    extension = file_format.get_extension()
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


# --- Lists exported from the pages ---------------------------------------------------------
# Every list page exports its current filter through `list_download`: one resource per list
# (a ModelResource with SafeExportMixin and the widgets below), the same safe formats, and one
# audit event naming who exported what, with which filters and how many rows.

LIST_EXPORT_FORMATS = {"csv": CSVWithBOM, "xlsx": base_formats.XLSX}


class MoneyNumberWidget(widgets.Widget):
    """A Money's amount as a number (Decimal, two places), so a spreadsheet sums it; XLSX
    stores it as a numeric cell, CSV writes "1234.50". A number is never a formula."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        amount = value.amount if isinstance(value, Money) else Decimal(value)
        return amount.quantize(Decimal("0.01"))


class NativeDateWidget(widgets.DateWidget):
    """A date as a date: an XLSX date cell, ISO 8601 (2026-11-30) in CSV."""

    def __init__(self):
        super().__init__(coerce_to_string=False)


class ListResource(SafeExportMixin, resources.ModelResource):
    """The resource of a list's export; headers translated when the file is written, in the
    user's language."""

    def get_export_headers(self, *args, **kwargs):
        return [str(header) for header in super().get_export_headers(*args, **kwargs)]


def export_format(value: str):
    """The format a list's `?export=` asks for, or None."""
    fmt = LIST_EXPORT_FORMATS.get(value or "")
    return fmt() if fmt else None


def list_download(
    *, actor, programme, resource, queryset, file_format, name: str, filters: dict
) -> HttpResponse:
    """The rows of `queryset` as a download in `file_format`, through `resource`; records
    who exported which list, with which filters and how many rows, in the audit trail."""
    dataset = resource.export(queryset)
    data = file_format.export_data(dataset)
    audit_record(
        actor=actor,
        programme=programme,
        target=programme,
        verb="list_exported",
        note=name,
        data={
            "list": name,
            "format": file_format.get_extension(),
            "rows": len(dataset),
            "filters": {key: value for key, value in filters.items() if value not in ("", None)},
        },
    )
    return _download(data, file_format, f"{name}-{localdate():%Y-%m-%d}")
