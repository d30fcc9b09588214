"""Safe spreadsheet exports: formulas neutralised (OWASP CSV injection), CSV with a UTF-8 BOM."""

import pytest
import tablib

from common.exports import BOM, CSVWithBOM, SafeExportAdminMixin, neutralise_formula


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+39 333", "'+39 333"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Più case", "Più case"),
        (12, 12),
        (None, None),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_csv_carries_a_bom_and_reads_back():
    dataset = tablib.Dataset(("Più casa", "1200.00"), headers=["funder", "amount"])
    exported = CSVWithBOM().export_data(dataset)
    assert exported.startswith(BOM)
    assert exported.encode("utf-8").startswith(b"\xef\xbb\xbf")
    back = CSVWithBOM().create_dataset(exported)
    assert back.headers == ["funder", "amount"] and back[0] == ("Più casa", "1200.00")
    back = CSVWithBOM(encoding="utf-8-sig").create_dataset(exported.encode("utf-8"))
    assert back.headers[0] == "funder"


def test_admins_offer_the_csv_with_bom():
    from fund.admin import ContributionAdmin
    from housing.admin import DwellingAdmin, LandlordAdmin

    for admin_class in (ContributionAdmin, LandlordAdmin, DwellingAdmin):
        assert issubclass(admin_class, SafeExportAdminMixin)
        assert CSVWithBOM in admin_class.export_formats.fget(None)


def test_every_model_resource_is_safe():
    """Every ModelResource of the project neutralises formulas (new ones must mix it in)."""
    from import_export.resources import ModelResource

    from common.exports import SafeExportMixin

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import fund.resources  # noqa: F401
    import housing.resources  # noqa: F401

    ours = [
        r
        for r in subclasses(ModelResource)
        if r.__module__.split(".")[0] in {"common", "fund", "housing", "tenancies"}
    ]
    assert ours
    assert all(issubclass(r, SafeExportMixin) for r in ours), ours


def test_table_export_writes_numbers_as_numbers_and_formulas_as_text():
    import io
    from decimal import Decimal

    import openpyxl
    from django.utils.functional import lazy

    from common.exports import table_export
    from common.money import eur

    content = table_export(
        headers=["a", "b", "c"],
        rows=[[lazy(lambda: "Totale", str)(), eur("12.50"), Decimal("3.5")], ["=1+1", None], []],
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1] == ("Totale", 12.5, 3.5)  # a lazy text as its text, amounts as numbers
    assert rows[2][0] == "'=1+1" and rows[2][1] in (None, "")
    assert len(rows) == 4  # the blank line is kept, padded to the headers' width
