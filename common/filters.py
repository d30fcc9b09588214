"""What every filtered list shares (django-filter): filters in the URL, so a filtered list can
be bookmarked and shared; sorting by a whitelisted column (`?ordina=`); a bad value refused
with Django's own (translated) message, never a 500; and the export of exactly those rows.

A list view calls `list_filter(request, FilterSetClass, queryset, **kwargs)`, pages `.rows`
with `common.pagination.paginate` (which keeps the filters in its links) and, when
`?export=csv|xlsx`, hands `.rows` to `common.exports.list_download`.
"""

from dataclasses import dataclass

import django_filters
from django.contrib import messages
from django.utils.translation import gettext as _

from common.quickforms import QuickFormRenderer

SORT_PARAM = "ordina"
QUICK_RENDERER = QuickFormRenderer()


class ListFilterSet(django_filters.FilterSet):
    """A list's filters. Subclasses name their sortable columns in `sort_fields`
    ((field path, URL name), …): any other `?ordina=` value is refused."""

    sort_fields: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.sort_fields:
            self.filters[SORT_PARAM] = django_filters.OrderingFilter(fields=self.sort_fields)
            self.filters[SORT_PARAM].model = self._meta.model
            self.filters[SORT_PARAM].parent = self

    @property
    def form(self):
        """The filter form, drawn on every request of its list: its inputs, selects and
        labels written in Python (common.quickforms), Django's markup without a template per
        option."""
        form = super().form
        form.renderer = QUICK_RENDERER
        return form


@dataclass
class FilteredList:
    filterset: ListFilterSet
    rows: object  # the filtered, sorted queryset; none() when a filter value is refused
    valid: bool

    @property
    def form(self):
        return self.filterset.form

    @property
    def applied(self) -> dict:
        """The filters in force (name → value as typed), for the audit of an export."""
        if not self.valid:
            return {}
        return {
            key: value
            for key, value in self.filterset.data.items()
            if key in self.filterset.filters and value not in ("", None)
        }


def list_filter(request, filterset_class, queryset, *, defaults=None, **kwargs) -> FilteredList:
    """`queryset` narrowed by the request's filters (`defaults` for those the URL leaves out).
    A refused value leaves the list empty and says why in a message (and at its field)."""
    data = request.GET.copy()
    for key, value in (defaults or {}).items():
        data.setdefault(key, value)
    filterset = filterset_class(data or None, queryset=queryset, **kwargs)
    if filterset.is_bound and not filterset.is_valid():
        problems = "; ".join(
            f"{filterset.form.fields[name].label or name}: {' '.join(errors)}"
            if name in filterset.form.fields
            else " ".join(errors)
            for name, errors in filterset.form.errors.items()
        )
        message = _("Some filters are not valid: %(problems)s") % {"problems": problems}
        messages.error(request, message)
        return FilteredList(filterset, queryset.none(), False)
    return FilteredList(filterset, filterset.qs if filterset.is_bound else queryset, True)
