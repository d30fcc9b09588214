from django import template

from common.money import eur as to_eur

register = template.Library()


@register.filter
def eur(value):
    """A Decimal or Money shown as euros in the reader's language (e.g. “1.100,00 €”)."""
    if value is None or value == "":
        return ""
    return to_eur(value)
