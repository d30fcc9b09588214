"""Import-export resources for landlords and dwellings (the spreadsheet imports reuse them)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from common.money import eur
from housing.models import Dwelling, Landlord


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

    def before_save_instance(self, instance, row, **kwargs):
        if self.programme is not None:
            instance.programme = self.programme
        instance.full_clean()


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
