"""Filters of the operator's lists (django-filter, common.filters): households, leases,
the arrears desk's cases, the eviction desk's cases."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.filters import ListFilterSet
from common.roles import Role
from common.selectors import users_in_programme
from housing.models import LeaseType
from tenancies.models import ArrearsCase, Enrollment, EvictionCase, Household, Lease, Member
from tenancies.rent.arrears import AGE_BUCKETS

OPEN = "open"
# Ageing of a case: days since it was opened, in the buckets of the desk's ageing table (the
# first from day 0: a case opened today is in it).
CASE_AGE_BUCKETS = ((0, AGE_BUCKETS[0][1]), *AGE_BUCKETS[1:])
AGE_CHOICES = [
    (f"{low}-{high}" if high else f"{low}+", f"{low}–{high}" if high else f"> {low - 1}")
    for low, high in CASE_AGE_BUCKETS
]
AGE_RANGES = dict(zip((value for value, _label in AGE_CHOICES), CASE_AGE_BUCKETS, strict=True))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ArrearsCaseFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(OPEN, _("All open")), *ArrearsCase.Status.choices],
        method="filter_status",
        empty_label=_("All"),
    )
    owner = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("arrears case", "Case owner"), queryset=None, empty_label=_("Anyone")
    )
    age = django_filters.ChoiceFilter(
        label=_("Days since opened"), choices=AGE_CHOICES, method="filter_age"
    )
    amount_min = django_filters.NumberFilter(
        label=_("Arrears from (€)"), field_name="amount_at_opening", lookup_expr="gte", min_value=0
    )
    amount_max = django_filters.NumberFilter(
        label=_("Arrears up to (€)"), field_name="amount_at_opening", lookup_expr="lte", min_value=0
    )
    opened_from = django_filters.DateFilter(
        label=_("Opened from"), field_name="opened_on", lookup_expr="gte", widget=DateInput()
    )
    opened_to = django_filters.DateFilter(
        label=_("Opened until"), field_name="opened_on", lookup_expr="lte", widget=DateInput()
    )
    sort_fields = (
        ("opened_on", "aperto"),
        ("amount_at_opening", "importo"),
        ("next_action_due", "scadenza"),
        ("lease__household__name", "nucleo"),
    )

    class Meta:
        model = ArrearsCase
        fields = []

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = users_in_programme(
            programme=programme, roles=[Role.OPERATOR]
        )

    @property
    def form(self):
        form = super().form
        form.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        return form

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.open()
        return queryset.filter(status=value)

    def filter_age(self, queryset, name, value):
        low, high = AGE_RANGES[value]
        today = timezone.localdate()
        queryset = queryset.filter(opened_on__lte=today - timedelta(days=low))
        if high:
            queryset = queryset.filter(opened_on__gte=today - timedelta(days=high))
        return queryset


class HouseholdFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or codice fiscale"), method="filter_query", max_length=100
    )
    status = django_filters.ChoiceFilter(
        label=_("Enrolment"),
        field_name="enrollment_status",
        choices=Enrollment.Status.choices,
        empty_label=_("All"),
    )
    operator = django_filters.ModelChoiceFilter(
        label=_("Operator"), queryset=None, empty_label=_("Anyone")
    )
    municipality = django_filters.ChoiceFilter(
        label=_("Municipality"), choices=[], empty_label=_("All")
    )
    sort_fields = (("name", "nome"), ("municipality", "comune"), ("created_at", "segnalato"))

    class Meta:
        model = Household
        fields = []

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["operator"].queryset = users_in_programme(
            programme=programme, roles=[Role.OPERATOR]
        )
        self.filters["municipality"].extra["choices"] = [
            (name, name) for name in programme.municipalities or []
        ]

    @property
    def form(self):
        form = super().form
        form.fields["operator"].label_from_instance = lambda u: u.get_full_name() or u.username
        return form

    def filter_query(self, queryset, name, value):
        """The household's name, or a fragment of a member's codice fiscale (spaces ignored)."""
        code = value.replace(" ", "")
        members = Member.objects.filter(codice_fiscale__icontains=code).values("household_id")
        return queryset.filter(Q(name__icontains=value.strip()) | Q(pk__in=members))


class LeaseFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Household"), field_name="household__name", lookup_expr="icontains", max_length=100
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Lease.Status.choices, empty_label=_("All")
    )
    lease_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=LeaseType.choices, empty_label=_("All")
    )
    municipality = django_filters.ChoiceFilter(
        label=_("Municipality"),
        field_name="dwelling__municipality",
        choices=[],
        empty_label=_("All"),
    )
    rent_min = django_filters.NumberFilter(
        label=_("Rent from (€)"), field_name="rent", lookup_expr="gte", min_value=0
    )
    rent_max = django_filters.NumberFilter(
        label=_("Rent up to (€)"), field_name="rent", lookup_expr="lte", min_value=0
    )
    start_from = django_filters.DateFilter(
        label=_("Starting from"), field_name="start_date", lookup_expr="gte", widget=DateInput()
    )
    start_to = django_filters.DateFilter(
        label=_("Starting until"), field_name="start_date", lookup_expr="lte", widget=DateInput()
    )
    sort_fields = (
        ("household__name", "nucleo"),
        ("rent", "canone"),
        ("start_date", "inizio"),
    )

    class Meta:
        model = Lease
        fields = []

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].extra["choices"] = [
            (name, name) for name in programme.municipalities or []
        ]


class EvictionCaseFilter(ListFilterSet):
    """Narrows the eviction desk's cases before it orders them by deadline (no column sort:
    the desk's order is the legal clock's)."""

    status = django_filters.ChoiceFilter(
        label=_("State"), choices=EvictionCase.Status.choices, empty_label=_("All")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Operator"), queryset=None, empty_label=_("Anyone")
    )
    municipality = django_filters.ChoiceFilter(
        label=_("Municipality"),
        field_name="lease__dwelling__municipality",
        choices=[],
        empty_label=_("All"),
    )
    opened_from = django_filters.DateFilter(
        label=_("Opened from"), field_name="opened_on", lookup_expr="gte", widget=DateInput()
    )
    opened_to = django_filters.DateFilter(
        label=_("Opened until"), field_name="opened_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = EvictionCase
        fields = []

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = users_in_programme(
            programme=programme, roles=[Role.OPERATOR]
        )
        self.filters["municipality"].extra["choices"] = [
            (name, name) for name in programme.municipalities or []
        ]

    @property
    def form(self):
        form = super().form
        form.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        return form
