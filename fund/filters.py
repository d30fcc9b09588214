"""Filters of the fund's queues (django-filter, common.filters): guarantees and claims."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import ListFilterSet
from fund.models import Claim, Guarantee


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class _MoneyAndDayFilter(ListFilterSet):
    """Amount range and a range of days on a timestamp (`day_field`): days become the
    timestamps of their start, so an index serves the range."""

    day_field = "created_at"
    amount_min = django_filters.NumberFilter(
        label=_("Amount from (€)"), field_name="amount", lookup_expr="gte", min_value=0
    )
    amount_max = django_filters.NumberFilter(
        label=_("Amount up to (€)"), field_name="amount", lookup_expr="lte", min_value=0
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), method="filter_date_to", widget=DateInput()
    )

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(**{f"{self.day_field}__gte": _start_of(value)})

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(**{f"{self.day_field}__lt": _start_of(value + timedelta(days=1))})


class GuaranteeFilter(_MoneyAndDayFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Guarantee.Status.choices, empty_label=_("All")
    )
    sort_fields = (("created_at", "data"), ("amount", "importo"))

    class Meta:
        model = Guarantee
        fields = []


class ClaimFilter(_MoneyAndDayFilter):
    day_field = "submitted_at"
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Claim.Status.choices, empty_label=_("All")
    )
    sort_fields = (("submitted_at", "data"), ("amount", "importo"))

    class Meta:
        model = Claim
        fields = []
