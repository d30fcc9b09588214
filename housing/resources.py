"""Import-export resources for landlords and dwellings (the spreadsheet imports reuse them)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from common.audit import audit_record
from common.money import eur
from housing.models import Dwelling, Landlord
from housing.validators import normalise_iban, normalise_tax_code


class MoneyWidget(widgets.Widget):
    """A MoneyField as its amount in EUR (import-export would otherwise export it empty)."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = str(value).strip().replace("€", "").replace("EUR", "").strip()
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            return eur(Decimal(text))
        except (InvalidOperation, ValueError) as error:
            raise ValueError(_("“%(value)s” is not an amount in euros.") % {"value": value}) from (
                error
            )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{value.amount:.2f}"


class LandlordByTaxCodeWidget(widgets.ForeignKeyWidget):
    """The dwelling's owner by codice fiscale / partita IVA, among the programme's landlords."""

    def __init__(self, programme=None):
        super().__init__(Landlord, field="tax_code")
        self.programme = programme

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = Landlord.objects.all()
        return queryset.in_programme(self.programme) if self.programme else queryset


class ProgrammeScopedResource(resources.ModelResource):
    """Rows land in the programme given to the resource; ids from another programme are refused."""

    def __init__(self, programme=None, **kwargs):
        super().__init__(**kwargs)
        self.programme = programme

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.in_programme(self.programme) if self.programme else queryset

    def import_data(self, dataset, **kwargs):
        """An import lands whole or not at all: any bad row rolls every row back."""
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def init_instance(self, row=None):
        # New rows belong to the programme before full_clean() checks them.
        instance = super().init_instance(row)
        if self.programme is not None:
            instance.programme = self.programme
        return instance

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            audit_record(
                actor=kwargs.get("user"),
                programme=instance.programme,
                target=instance,
                verb="imported",
                context=instance.audit_context(),
            )


class LandlordResource(ProgrammeScopedResource):
    class Meta:
        model = Landlord
        fields = (
            "id",
            "kind",
            "name",
            "contact_person",
            "tax_code",
            "iban",
            "address",
            "municipality",
            "email",
            "phone",
        )
        skip_unchanged = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        for column, normalise in (("tax_code", normalise_tax_code), ("iban", normalise_iban)):
            if row.get(column):
                row[column] = normalise(row[column])


class DwellingResource(ProgrammeScopedResource):
    landlord = fields.Field(
        attribute="landlord",
        column_name="landlord_tax_code",
        widget=LandlordByTaxCodeWidget(),
    )
    rent = fields.Field(attribute="rent", column_name="rent", widget=MoneyWidget())
    service_charges = fields.Field(
        attribute="service_charges", column_name="service_charges", widget=MoneyWidget()
    )

    class Meta:
        model = Dwelling
        fields = (
            "id",
            "landlord",
            "address",
            "unit",
            "municipality",
            "floor",
            "rooms",
            "size_m2",
            "energy_class",
            "accessible",
            "rent",
            "service_charges",
            "available",
            "available_from",
            "notes",
        )
        skip_unchanged = True
        clean_model_instances = True

    def __init__(self, programme=None, **kwargs):
        super().__init__(programme=programme, **kwargs)
        self.fields["landlord"].widget = LandlordByTaxCodeWidget(programme=programme)
