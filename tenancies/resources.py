"""Exports of the operator's lists (common.exports.list_download): money as numbers, dates as
dates, text cells safe from formulas."""

from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields

from common.exports import ListResource, MoneyNumberWidget, NativeDateWidget
from tenancies.models import ArrearsCase, Enrollment, EvictionCase, Household, Lease


class ArrearsCaseExportResource(ListResource):
    number = fields.Field(attribute="pk", column_name=_("Case"))
    household = fields.Field(attribute="lease__household__name", column_name=_("Household"))
    dwelling = fields.Field(attribute="lease__dwelling", column_name=_("Dwelling"))
    state = fields.Field(attribute="get_status_display", column_name=_("State"))
    opened = fields.Field(attribute="opened_on", column_name=_("Opened"), widget=NativeDateWidget())
    amount = fields.Field(
        attribute="amount_at_opening",
        column_name=_("Arrears when opened (EUR)"),
        widget=MoneyNumberWidget(),
    )
    next_action = fields.Field(attribute="next_action", column_name=_("Next action"))
    next_action_due = fields.Field(
        attribute="next_action_due", column_name=_("Next action due"), widget=NativeDateWidget()
    )
    owner = fields.Field(attribute="owner", column_name=pgettext_lazy("arrears case", "Case owner"))

    class Meta:
        model = ArrearsCase
        fields = (
            "number",
            "household",
            "dwelling",
            "state",
            "opened",
            "amount",
            "next_action",
            "next_action_due",
            "owner",
        )
        export_order = fields

    def dehydrate_owner(self, case):
        return (case.owner.get_full_name() or case.owner.username) if case.owner else ""


class HouseholdExportResource(ListResource):
    number = fields.Field(attribute="pk", column_name=_("Number"))
    name = fields.Field(attribute="name", column_name=_("Household"))
    municipality = fields.Field(attribute="municipality", column_name=_("Municipality"))
    enrolment = fields.Field(column_name=_("Enrolment"))
    operator = fields.Field(column_name=_("Operator"))
    isee = fields.Field(attribute="isee", column_name=_("ISEE (EUR)"), widget=MoneyNumberWidget())
    referred = fields.Field(column_name=_("Referred on"), widget=NativeDateWidget())

    class Meta:
        model = Household
        fields = ("number", "name", "municipality", "enrolment", "operator", "isee", "referred")
        export_order = fields

    def dehydrate_enrolment(self, household):
        return str(dict(Enrollment.Status.choices).get(household.enrollment_status, ""))

    def dehydrate_operator(self, household):
        user = household.operator
        return (user.get_full_name() or user.username) if user else ""

    def dehydrate_referred(self, household):
        return localdate(household.created_at)


class LeaseExportResource(ListResource):
    number = fields.Field(attribute="pk", column_name=_("Number"))
    household = fields.Field(attribute="household__name", column_name=_("Household"))
    dwelling = fields.Field(attribute="dwelling", column_name=_("Dwelling"))
    landlord = fields.Field(attribute="landlord__name", column_name=_("Landlord"))
    lease_type = fields.Field(attribute="get_lease_type_display", column_name=_("Type"))
    rent = fields.Field(attribute="rent", column_name=_("Rent (EUR)"), widget=MoneyNumberWidget())
    charges = fields.Field(
        attribute="service_charges",
        column_name=_("Service charges (EUR)"),
        widget=MoneyNumberWidget(),
    )
    start = fields.Field(attribute="start_date", column_name=_("Start"), widget=NativeDateWidget())
    end = fields.Field(attribute="end_date", column_name=_("End"), widget=NativeDateWidget())
    state = fields.Field(attribute="get_status_display", column_name=_("Status"))

    class Meta:
        model = Lease
        fields = (
            "number",
            "household",
            "dwelling",
            "landlord",
            "lease_type",
            "rent",
            "charges",
            "start",
            "end",
            "state",
        )
        export_order = fields


class EvictionCaseExportResource(ListResource):
    number = fields.Field(attribute="pk", column_name=_("Case"))
    household = fields.Field(attribute="lease__household__name", column_name=_("Household"))
    dwelling = fields.Field(attribute="lease__dwelling", column_name=_("Dwelling"))
    state = fields.Field(attribute="get_status_display", column_name=_("State"))
    opened = fields.Field(attribute="opened_on", column_name=_("Opened"), widget=NativeDateWidget())
    next_due = fields.Field(
        attribute="next_due", column_name=_("Next deadline"), widget=NativeDateWidget()
    )
    owner = fields.Field(column_name=_("Operator"))

    class Meta:
        model = EvictionCase
        fields = ("number", "household", "dwelling", "state", "opened", "next_due", "owner")
        export_order = fields

    def dehydrate_owner(self, case):
        return (case.owner.get_full_name() or case.owner.username) if case.owner else ""
