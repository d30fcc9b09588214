"""The back office shows the housing stock read-only: every write goes through the services,
which validate and audit it. Landlords and dwellings can be imported into a chosen programme,
each row created through the same services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from common.admin import ReadOnlyAdmin
from common.exports import SafeExportAdminMixin
from common.models import Programme
from housing.models import (
    CaretakerNote,
    Cohousing,
    Dwelling,
    Landlord,
    LandlordAgreement,
    SocialCondominium,
)
from housing.resources import DwellingResource, LandlordResource


class ProgrammeImportForm(ImportForm):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        help_text=_("The programme the imported rows belong to."),
    )


class ProgrammeConfirmImportForm(ConfirmImportForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), widget=forms.HiddenInput)


class ProgrammeImportMixin(SafeExportAdminMixin, ImportExportMixin):
    """Import into the programme chosen in the import form; the dry run and the real import
    both write through the services inside one transaction, so a file lands whole or not at all."""

    import_form_class = ProgrammeImportForm
    confirm_form_class = ProgrammeConfirmImportForm

    def has_import_permission(self, request):
        return request.user.is_superuser

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["programme"] = import_form.cleaned_data["programme"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.pop("form", None)
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {**kwargs, "programme": cleaned.get("programme")}


@admin.register(Landlord)
class LandlordAdmin(ProgrammeImportMixin, ReadOnlyAdmin):
    resource_classes = [LandlordResource]
    list_display = ["name", "kind", "tax_code", "municipality", "programme"]
    list_filter = ["programme", "kind", "municipality"]
    search_fields = ["name", "tax_code", "contact_person"]


@admin.register(LandlordAgreement)
class LandlordAgreementAdmin(ReadOnlyAdmin):
    """Agreements change state and terms only through their services (an active agreement's
    terms never change at all)."""

    list_display = ["__str__", "status", "cover_months", "valid_from", "valid_until"]
    list_filter = ["status", "landlord__programme"]
    search_fields = ["landlord__name"]
    list_select_related = ["landlord"]


@admin.register(Dwelling)
class DwellingAdmin(ProgrammeImportMixin, ReadOnlyAdmin):
    resource_classes = [DwellingResource]
    list_display = ["__str__", "landlord", "rooms", "rent", "available", "programme"]
    list_filter = ["programme", "municipality", "available", "accessible"]
    search_fields = ["address", "landlord__name"]
    list_select_related = ["landlord", "programme"]


@admin.register(SocialCondominium)
class SocialCondominiumAdmin(ReadOnlyAdmin):
    list_display = ["name", "municipality", "caretaker", "programme"]
    list_filter = ["programme"]
    search_fields = ["name", "address"]


@admin.register(Cohousing)
class CohousingAdmin(ReadOnlyAdmin):
    list_display = ["name", "dwelling", "places", "shared_costs_total"]
    search_fields = ["name", "dwelling__address"]


@admin.register(CaretakerNote)
class CaretakerNoteAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "author", "handled_at"]
    list_filter = ["kind", "condominium__programme"]
    date_hierarchy = "happened_on"
