"""How an indicator's value reads: counts as whole numbers, euros as the project writes money,
shares with a percent sign, days with one decimal; a value that cannot be computed as a dash."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.money import eur, money_format
from reporting.indicators import COUNT, DAYS, EURO, PERCENT

register = template.Library()


@register.filter
def indicator_value(value, unit):
    if value is None:
        return "—"
    if unit == EURO:
        return money_format(eur(Decimal(value)))
    if unit == COUNT:
        return number_format(int(value), force_grouping=True)
    if unit == PERCENT:
        return f"{number_format(value, 1)} %"
    if unit == DAYS:
        return _("%(days)s days") % {"days": number_format(value, 1)}
    return number_format(value, 2)


@register.filter
def cell(value):
    """A breakdown's cell: the count, or "< 5" where it is suppressed."""
    return "< 5" if value is None else number_format(value, force_grouping=True)
