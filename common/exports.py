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

from import_export.formats import base_formats

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


def table_export(*, headers, rows, file_format: str, filename: str):
    """A download of `rows` (sequences of cells) as CSV with BOM or XLSX: text cells
    neutralised, money given as Decimal amounts so a spreadsheet reads numbers."""
    import tablib
    from django.http import HttpResponse

    dataset = tablib.Dataset(headers=[str(h) for h in headers])
    for row in rows:
        dataset.append([_cell(value) for value in row])
    if file_format == "xlsx":
        content = dataset.export("xlsx")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        file_format = "csv"
        content = BOM + dataset.export("csv")
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def _cell(value):
    from djmoney.money import Money

    if isinstance(value, Money):
        return value.amount
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(value)
    if hasattr(value, "isoformat") or isinstance(value, (int, float)):
        return value
    from decimal import Decimal

    if isinstance(value, Decimal):
        return value
    return neutralise_formula(str(value))
