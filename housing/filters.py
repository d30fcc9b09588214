"""List filters (django-filter) of the operator pages."""

import django_filters
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from housing.models import Cohousing, Dwelling, Landlord, LandlordAgreement, SocialCondominium


class ProgrammeFilterSet(django_filters.FilterSet):
    """Free-text search over `search_fields`, and the programme's municipalities to choose from."""

    search_fields: tuple = ()
    municipality_path: str | None = None
    q = django_filters.CharFilter(label=capfirst(_("search")), method="filter_search")

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        if self.municipality_path:
            self.filters["municipality"] = django_filters.ChoiceFilter(
                label=capfirst(_("municipality")),
                field_name=self.municipality_path,
                choices=[(m, m) for m in programme.municipalities or []],
            )
            self.filters["municipality"].model = self._meta.model
            self.filters["municipality"].parent = self
            # Keep the municipality right after the search box.
            self.filters.move_to_end("municipality", last=False)
            self.filters.move_to_end("q", last=False)

    def filter_search(self, queryset, name, value):
        query = Q()
        for term in value.split():
            term_query = Q()
            for path in self.search_fields:
                term_query |= Q(**{f"{path}__icontains": term})
            query &= term_query
        return queryset.filter(query)


class LandlordFilter(ProgrammeFilterSet):
    search_fields = ("name", "contact_person", "tax_code", "email")
    municipality_path = "municipality"
    kind = django_filters.ChoiceFilter(label=capfirst(_("kind")), choices=Landlord.Kind.choices)
    in_force = django_filters.BooleanFilter(
        label=capfirst(_("agreement in force")), method="filter_in_force"
    )

    class Meta:
        model = Landlord
        fields = []

    def filter_in_force(self, queryset, name, value):
        if value:
            return queryset.filter(agreements_in_force__gt=0)
        return queryset.filter(agreements_in_force=0)


class AgreementFilter(ProgrammeFilterSet):
    search_fields = ("landlord__name", "notes")
    status = django_filters.ChoiceFilter(
        label=capfirst(_("status")), choices=LandlordAgreement.Status.choices
    )

    class Meta:
        model = LandlordAgreement
        fields = []


class DwellingFilter(ProgrammeFilterSet):
    search_fields = ("address", "unit", "landlord__name")
    municipality_path = "municipality"
    KINDS = [
        ("dwelling", _("Dwelling")),
        ("condominium", _("Condominium flat")),
        ("cohousing", _("Cohousing")),
    ]
    kind = django_filters.ChoiceFilter(
        label=capfirst(_("type")), choices=KINDS, method="filter_kind"
    )
    rooms_min = django_filters.NumberFilter(
        label=_("Minimum rooms"), field_name="rooms", lookup_expr="gte"
    )
    accessible = django_filters.BooleanFilter(label=capfirst(_("accessible")))
    available = django_filters.BooleanFilter(label=capfirst(_("available")))

    class Meta:
        model = Dwelling
        fields = []

    def filter_kind(self, queryset, name, value):
        if value == "cohousing":
            return queryset.filter(cohousing__isnull=False)
        if value == "condominium":
            return queryset.filter(condominium__isnull=False)
        return queryset.filter(cohousing__isnull=True, condominium__isnull=True)


class CondominiumFilter(ProgrammeFilterSet):
    search_fields = ("name", "address", "caretaker__last_name")
    municipality_path = "municipality"

    class Meta:
        model = SocialCondominium
        fields = []


class CohousingFilter(ProgrammeFilterSet):
    search_fields = ("name", "dwelling__address")
    municipality_path = "dwelling__municipality"

    class Meta:
        model = Cohousing
        fields = []
