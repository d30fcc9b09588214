"""Links of a filtered list that keep its filters: column sorting and exports."""

from django import template

from common.filters import SORT_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_query(context, field: str) -> str:
    """The query string that sorts the list by `field` (descending if it is sorted ascending
    by it now), keeping the other filters and going back to the first page."""
    query = context["request"].GET.copy()
    current = query.get(SORT_PARAM, "")
    query[SORT_PARAM] = f"-{field}" if current == field else field
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_state(context, field: str) -> str:
    """aria-sort of the column `field`: ascending, descending or none."""
    current = context["request"].GET.get(SORT_PARAM, "")
    if current == field:
        return "ascending"
    if current == f"-{field}":
        return "descending"
    return "none"


@register.simple_tag(takes_context=True)
def export_query(context, fmt: str) -> str:
    """The query string that exports the list's current filter as `fmt`."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["export"] = fmt
    return query.urlencode()
