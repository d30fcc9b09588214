from django.contrib import admin
from django_fsm.admin import FSMAdminMixin
from import_export.admin import ImportExportModelAdmin

from housing.models import (
    CaretakerNote,
    Cohousing,
    CohousingCostLine,
    Dwelling,
    Landlord,
    LandlordAgreement,
    SocialCondominium,
)
from housing.resources import DwellingResource, LandlordResource


@admin.register(Landlord)
class LandlordAdmin(ImportExportModelAdmin):
    resource_classes = [LandlordResource]
    list_display = ["name", "kind", "tax_code", "municipality", "programme"]
    list_filter = ["programme", "kind", "municipality"]
    search_fields = ["name", "tax_code", "contact_person"]
    filter_horizontal = ["users"]


@admin.register(LandlordAgreement)
class LandlordAgreementAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["status"]
    list_display = ["__str__", "status", "cover_months", "valid_from", "valid_until"]
    list_filter = ["status", "landlord__programme"]
    search_fields = ["landlord__name"]
    list_select_related = ["landlord"]
    autocomplete_fields = ["landlord"]


@admin.register(Dwelling)
class DwellingAdmin(ImportExportModelAdmin):
    resource_classes = [DwellingResource]
    list_display = ["__str__", "landlord", "rooms", "rent", "available", "programme"]
    list_filter = ["programme", "municipality", "available", "accessible"]
    search_fields = ["address", "landlord__name"]
    list_select_related = ["landlord", "programme"]
    autocomplete_fields = ["landlord"]


@admin.register(SocialCondominium)
class SocialCondominiumAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "caretaker", "programme"]
    list_filter = ["programme"]
    search_fields = ["name", "address"]


class CohousingCostLineInline(admin.TabularInline):
    model = CohousingCostLine
    extra = 0
    readonly_fields = ["amount"]


@admin.register(Cohousing)
class CohousingAdmin(admin.ModelAdmin):
    list_display = ["name", "dwelling", "places", "shared_costs_total"]
    search_fields = ["name", "dwelling__address"]
    inlines = [CohousingCostLineInline]
    readonly_fields = ["shared_costs_total"]


@admin.register(CaretakerNote)
class CaretakerNoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "author", "handled_at"]
    list_filter = ["kind", "condominium__programme"]
    date_hierarchy = "happened_on"
