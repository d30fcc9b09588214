"""Import and export of contributions (django-import-export).

Money columns need a widget: import-export renders a MoneyField as an empty string. Imports
never save rows themselves: each row is booked through `contribution_book`, so it is posted
to the ledger and audited like a contribution typed in the form; the import runs in one
database transaction, so it lands whole or not at all. The preview (a dry run) books too,
inside that transaction, and is rolled back: what it reports is what the import will book.
Amounts are read as Italian numbers ("1.200" is one thousand two hundred: common.numbers).
"""

from decimal import Decimal

from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from djmoney.money import Money
from import_export import fields, resources, widgets

from common.exceptions import DomainError
from common.exports import ListResource, MoneyNumberWidget, SafeExportMixin
from common.money import eur
from common.numbers import NumberError, decimal_check_size, decimal_parse
from fund.models import Claim, Contribution, Fund, Guarantee
from fund.services.funds import contribution_book


class MoneyAmountWidget(widgets.Widget):
    """The amount of a Money as a plain decimal ("1234.50"); reads back that or an Italian
    number ("1.234,50", "1.200"), refusing ambiguous, non-finite or oversized ones."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            amount = decimal_parse(value)
            decimal_check_size(amount, max_digits=12, decimal_places=2)
        except NumberError as error:
            raise ValueError(error.message) from error
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(_("“%(value)s” has more than two decimals.") % {"value": value})
        return amount

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, Money):
            value = value.amount
        return f"{value:.2f}"


class ContributionResource(SafeExportMixin, resources.ModelResource):
    programme = fields.Field(
        attribute="fund",
        column_name="programme",
        widget=widgets.ForeignKeyWidget(Fund, field="programme__slug"),
    )
    amount = fields.Field(attribute="amount", column_name="amount", widget=MoneyAmountWidget())
    currency = fields.Field(attribute="amount_currency", column_name="currency")

    class Meta:
        model = Contribution
        fields = ("programme", "date", "funder", "kind", "amount", "currency", "note")
        export_order = fields
        import_id_fields = ()
        force_init_instance = True  # contributions are append-only: an import only adds
        skip_diff = True
        use_transactions = True

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor

    def import_data(self, dataset, **kwargs):
        """Whole or nothing: a row with a wrong field rolls every row back, like a refused one."""
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        # No early return on a dry run: the preview must refuse what the import would refuse
        # (it used to report "1 new" for rows the service then turned down). The import's
        # transaction rolls the dry run's bookings back.
        amount = instance.amount
        currency = str(getattr(amount, "currency", "") or row.get("currency") or "EUR")
        if currency != "EUR":
            raise ValueError(_("Only amounts in EUR can be imported."))
        value = amount.amount if isinstance(amount, Money) else amount
        if value is None:
            raise ValueError(_("The amount is missing."))
        try:
            booked = contribution_book(
                actor=kwargs.get("user") or self.actor,
                fund=instance.fund,
                funder=instance.funder,
                kind=instance.kind,
                amount=eur(value),
                date=instance.date,
                note=instance.note or "",
            )
        except DomainError as error:
            raise ValueError(error.message) from error
        instance.pk = booked.pk

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.amount_currency:
            instance.amount_currency = "EUR"


class GuaranteeExportResource(ListResource):
    number = fields.Field(attribute="pk", column_name=_l("Guarantee"))
    household = fields.Field(attribute="lease__household__name", column_name=_l("Household"))
    landlord = fields.Field(attribute="lease__landlord__name", column_name=_l("Landlord"))
    dwelling = fields.Field(attribute="lease__dwelling", column_name=_l("Dwelling"))
    state = fields.Field(attribute="get_status_display", column_name=_l("Status"))
    amount = fields.Field(
        attribute="amount", column_name=_l("Amount (EUR)"), widget=MoneyNumberWidget()
    )
    requested = fields.Field(column_name=_l("Requested on"))

    class Meta:
        model = Guarantee
        fields = ("number", "household", "landlord", "dwelling", "state", "amount", "requested")
        export_order = fields

    def dehydrate_requested(self, guarantee):
        return localdate(guarantee.created_at)


class ClaimExportResource(ListResource):
    number = fields.Field(attribute="pk", column_name=_l("Claim"))
    guarantee = fields.Field(attribute="guarantee_id", column_name=_l("Guarantee"))
    household = fields.Field(
        attribute="guarantee__lease__household__name", column_name=_l("Household")
    )
    landlord = fields.Field(
        attribute="guarantee__lease__landlord__name", column_name=_l("Landlord")
    )
    state = fields.Field(attribute="get_status_display", column_name=_l("Status"))
    amount = fields.Field(
        attribute="amount", column_name=_l("Amount (EUR)"), widget=MoneyNumberWidget()
    )
    submitted = fields.Field(column_name=_l("Submitted on"))

    class Meta:
        model = Claim
        fields = ("number", "guarantee", "household", "landlord", "state", "amount", "submitted")
        export_order = fields

    def dehydrate_submitted(self, claim):
        return localdate(claim.submitted_at)
