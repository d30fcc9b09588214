"""The back office shows the fund's books read-only: money moves through the services only."""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from common.exports import SafeExportAdminMixin
from fund.models import Account, Contribution, Entry, Fund, Transaction
from fund.resources import ContributionResource


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "leverage", "cover_months", "cover_cap"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "fund"]
    list_filter = ["fund", "kind"]


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    can_delete = False
    fields = ["account", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # ledger rows are append-only, whatever can_delete says


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "fund", "kind", "description", "actor", "reversal_of"]
    list_filter = ["fund", "kind"]
    search_fields = ["description"]
    date_hierarchy = "date"
    inlines = [EntryInline]
    list_select_related = ["fund", "actor", "reversal_of"]


@admin.register(Contribution)
class ContributionAdmin(SafeExportAdminMixin, ImportExportMixin, ReadOnlyAdmin):
    """Contributions can be imported (each row booked through the service) and exported."""

    resource_classes = [ContributionResource]
    list_display = ["date", "funder", "kind", "amount", "fund", "created_by"]
    list_filter = ["fund", "kind"]
    search_fields = ["funder", "note"]
    date_hierarchy = "date"
    list_select_related = ["fund", "created_by"]

    def has_import_permission(self, request):
        return request.user.is_superuser
