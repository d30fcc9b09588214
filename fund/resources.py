"""Import and export of contributions (django-import-export).

Money columns need a widget: import-export renders a MoneyField as an empty string. Imports
never save rows themselves: each row is booked through `contribution_book`, so it is posted
to the ledger and audited like a contribution typed in the form; the import runs in one
database transaction, so it lands whole or not at all.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from djmoney.money import Money
from import_export import fields, resources, widgets

from common.exceptions import DomainError
from common.money import eur
from fund.models import Contribution, Fund
from fund.services.funds import contribution_book


class MoneyAmountWidget(widgets.Widget):
    """The amount of a Money as a plain decimal ("1234.50"); reads it back as a Decimal."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            amount = Decimal(str(value).strip().replace(" ", ""))
        except InvalidOperation as error:
            raise ValueError(_("“%(value)s” is not an amount.") % {"value": value}) from error
        return amount

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, Money):
            value = value.amount
        return f"{value:.2f}"


class ContributionResource(resources.ModelResource):
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

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            return
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
