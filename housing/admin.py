from django.contrib import admin

from housing.models import Landlord


@admin.register(Landlord)
class LandlordAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "programme"]
    list_filter = ["programme", "kind"]
    search_fields = ["name"]
    filter_horizontal = ["users"]
