"""Import-export resources for landlords and dwellings (the spreadsheet imports reuse them)."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from common.exceptions import DomainError
from common.exports import SafeExportMixin
from common.money import eur
from common.numbers import NumberError, decimal_parse
from housing.models import Dwelling, Landlord
from housing.services import dwelling_create, dwelling_update, landlord_create, landlord_update
from housing.validators import normalise_iban, normalise_tax_code

# What a MoneyField of 12 digits with 2 decimals can hold.
AMOUNT_LIMIT = Decimal("1e10")


class MoneyWidget(widgets.Widget):
    """A MoneyField as its amount in EUR (import-export would otherwise export it empty)."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            # Italian numbers, one rule for the project: "1.200" is 1200, never 1,20 €.
            amount = decimal_parse(str(value).replace("EUR", ""))
        except NumberError:
            amount = Decimal("NaN")
        if not amount.is_finite() or abs(amount) >= AMOUNT_LIMIT:
            raise ValueError(_("“%(value)s” is not an amount in euros.") % {"value": value})
        return eur(amount)

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

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(normalise_tax_code(value or ""), row, **kwargs)
        except Landlord.DoesNotExist:
            # A ValueError becomes an error on this column of this row, not a crashed row.
            raise ValueError(
                _("No landlord of this programme has the tax code “%(code)s”.") % {"code": value}
            ) from None


class ProgrammeScopedResource(SafeExportMixin, resources.ModelResource):
    """Rows land in the programme given to the resource, each written by the app's service
    (`create_service`, `update_service`), so an imported row is validated and audited exactly
    like one typed in a form. Ids from another programme are refused."""

    create_service = None
    update_service = None
    instance_name = ""  # the keyword the update service takes the row under

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

    def before_import(self, dataset, **kwargs):
        if self.programme is None:
            raise ValueError(_("Choose the programme the rows belong to."))

    def init_instance(self, row=None):
        # New rows belong to the programme before full_clean() checks them.
        instance = super().init_instance(row)
        instance.programme = self.programme
        return instance

    def service_fields(self, instance) -> dict:
        names = {f.attribute for f in self.get_import_fields() if f.attribute}
        return {name: getattr(instance, name) for name in names - {"id"}}

    def save_instance(self, instance, is_create, row, **kwargs):
        actor = kwargs.get("user")
        fields = self.service_fields(instance)
        try:
            if is_create and instance.pk is not None:
                raise ValidationError(
                    {"id": _("There is no row %(id)s in this programme.") % {"id": instance.pk}}
                )
            if is_create:
                saved = type(self).create_service(actor=actor, programme=self.programme, **fields)
            else:
                saved = type(self).update_service(
                    actor=actor, **{self.instance_name: instance}, **fields
                )
        except DomainError as error:
            field = error.field if error.field in self.fields else NON_FIELD_ERRORS
            raise ValidationError({field: [error.message]}) from error
        instance.pk = saved.pk


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

    create_service = staticmethod(landlord_create)
    update_service = staticmethod(landlord_update)
    instance_name = "landlord"

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
    market_rent = fields.Field(
        attribute="market_rent", column_name="market_rent", widget=MoneyWidget()
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
            "market_rent",
            "market_rent_source",
            "market_rent_on",
            "available",
            "available_from",
            "notes",
        )
        skip_unchanged = True
        clean_model_instances = True

    create_service = staticmethod(dwelling_create)
    update_service = staticmethod(dwelling_update)
    instance_name = "dwelling"

    def __init__(self, programme=None, **kwargs):
        super().__init__(programme=programme, **kwargs)
        self.fields["landlord"].widget = LandlordByTaxCodeWidget(programme=programme)
