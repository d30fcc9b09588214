from django import template

from common.money import money_format

register = template.Library()


@register.filter
def eur(value):
    """A Decimal or Money shown as euros in the reader's language (e.g. “1.100,00 €”);
    empty for no value, so optional amounts leave their cell blank."""
    if value is None or value == "":
        return ""
    return money_format(value)
